#include "core/sessions.hpp"

#include "core/alarm_machine.hpp"
#include "core/deadlines.hpp"

namespace vigil::core::detail {
namespace {

std::string_view phase_name(phase p) {
  return p == phase::infusion ? "infusion" : p == phase::recovery ? "recovery" : "idle";
}

void mark_session(instant& in, bed_state& b) {
  mark(in.out.sessions_changed, b.id);
  b.session_changed_at = in.now;
  in.beds.touch(b);
}

void offline_alarm(instant& in, bed_state& b) {
  const auto& slot = b.open[index(cid::monitor_offline)];
  const priority p = b.phase == phase::infusion ? priority::high : priority::medium;
  if (!slot) {
    raise(in, b, cid::monitor_offline, p, {.text = "Monitor offline" + in.when(b)});
  } else if (p == priority::high && slot->priority == priority::medium) {
    rise_to_high(in, b, cid::monitor_offline,
                 {.text = "Monitor still offline as the infusion starts (now HIGH)" + in.when(b)});
  }
}

// Ends the open alarms of the conditions evaluated only in a session, LATCHED ones excepted:
// the technical and procedural ones first, then the physiological ones (the order event_seq
// numbers them in).
void end_session_bound(instant& in, bed_state& b) {
  const auto end_rows = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      const condition_info& row = detail::catalogue[i];
      const auto& slot = b.open[i];
      if (row.phases != phases::session || !slot || slot->state == alarm_state::latched) continue;
      end(in, b, row.id, {.text = std::string(row.name) + " ended: the bed is idle"});
    }
  };
  end_rows(physiological_count, alarm_condition_count);
  end_rows(0, physiological_count);
}

// Section 6: what a phase change does to the technical and procedural alarms.
void enter_phase(instant& in, bed_state& b) {
  if (b.phase == phase::idle) return end_session_bound(in, b);
  if (b.open[index(cid::nibp_overdue)] && nibp_deadline(b, in.cfg) > in.now) {
    end(in, b, cid::nibp_overdue,
        {.text = "NIBP no longer overdue: " + text::minutes(in.limits(b).nibp_interval_ms) +
                 " min interval in " + std::string(phase_name(b.phase))});
  }
  if (b.monitor == monitor_state::offline) offline_alarm(in, b);
}

void start_session(instant& in, bed_state& b, const infusion_event& m) {
  const time_ms now = in.now;
  b.phase = phase::infusion;
  b.session_id = m.session_id.empty() ? b.id + "-" + std::to_string(now) : m.session_id;
  b.started_at = now;
  b.planned_minutes = m.planned_minutes;
  b.paused = false;
  b.stopped_at = 0;
  b.recovery_ends_at = 0;
  b.planned_notice_due = m.planned_minutes > 0;
  b.baseline.reset();
  b.refs = session_refs{m.patient_id, m.encounter_id, m.drug, m.dose_mg_per_kg};
  mark_session(in, b);
  const time_ms planned = static_cast<time_ms>(m.planned_minutes) * 60'000;
  if (planned < in.cfg.infusion_min_ms || planned > in.cfg.infusion_max_ms) {
    notice(in, b, cid::planned_duration_outside_window,
           {.value = static_cast<double>(m.planned_minutes),
            .text = "Planned " + std::to_string(m.planned_minutes) + " min is outside the " +
                    text::minutes(in.cfg.infusion_min_ms) + "-" +
                    text::minutes(in.cfg.infusion_max_ms) + " min window"});
  }
  if (b.last_nibp && now - b.last_nibp->at <= in.cfg.baseline_lookback_ms)
    set_baseline(in, b, *b.last_nibp);
  enter_phase(in, b);
}

void stop_infusion(instant& in, bed_state& b) {
  b.phase = phase::recovery;
  b.stopped_at = in.now;
  b.recovery_ends_at = in.now + in.cfg.recovery_ms;
  b.paused = false;
  b.planned_notice_due = false;
  mark_session(in, b);
  if (b.open[index(cid::infusion_overrun)]) {
    end(in, b, cid::infusion_overrun,
        {.text = "Infusion stopped after " + text::clock(in.now - b.started_at)});
  }
  enter_phase(in, b);
}

}  // namespace

