// A hand-written week on a three-bed ward, for the alarm-burden tests. Every alarm is listed
// with what the tests expect of it; the expected figures are worked out by hand in the tests.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/types.hpp"
#include "record/session_record.hpp"

namespace vigil::record::testing {

using core::phase;
using core::priority;
using core::time_ms;
using core::transition;

inline constexpr time_ms T0 = 1'709'510'400'000;  // 2024-03-04T00:00:00Z, a Monday
inline constexpr time_ms hour_ms = 3'600'000;
inline constexpr time_ms day_ms = 24 * hour_ms;
inline constexpr time_ms week_end = T0 + 7 * day_ms;  // 2024-03-11T00:00:00Z

// Day `day` of the week (0 = Monday, may be negative or 7) at hh:mm:ss UTC.
constexpr time_ms at(int day, int h, int m, int s = 0) {
  return T0 + day * day_ms + h * hour_ms + m * 60'000 + s * 1000;
}

// Writes alarm events as the engine would publish them: one alarm at a time, each call one
// transition of the alarm last raised.
class history_builder {
 public:
  history_builder& raise(const std::string& id, time_ms onset, priority p,
                         phase ph = phase::infusion) {
    const auto first = id.find(':');
    const auto second = id.find(':', first + 1);
    a_ = {};
    a_.alarm_id = id;
    a_.bed_id = id.substr(0, first);
    a_.condition = id.substr(first + 1, second - first - 1);
    a_.kind = a_.condition == "HR_SIGNAL_LOST" || a_.condition == "NIBP_OVERDUE"
                  ? core::alarm_kind::technical
                  : core::alarm_kind::physiological;
    a_.session_id = ph == phase::idle ? "" : a_.bed_id + "-session";
    a_.phase = ph;
    a_.priority = p;
    a_.onset_ms = onset;
    return push(transition::raised, core::alarm_state::active, onset);
  }
  history_builder& ack(time_ms t, const std::string& by = "nurse.k") {
    a_.acknowledged_by = by;
    return push(transition::acknowledged, core::alarm_state::acknowledged, t);
  }
  history_builder& remind(time_ms t) {
    return push(transition::reminded, core::alarm_state::active, t);
  }
  history_builder& escalate(time_ms t, std::uint32_t level) {
    a_.priority = priority::high;
    a_.escalation_level = level;
    return push(transition::escalated, core::alarm_state::active, t);
  }
  history_builder& latch(time_ms t) {
    return push(transition::latched, core::alarm_state::latched, t);
  }
  history_builder& raise_again(time_ms t) {
    return push(transition::raised, core::alarm_state::active, t);
  }
  history_builder& end(time_ms t) { return push(transition::ended, core::alarm_state::ended, t); }
  // The acknowledgement of a LATCHED alarm, which the engine publishes as ENDED.
  history_builder& end_by_ack(time_ms t, const std::string& by = "nurse.k") {
    a_.acknowledged_by = by;
    return end(t);
  }
  history_builder& notice(const std::string& id, time_ms t) {
    raise(id, t, priority::low);
    events.pop_back();
    a_.kind = core::alarm_kind::notice;
    return push(transition::notice, core::alarm_state::ended, t);
  }

  std::vector<core::alarm_event> events;

