// alarms.md's rules: readings through the conditions (section 5), phases and the technical and
// procedural conditions (sections 2, 4, 6), acknowledgement, reminders, escalation (section 7).
#include <cmath>

#include "core/engine_impl.hpp"

namespace vigil::core {
namespace {

using cid = condition_id;
constexpr cid hr_conditions[] = {cid::hr_high, cid::hr_low};
constexpr cid nibp_conditions[] = {cid::sbp_high, cid::dbp_high, cid::sbp_low, cid::map_low};
constexpr cid arterial_conditions[] = {cid::art_sbp_high, cid::art_dbp_high, cid::art_sbp_low,
                                       cid::art_map_low};

double value_of(measure m, const blood_pressure& r, double map) {
  switch (m) {
    case measure::sbp: return r.systolic_mmhg;
    case measure::dbp: return r.diastolic_mmhg;
    case measure::map: return map;
    default: return 0;
  }
}

std::string name(cid c) { return std::string(info(c).name); }
std::string minutes(time_ms ms) { return text::number(static_cast<double>(ms) / 60'000.0); }
std::string seconds(time_ms ms) { return text::number(static_cast<double>(ms) / 1'000.0); }
std::string_view phase_name(phase p) {
  return p == phase::infusion ? "infusion" : p == phase::recovery ? "recovery" : "idle";
}

}  // namespace

bool engine::impl::plausible_bp(const blood_pressure& m, double map) const {
  const bool mean_ok = !m.mean_mmhg || cfg.map_plausible.contains(*m.mean_mmhg);
  return cfg.sbp_plausible.contains(m.systolic_mmhg) &&
         cfg.dbp_plausible.contains(m.diastolic_mmhg) && m.diastolic_mmhg < m.systolic_mmhg &&
         mean_ok && std::isfinite(map);
}

// ---- readings ----

void engine::impl::accept_heart_rate(bed_state& b, double bpm, time_ms now, engine_output& out) {
  b.last_valid_hr = now;
  if (b.open[index(cid::hr_signal_lost)])
    end(b, cid::hr_signal_lost, now, bpm, std::nullopt,
        "HR signal back: " + text::number(bpm) + " /min" + when(b, now), out);
  for (cid c : hr_conditions) evaluate(b, c, bpm, now, out);
}

void engine::impl::accept_blood_pressure(bed_state& b, const blood_pressure& m, double map,
                                         time_ms now, engine_output& out) {
  if (m.source == bp_source::arterial) {
    for (cid c : arterial_conditions) evaluate(b, c, value_of(info(c).measure, m, map), now, out);
    return;
  }
  const nibp_sample sample{now, m.systolic_mmhg, m.diastolic_mmhg};
  b.last_nibp = sample;
  touch(b);
  if (b.open[index(cid::nibp_overdue)])
    end(b, cid::nibp_overdue, now, m.systolic_mmhg, std::nullopt,
        "NIBP received: " + text::number(m.systolic_mmhg) + "/" + text::number(m.diastolic_mmhg) +
            " mmHg" + when(b, now),
        out);
  // Section 4: with no baseline at STARTED, the session's first NIBP becomes it and is not
  // tested against the rise conditions.
  bool just_set = false;
  if (in_session(b.phase) && !b.baseline) {
    set_baseline(b, sample, now, out);
    just_set = true;
  }
  for (cid c : nibp_conditions) evaluate(b, c, value_of(info(c).measure, m, map), now, out);
  if (in_session(b.phase) && b.baseline && !just_set) {
    evaluate(b, cid::sbp_rise, m.systolic_mmhg - b.baseline->systolic, now, out);
    evaluate(b, cid::dbp_rise, m.diastolic_mmhg - b.baseline->diastolic, now, out);
  }
}

std::string engine::impl::crossing(const bed_state& b, cid c, double v, double limit,
                                   time_ms now) const {
  const auto& ci = info(c);
  std::string s = std::string(ci.label) + " " + text::number(v) + " " +
                  text::unit_for_people(ci.unit) + " " + std::string(text::op(ci.direction)) + " " +
                  text::number(limit);
  if (b.baseline && ci.measure == measure::sbp_rise)
    s += " over baseline " + text::number(b.baseline->systolic);
  if (b.baseline && ci.measure == measure::dbp_rise)
    s += " over baseline " + text::number(b.baseline->diastolic);
  return s + when(b, now);
}

// Section 5, "Evaluation of one condition", steps 1-5.
namespace {
void run(std::optional<time_ms>& start, bool holds, time_ms now) {
  if (!holds) start.reset();
  else if (!start) start = now;
}
}  // namespace

void engine::impl::evaluate(bed_state& b, cid c, double v, time_ms now, engine_output& out) {
  const auto& ci = info(c);
  const phase_config& pc = limits(b);
  const threshold& th = pc.*ci.limits;
  const bool continuous = ci.feed != feed::nibp;
  const time_ms persistence = continuous ? pc.continuous_persistence_ms : pc.nibp_persistence_ms;
  run_starts& r = b.runs[index(c)];
  run(r.medium, beyond(ci.direction, v, th.medium), now);
  run(r.high, th.high && beyond(ci.direction, v, *th.high), now);
  // Almost every reading: no alarm of the condition open and none to raise. The rest of the
  // steps are out of line, so this path stays short.
  if (!b.open[index(c)] && !(r.medium && now - *r.medium >= persistence)) return;
  evaluate_alarm(b, c, v, now, out);
}

// Steps 3-5 for a condition that is met or has an open alarm (the runs are already updated).
void engine::impl::evaluate_alarm(bed_state& b, cid c, double v, time_ms now, engine_output& out) {
  const auto& ci = info(c);
  const phase_config& pc = limits(b);
  const threshold& th = pc.*ci.limits;
  const bool continuous = ci.feed != feed::nibp;
  const time_ms persistence = continuous ? pc.continuous_persistence_ms : pc.nibp_persistence_ms;
  const time_ms clear_delay = continuous ? pc.continuous_clear_delay_ms : pc.nibp_clear_delay_ms;
  const double hysteresis = ci.feed == feed::hr ? pc.hr_hysteresis : pc.pressure_hysteresis;
  run_starts& r = b.runs[index(c)];
  const bool medium_met = r.medium && now - *r.medium >= persistence;
  const bool high_met = r.high && now - *r.high >= persistence;
  const double crossed = high_met ? *th.high : th.medium;

  auto& slot = b.open[index(c)];
  if (!slot) {
    if (medium_met) {
      r.clear.reset();
      raise(b, c, high_met ? priority::high : priority::medium, now, v, crossed,
            crossing(b, c, v, crossed, now), out);
    }
    return;
  }
  if (slot->state == alarm_state::latched) {
    if (medium_met) {  // the condition is back: the same alarm is active again, still HIGH
      r.clear.reset();
      slot->state = alarm_state::active;
      slot->reason = crossing(b, c, v, crossed, now);
      arm_escalation(*slot, now);
      update(b, c, transition::raised, now, v, crossed, slot->reason, out);
    }
    return;
  }
  if (slot->priority == priority::medium && high_met)
    rise_to_high(b, c, now, v, *th.high, crossing(b, c, v, *th.high, now) + " (now HIGH)", out);

  run(r.clear, inside_by(ci.direction, v, th.medium, hysteresis), now);
  if (!r.clear || now - *r.clear < clear_delay) return;
  r.clear.reset();
  const std::string back =
      std::string(ci.label) + " back to " + text::number(v) + " " + text::unit_for_people(ci.unit);
  if (ci.kind == alarm_kind::physiological && slot->priority == priority::high &&
      !slot->ever_acknowledged) {
    slot->state = alarm_state::latched;
    slot->escalate_at.reset();
    slot->remind_at.reset();
    update(b, c, transition::latched, now, v, th.medium,
           back + "; HIGH alarm latched until acknowledged" + when(b, now), out);
  } else {
    end(b, c, now, v, th.medium, back + when(b, now), out);
  }
}

// ---- monitor, infusion, phases ----

void engine::impl::offline_alarm(bed_state& b, time_ms now, engine_output& out) {
  const auto& slot = b.open[index(cid::monitor_offline)];
  const priority p = b.phase == phase::infusion ? priority::high : priority::medium;
  if (!slot)
    raise(b, cid::monitor_offline, p, now, std::nullopt, std::nullopt,
          "Monitor offline" + when(b, now), out);
  else if (p == priority::high && slot->priority == priority::medium)
    rise_to_high(b, cid::monitor_offline, now, std::nullopt, std::nullopt,
                 "Monitor still offline as the infusion starts (now HIGH)" + when(b, now), out);
}

void engine::impl::accept_monitor(bed_state& b, const monitor_status& m, time_ms now,
                                  engine_output& out) {
  b.monitor = m.state;
  touch(b);
  if (m.state == monitor_state::online) {
    if (b.open[index(cid::monitor_offline)])
      end(b, cid::monitor_offline, now, std::nullopt, std::nullopt,
          "Monitor back online" + when(b, now), out);
    return;
  }
  if (in_session(b.phase)) offline_alarm(b, now, out);
}

void engine::impl::accept_infusion(bed_state& b, const infusion_event& m, time_ms now,
                                   engine_output& out) {
  auto ignore = [&](std::string_view what) {
    drop(out, &b, b.id, drop_reason::infusion_out_of_order,
         std::string(what) + " ignored in phase " + std::string(phase_name(b.phase)));
  };
  switch (m.kind) {
    case infusion_kind::unspecified:
      drop(out, &b, b.id, drop_reason::infusion_unspecified, "infusion event without kind");
      return;
    case infusion_kind::started:
      if (b.phase == phase::infusion) return ignore("STARTED");
      start_session(b, m, now, out);
      return;
    case infusion_kind::paused:
    case infusion_kind::resumed:
      if (b.phase != phase::infusion)
        return ignore(m.kind == infusion_kind::paused ? "PAUSED" : "RESUMED");
      b.paused = m.kind == infusion_kind::paused;
      mark_session(b, now, out);
      return;
    case infusion_kind::stopped:
      if (b.phase != phase::infusion) return ignore("STOPPED");
      b.phase = phase::recovery;
      b.stopped_at = now;
      b.recovery_ends_at = now + cfg.recovery_ms;
      b.paused = false;
      b.planned_notice_due = false;
      mark_session(b, now, out);
      if (b.open[index(cid::infusion_overrun)])
        end(b, cid::infusion_overrun, now, std::nullopt, std::nullopt,
            "Infusion stopped after " + text::clock(now - b.started_at), out);
      enter_phase(b, now, out);
      return;
  }
}

void engine::impl::start_session(bed_state& b, const infusion_event& m, time_ms now,
                                 engine_output& out) {
  b.phase = phase::infusion;
  b.session_id = m.session_id.empty() ? b.id + "-" + std::to_string(now) : m.session_id;
  b.started_at = now;
  b.planned_minutes = m.planned_minutes;
  b.paused = false;
  b.stopped_at = 0;
  b.recovery_ends_at = 0;
  b.planned_notice_due = m.planned_minutes > 0;
  b.baseline.reset();
  mark_session(b, now, out);
  const time_ms planned = static_cast<time_ms>(m.planned_minutes) * 60'000;
  if (planned < cfg.infusion_min_ms || planned > cfg.infusion_max_ms)
    notice(b, cid::planned_duration_outside_window, now, m.planned_minutes, std::nullopt,
           "Planned " + std::to_string(m.planned_minutes) + " min is outside the " +
               minutes(cfg.infusion_min_ms) + "-" + minutes(cfg.infusion_max_ms) + " min window",
           out);
  if (b.last_nibp && now - b.last_nibp->at <= cfg.baseline_lookback_ms)
    set_baseline(b, *b.last_nibp, now, out);
  enter_phase(b, now, out);
}

void engine::impl::set_baseline(bed_state& b, const nibp_sample& s, time_ms now,
                                engine_output& out) {
  b.baseline = s;
  mark_session(b, now, out);
  if (s.systolic > cfg.baseline_elevated_systolic || s.diastolic > cfg.baseline_elevated_diastolic)
    notice(b, cid::baseline_bp_elevated, now, s.systolic, cfg.baseline_elevated_systolic,
           "Baseline BP " + text::number(s.systolic) + "/" + text::number(s.diastolic) +
               " mmHg above " + text::number(cfg.baseline_elevated_systolic) + "/" +
               text::number(cfg.baseline_elevated_diastolic) + ": consider delaying",
           out);
}

// Section 6: what a phase change does to the technical and procedural alarms.
void engine::impl::enter_phase(bed_state& b, time_ms now, engine_output& out) {
  if (b.phase == phase::idle) {
    for (cid c : session_bound) {
      const auto& slot = b.open[index(c)];
      if (slot && slot->state != alarm_state::latched)
        end(b, c, now, std::nullopt, std::nullopt, name(c) + " ended: the bed is idle", out);
    }
    return;
  }
  if (b.open[index(cid::nibp_overdue)] && nibp_deadline(b) > now)
    end(b, cid::nibp_overdue, now, std::nullopt, std::nullopt,
        "NIBP no longer overdue: " + minutes(limits(b).nibp_interval_ms) + " min interval in " +
            std::string(phase_name(b.phase)),
        out);
  if (b.monitor == monitor_state::offline) offline_alarm(b, now, out);
}

// ---- deadlines ----

void engine::impl::fire(bed_state& b, const due& d, time_ms now, engine_output& out) {
  switch (d.kind) {
    case timer::recovery_end:
      b.phase = phase::idle;
      enter_phase(b, now, out);
      b.session_id.clear();
      b.started_at = b.stopped_at = b.recovery_ends_at = 0;
      b.planned_minutes = 0;
      b.baseline.reset();
      mark_session(b, now, out);
      return;
    case timer::overrun:
      raise(b, cid::infusion_overrun, priority::medium, now, std::nullopt, std::nullopt,
            "Infusion still running at " + text::clock(now - b.started_at) + ", past the " +
                minutes(cfg.infusion_max_ms) + " min maximum",
            out);
      return;
    case timer::planned_reached:
      b.planned_notice_due = false;
      notice(b, cid::planned_duration_reached, now, b.planned_minutes, std::nullopt,
             "Planned " + std::to_string(b.planned_minutes) + " min reached", out);
      return;
    case timer::hr_lost:
      raise(b, cid::hr_signal_lost, priority::medium, now, std::nullopt, std::nullopt,
            "No valid HR for " + seconds(limits(b).hr_stale_ms) + " s" + when(b, now), out);
      for (cid c : hr_conditions) b.runs[index(c)] = {};
      return;
    case timer::nibp_overdue:
      raise(b, cid::nibp_overdue, priority::medium, now, std::nullopt, std::nullopt,
            "No valid NIBP for " + minutes(limits(b).nibp_interval_ms + cfg.nibp_grace_ms) +
                " min" + when(b, now),
            out);
      return;
    case timer::escalate: {
      auto& a = *b.open[index(d.cond)];
      a.escalate_at.reset();
      if (a.state != alarm_state::active) return;
      ++a.escalation_level;
      a.priority = priority::high;
      arm_escalation(a, now);
      update(b, d.cond, transition::escalated, now, std::nullopt, std::nullopt,
             a.reason + "; unanswered, escalated to level " + std::to_string(a.escalation_level) +
                 when(b, now),
             out);
      return;
    }
    case timer::remind: {
      auto& a = *b.open[index(d.cond)];
      a.remind_at.reset();
      if (a.state != alarm_state::acknowledged) return;
      a.state = alarm_state::active;
      arm_escalation(a, now);
      update(b, d.cond, transition::reminded, now, std::nullopt, std::nullopt,
             a.reason + "; still present " + seconds(cfg.ack_silence_ms) +
                 " s after acknowledgement by " + a.acknowledged_by + when(b, now),
             out);
      return;
    }
  }
}

// ---- acknowledgement ----

bool engine::impl::accept_ack(bed_state& b, const alarm_ack& m, time_ms now, engine_output& out) {
  for (std::size_t i = 0; i < b.open.size(); ++i) {
    auto& slot = b.open[i];
    if (!slot || slot->id != m.alarm_id) continue;
    const auto c = static_cast<cid>(i);
    if (slot->state == alarm_state::active) {
      slot->state = alarm_state::acknowledged;
      slot->acknowledged_by = m.by;
      slot->ever_acknowledged = true;
      slot->escalate_at.reset();
      slot->remind_at = now + cfg.ack_silence_ms;
      update(b, c, transition::acknowledged, now, std::nullopt, std::nullopt,
             slot->reason + "; acknowledged by " + m.by + when(b, now), out);
      return true;
    }
    if (slot->state == alarm_state::latched) {
      slot->acknowledged_by = m.by;
      end(b, c, now, std::nullopt, std::nullopt,
          slot->reason + "; latched alarm acknowledged by " + m.by + when(b, now), out);
      return true;
    }
    return false;  // already acknowledged: a repeat changes nothing
  }
  return false;
}

}  // namespace vigil::core