after accept_monitor(instant& in, bed_state& b, const monitor_status& m) {
  if (m.state == monitor_state::unspecified)
    return in.drop(b.id, drop_reason::monitor_unspecified, "monitor status without state");
  b.monitor = m.state;
  b.report_interval_ms = m.report_interval_ms;
  in.beds.touch(b);
  if (m.state == monitor_state::online) {
    if (b.open[index(cid::monitor_offline)])
      end(in, b, cid::monitor_offline, {.text = "Monitor back online" + in.when(b)});
  } else if (in_session(b.phase)) {
    offline_alarm(in, b);
  }
  return after::reschedule;
}

after accept_infusion(instant& in, bed_state& b, const infusion_event& m) {
  // Out of order: ignored and counted; the bed is rescheduled all the same (a no-op).
  auto ignore = [&](std::string_view what) {
    in.drop(b.id, drop_reason::infusion_out_of_order,
            std::string(what) + " ignored in phase " + std::string(phase_name(b.phase)));
    return after::reschedule;
  };
  switch (m.kind) {
    case infusion_kind::unspecified:
      in.drop(b.id, drop_reason::infusion_unspecified, "infusion event without kind");
      return after::reschedule;
    case infusion_kind::started:
      if (b.phase == phase::infusion) return ignore("STARTED");
      start_session(in, b, m);
      break;
    case infusion_kind::paused:
    case infusion_kind::resumed:
      if (b.phase != phase::infusion)
        return ignore(m.kind == infusion_kind::paused ? "PAUSED" : "RESUMED");
      b.paused = m.kind == infusion_kind::paused;
      mark_session(in, b);
      break;
    case infusion_kind::stopped:
      if (b.phase != phase::infusion) return ignore("STOPPED");
      stop_infusion(in, b);
      break;
  }
  return after::reschedule;
}

void set_baseline(instant& in, bed_state& b, const nibp_sample& s) {
  b.baseline = s;
  mark_session(in, b);
  const engine_config& cfg = in.cfg;
  if (s.systolic > cfg.baseline_elevated_systolic ||
      s.diastolic > cfg.baseline_elevated_diastolic) {
    notice(in, b, cid::baseline_bp_elevated,
           {.value = s.systolic,
            .limit = cfg.baseline_elevated_systolic,
            .text = "Baseline BP " + text::number(s.systolic) + "/" + text::number(s.diastolic) +
                    " mmHg above " + text::number(cfg.baseline_elevated_systolic) + "/" +
                    text::number(cfg.baseline_elevated_diastolic) + ": consider delaying"});
  }
}

void recovery_ended(instant& in, bed_state& b) {
  b.phase = phase::idle;
  enter_phase(in, b);
  b.session_id.clear();
  b.started_at = b.stopped_at = b.recovery_ends_at = 0;
  b.planned_minutes = 0;
  b.baseline.reset();
  b.refs.reset();
  mark_session(in, b);
}

void overrun_due(instant& in, bed_state& b) {
  raise(in, b, cid::infusion_overrun, priority::medium,
        {.text = "Infusion still running at " + text::clock(in.now - b.started_at) + ", past the " +
                 text::minutes(in.cfg.infusion_max_ms) + " min maximum"});
}

void planned_duration_due(instant& in, bed_state& b) {
  b.planned_notice_due = false;
  notice(in, b, cid::planned_duration_reached,
         {.value = static_cast<double>(b.planned_minutes),
          .text = "Planned " + std::to_string(b.planned_minutes) + " min reached"});
}

void hr_lost_due(instant& in, bed_state& b) {
  raise(in, b, cid::hr_signal_lost, priority::medium,
        {.text = "No valid HR for " + text::seconds(detail::hr_stale_ms(b, in.cfg)) + " s" +
                 in.when(b)});
  // Section 6: the HR conditions' runs start over.
  for (const auto& row : detail::catalogue)
    if (row.feed == feed::hr) b.runs[index(row.id)] = {};
}

void nibp_overdue_due(instant& in, bed_state& b) {
  raise(in, b, cid::nibp_overdue, priority::medium,
        {.text = "No valid NIBP for " +
                 text::minutes(in.limits(b).nibp_interval_ms + in.cfg.nibp_grace_ms) + " min" +
                 in.when(b)});
}

}  // namespace vigil::core::detail