 private:
  history_builder& push(transition tr, core::alarm_state s, time_ms t) {
    a_.transition = tr;
    a_.state = s;
    a_.at_ms = t;
    a_.event_seq = events.size() + 1;
    events.push_back(a_);
    return *this;
  }
  core::alarm_event a_;
};

inline session_info session(const std::string& bed, time_ms start, time_ms end) {
  session_info s;
  s.bed_id = bed;
  s.session_id = bed + "-" + std::to_string(start);
  s.started_ms = start;
  s.ended_ms = end;
  return s;
}

// 12 sessions, 10 of them in the week [T0, week_end): 17.5 bed-hours.
inline std::vector<session_info> week_sessions() {
  return {
      session("bay1", at(0, -1, 0), at(0, 1, 0)),     // S0: across the start: 1 h inside
      session("bay1", at(0, 9, 0), at(0, 11, 0)),     // S1: 2 h
      session("bay2", at(1, 10, 0), at(1, 12, 0)),    // S2: 2 h
      session("bay3", at(1, 14, 0), at(1, 15, 30)),   // S3: 1.5 h
      session("bay1", at(2, 9, 0), at(2, 11, 0)),     // S4: 2 h
      session("bay2", at(3, 13, 0), at(3, 15, 0)),    // S5: 2 h
      session("bay3", at(4, 8, 0), at(4, 10, 0)),     // S6: 2 h
      session("bay1", at(5, 10, 0), at(5, 11, 30)),   // S7: 1.5 h
      session("bay2", at(6, 22, 30), 0),              // S8: not ended: to week_end, 1.5 h
      session("bay3", at(6, 9, 0), at(6, 11, 0)),     // S9: 2 h
      session("bay3", at(7, 1, 0), at(7, 3, 0)),      // S10: after the week: 0
      session("bay2", at(-2, 10, 0), at(-2, 12, 0)),  // S11: before the week: 0
  };
}

// 22 alarms raised in the week (A2-A16, A18-A24; no A17), one open across its start (A1), one ended
// before it (A0), one raised after it (A25), and 3 notices. Per alarm: condition, highest
// priority, acknowledgement delay from onset, nuisance, ESCALATED levels in the week, minutes in
// alarm inside the week.
inline std::vector<core::alarm_event> week_history() {
  history_builder h;
  // A0: before the week, ended before it: no part of any figure.
  h.raise("bay2:HR_LOW:1", at(-2, 10, 30), priority::medium).end(at(-2, 10, 31));
  // A1: raised Sunday 23:54, open across the start. Not raised in the week; ESCALATED level 2
  // at exactly T0 (inside); HIGH; in alarm T0 .. 00:20 = 20 min. Its ack in the week: no count.
  h.raise("bay1:SBP_HIGH:1", at(0, 0, -6), priority::medium)
      .ack(at(0, 0, -5))
      .remind(at(0, 0, -3))
      .escalate(at(0, 0, -1), 1)
      .escalate(at(0, 0, 0), 2)
      .ack(at(0, 0, 2))
      .end(at(0, 0, 20));
  // bay1
  h.raise("bay1:HR_HIGH:1", at(0, 9, 20), priority::medium)  // A2: ack 45 s; 3 min
      .ack(at(0, 9, 20, 45))
      .end(at(0, 9, 23));
  h.raise("bay1:HR_HIGH:2", at(0, 9, 40), priority::medium)  // A3: nuisance 20 s
      .end(at(0, 9, 40, 20));
  h.notice("bay1:PLANNED_DURATION_REACHED:1", at(0, 9, 45));  // N1
  h.raise("bay1:SBP_HIGH:2", at(0, 10, 0), priority::medium)  // A4: rose; L1; ack 150 s; 10 min
      .escalate(at(0, 10, 2), 1)
      .ack(at(0, 10, 2, 30))
      .end(at(0, 10, 10));
  h.raise("bay1:HR_SIGNAL_LOST:1", at(2, 9, 30), priority::medium)  // A5: nuisance 15 s
      .end(at(2, 9, 30, 15));
  h.raise("bay1:MAP_LOW:1", at(2, 10, 0), priority::high)  // A6: latched, acked 180 s; 3 min
      .latch(at(2, 10, 0, 40))
      .end_by_ack(at(2, 10, 3));
  h.raise("bay1:HR_HIGH:3", at(3, 15, 0), priority::medium, phase::idle)  // A7: idle; nuisance
      .end(at(3, 15, 0, 25));
  h.raise("bay1:SBP_HIGH:3", at(5, 10, 30), priority::medium)  // A8: ack 90 s; 15 min
      .ack(at(5, 10, 31, 30))
      .end(at(5, 10, 45));
  h.raise("bay1:HR_HIGH:4", at(5, 11, 0), priority::high)  // A9: L1, L2; ack 160 s; 5 min
      .escalate(at(5, 11, 1), 1)
      .escalate(at(5, 11, 2), 2)
      .ack(at(5, 11, 2, 40))
      .end(at(5, 11, 5));
  // bay2
  h.raise("bay2:HR_HIGH:1", at(1, 10, 15), priority::medium)  // A10: ack 20 s; 3 min
      .ack(at(1, 10, 15, 20))
      .end(at(1, 10, 18));
  h.raise("bay2:HR_HIGH:2", at(1, 10, 30), priority::medium)  // A11: nuisance 10 s
      .end(at(1, 10, 30, 10));
  h.raise("bay2:SBP_RISE:1", at(1, 10, 45), priority::medium)  // A12: ack 60 s; 15 min
      .ack(at(1, 10, 46))
      .end(at(1, 11, 0));
  h.notice("bay2:BASELINE_BP_ELEVATED:1", at(3, 13, 0));           // N2
  h.raise("bay2:NIBP_OVERDUE:1", at(3, 13, 30), priority::medium)  // A13: rose; L1, L2;
      .escalate(at(3, 13, 32), 1)                                  // ack 210 s; 4 min
      .escalate(at(3, 13, 33), 2)
      .ack(at(3, 13, 33, 30))
      .end(at(3, 13, 34));
  h.raise("bay2:HR_HIGH:3", at(3, 14, 0), priority::medium)  // A14: rose by reading: L0;
      .escalate(at(3, 14, 0, 5), 0)                          // ack 35 s; 2 min
      .ack(at(3, 14, 0, 35))
      .end(at(3, 14, 2));
  h.raise("bay2:SBP_HIGH:1", at(3, 14, 30), priority::medium)  // A15: nuisance, exactly 30 s
      .end(at(3, 14, 30, 30));
  h.raise("bay2:HR_HIGH:4", at(6, 23, 50), priority::medium)  // A16: rose; L1, L2; open at
      .escalate(at(6, 23, 52), 1)                             // the end: 10 min; its ack and
      .escalate(at(6, 23, 53), 2)                             // end come after the week
      .ack(at(7, 0, 0, 30))
      .end(at(7, 0, 5));
  // bay3
  h.raise("bay3:HR_HIGH:1", at(1, 14, 10), priority::medium)  // A18: ack 30 s; 2 min
      .ack(at(1, 14, 10, 30))
      .end(at(1, 14, 12));
  h.raise("bay3:MAP_LOW:1", at(1, 14, 40), priority::medium)  // A19: nuisance 20 s
      .end(at(1, 14, 40, 20));
  h.raise("bay3:SBP_HIGH:1", at(4, 8, 30), priority::high)  // A20: ack 50 s (first); 10 min
      .ack(at(4, 8, 30, 50))
      .remind(at(4, 8, 32, 50))
      .ack(at(4, 8, 33, 10))
      .end(at(4, 8, 40));
  h.raise("bay3:HR_SIGNAL_LOST:1", at(4, 9, 0), priority::medium)  // A21: ack 40 s; 1 min
      .ack(at(4, 9, 0, 40))
      .end(at(4, 9, 1));
  h.notice("bay3:PLANNED_DURATION_REACHED:1", at(6, 9, 50));  // N3
  h.raise("bay3:HR_HIGH:2", at(6, 9, 20), priority::high)     // A22: latched, raised again (one
      .latch(at(6, 9, 20, 25))                                // alarm); ack 80 s; 5 min
      .raise_again(at(6, 9, 21))
      .ack(at(6, 9, 21, 20))
      .end(at(6, 9, 25));
  h.raise("bay3:SBP_HIGH:2", at(6, 10, 0), priority::medium)  // A23: rose; L1, L2, L3;
      .escalate(at(6, 10, 2), 1)                              // ack 270 s; 20 min
      .escalate(at(6, 10, 3), 2)
      .escalate(at(6, 10, 4), 3)
      .ack(at(6, 10, 4, 30))
      .end(at(6, 10, 20));
  h.raise("bay3:HR_HIGH:3", at(6, 12, 0), priority::high, phase::idle)  // A24: idle; ack 15 s;
      .ack(at(6, 12, 0, 15))                                            // 1 min
      .end(at(6, 12, 1));
  h.raise("bay3:HR_HIGH:4", at(7, 1, 30), priority::medium);  // A25: after the week
  return std::move(h.events);
}

}  // namespace vigil::record::testing
