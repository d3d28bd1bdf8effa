#include "core/readings.hpp"

#include <cmath>

#include "core/alarm_machine.hpp"
#include "core/sessions.hpp"

namespace vigil::core::detail {
namespace {

// A reading's value for a condition's measure. The rises need a baseline (the caller checks).
double value_of(measure m, const blood_pressure& r, double map, const bed_state& b) {
  switch (m) {
    case measure::sbp: return r.systolic_mmhg;
    case measure::dbp: return r.diastolic_mmhg;
    case measure::map: return map;
    case measure::sbp_rise: return r.systolic_mmhg - b.baseline->systolic;
    case measure::dbp_rise: return r.diastolic_mmhg - b.baseline->diastolic;
    default: return 0;
  }
}

void count_accepted(instant& in, validity v) {
  ++in.counters.readings_accepted;
  if (v == validity::questionable) ++in.counters.readings_questionable;
}

void note(instant& in, const bed_state& b, feed f, double v, double dia, double mean) {
  in.out.readings.push_back({static_cast<std::uint32_t>(in.beds.slot_of(b)), f, in_session(b.phase),
                             in.now, v, dia, mean});
}

bool plausible_bp(const engine_config& cfg, const blood_pressure& m, double map) {
  const bool mean_ok = !m.mean_mmhg || cfg.map_plausible.contains(*m.mean_mmhg);
  return cfg.sbp_plausible.contains(m.systolic_mmhg) &&
         cfg.dbp_plausible.contains(m.diastolic_mmhg) && m.diastolic_mmhg < m.systolic_mmhg &&
         mean_ok && std::isfinite(map);
}

// The event text of a crossing: "SBP 186 mmHg ≥ 180 at 41:20 into infusion".
std::string crossing(const instant& in, const bed_state& b, cid c, double v, double limit) {
  const auto& ci = info(c);
  std::string s = std::string(ci.label) + " " + text::number(v) + " " +
                  text::unit_for_people(ci.unit) + " " + std::string(text::op(ci.direction)) + " " +
                  text::number(limit);
  if (b.baseline && ci.measure == measure::sbp_rise)
    s += " over baseline " + text::number(b.baseline->systolic);
  if (b.baseline && ci.measure == measure::dbp_rise)
    s += " over baseline " + text::number(b.baseline->diastolic);
  return s + in.when(b);
}

void run(std::optional<time_ms>& start, bool holds, time_ms now) {
  if (!holds) start.reset();
  else if (!start) start = now;
}

// The delays and hysteresis of section 5 for a condition's feed.
struct timing {
  time_ms persistence;
  time_ms clear_delay;
  double hysteresis;
};
timing timing_of(const phase_config& pc, const condition_info& ci) {
  const bool continuous = ci.feed != feed::nibp;
  return {continuous ? pc.continuous_persistence_ms : pc.nibp_persistence_ms,
          continuous ? pc.continuous_clear_delay_ms : pc.nibp_clear_delay_ms,
          ci.feed == feed::hr ? pc.hr_hysteresis : pc.pressure_hysteresis};
}

// Steps 3-5 for a condition that is met or has an open alarm (the runs are already updated).
[[gnu::noinline]] void evaluate_alarm(instant& in, bed_state& b, cid c, double v) {
  const auto& ci = info(c);
  const threshold& th = in.limits(b).limit(c);
  const timing tm = timing_of(in.limits(b), ci);
  const time_ms now = in.now;
  run_starts& r = b.runs[index(c)];
  const bool medium_met = r.medium && now - *r.medium >= tm.persistence;
  const bool high_met = r.high && now - *r.high >= tm.persistence;
  const double crossed = high_met ? *th.high : th.medium;

  auto& slot = b.open[index(c)];
  if (!slot || slot->state == alarm_state::latched) {
    if (!medium_met) return;
    r.clear.reset();
    event_detail d{.value = v, .limit = crossed, .text = crossing(in, b, c, v, crossed)};
    if (!slot) raise(in, b, c, high_met ? priority::high : priority::medium, std::move(d));
    else raise_again(in, b, c, std::move(d));  // back: the same alarm, still HIGH
    return;
  }
  if (slot->priority == priority::medium && high_met)
    rise_to_high(
        in, b, c,
        {.value = v, .limit = *th.high, .text = crossing(in, b, c, v, *th.high) + " (now HIGH)"});

  run(r.clear, inside_by(ci.direction, v, th.medium, tm.hysteresis), now);
  if (!r.clear || now - *r.clear < tm.clear_delay) return;
  r.clear.reset();
  const std::string back =
      std::string(ci.label) + " back to " + text::number(v) + " " + text::unit_for_people(ci.unit);
  if (ci.kind == alarm_kind::physiological && slot->priority == priority::high &&
      !slot->ever_acknowledged) {
    latch(in, b, c,
          {.value = v,
           .limit = th.medium,
           .text = back + "; HIGH alarm latched until acknowledged" + in.when(b)});
  } else {
    end(in, b, c, {.value = v, .limit = th.medium, .text = back + in.when(b)});
  }
}

// Section 5, "Evaluation of one condition", steps 1-2 inline.
void evaluate(instant& in, bed_state& b, cid c, double v) {
  const auto& ci = info(c);
  const threshold& th = in.limits(b).limit(c);
  const time_ms persistence = timing_of(in.limits(b), ci).persistence;
  run_starts& r = b.runs[index(c)];
  run(r.medium, beyond(ci.direction, v, th.medium), in.now);
  run(r.high, th.high && beyond(ci.direction, v, *th.high), in.now);
  // Almost every reading: no alarm of the condition open and none to raise. The rest of the
  // steps are out of line, so this path stays short.
  if (!b.open[index(c)] && !(r.medium && in.now - *r.medium >= persistence)) return;
  evaluate_alarm(in, b, c, v);
}

// Every condition of the catalogue on `f`, in its order; `value(row)` is the reading's value for
// the row's measure, and `session_rows` says whether the rows evaluated only in a session are.
template <feed F, class Value>
void evaluate_feed(instant& in, bed_state& b, bool session_rows, Value value) {
  for (const condition_id c : conditions_on<F>) {
    const condition_info& row = info(c);
    if (row.phases == phases::session && !session_rows) continue;
    evaluate(in, b, c, value(row));
  }
}

}  // namespace

after accept_heart_rate(instant& in, bed_state& b, const heart_rate& m) {
  if (m.validity == validity::invalid)
    return in.drop(b.id, drop_reason::reading_invalid_flag, "heart rate flagged INVALID");
  if (!in.cfg.hr_plausible.contains(m.bpm)) {
    return in.drop(b.id, drop_reason::reading_implausible,
                   "heart rate " + text::number(m.bpm) + " /min outside " +
                       text::number(in.cfg.hr_plausible.min) + ".." +
                       text::number(in.cfg.hr_plausible.max));
  }
  count_accepted(in, m.validity);
  note(in, b, feed::hr, m.bpm, 0, 0);
  const std::size_t events_before = in.out.events.size();
  b.last_valid_hr = in.now;
  if (b.open[index(cid::hr_signal_lost)]) {
    end(in, b, cid::hr_signal_lost,
        {.value = m.bpm, .text = "HR signal back: " + text::number(m.bpm) + " /min" + in.when(b)});
  }
  evaluate_feed<feed::hr>(in, b, in_session(b.phase), [&m](const auto&) { return m.bpm; });
  // A heart rate that changed no alarm (it emitted nothing) changed no deadline but HR signal
  // lost's, and moved that one later: the bed's entry in the heap is still early enough, so
  // the earliest deadline is not recomputed. That is almost every reading of every bed.
  return in.out.events.size() != events_before ? after::reschedule : after::keep_schedule;
}

after accept_blood_pressure(instant& in, bed_state& b, const blood_pressure& m) {
  if (m.validity == validity::invalid)
    return in.drop(b.id, drop_reason::reading_invalid_flag, "blood pressure flagged INVALID");
  const double map = m.mean_mmhg.value_or((m.systolic_mmhg + 2 * m.diastolic_mmhg) / 3);
  if (!plausible_bp(in.cfg, m, map)) {
    return in.drop(b.id, drop_reason::reading_implausible,
                   "blood pressure " + text::number(m.systolic_mmhg) + "/" +
                       text::number(m.diastolic_mmhg) + " mmHg implausible");
  }
  count_accepted(in, m.validity);
  const bool arterial = m.source == bp_source::arterial;
  note(in, b, arterial ? feed::arterial : feed::nibp, m.systolic_mmhg, m.diastolic_mmhg, map);
  const auto value = [&](const condition_info& row) { return value_of(row.measure, m, map, b); };
  if (arterial) {
    evaluate_feed<feed::arterial>(in, b, in_session(b.phase), value);
    return after::reschedule;
  }
  const nibp_sample sample{in.now, m.systolic_mmhg, m.diastolic_mmhg};
  b.last_nibp = sample;
  in.beds.touch(b);
  if (b.open[index(cid::nibp_overdue)]) {
    end(in, b, cid::nibp_overdue,
        {.value = m.systolic_mmhg,
         .text = "NIBP received: " + text::number(m.systolic_mmhg) + "/" +
                 text::number(m.diastolic_mmhg) + " mmHg" + in.when(b)});
  }
  // Section 4: with no baseline at STARTED, the session's first NIBP becomes it and is not
  // tested against the rise conditions.
  bool just_set = false;
  if (in_session(b.phase) && !b.baseline) {
    set_baseline(in, b, sample);
    just_set = true;
  }
  evaluate_feed<feed::nibp>(in, b, in_session(b.phase) && b.baseline && !just_set, value);
  return after::reschedule;
}

}  // namespace vigil::core::detail
