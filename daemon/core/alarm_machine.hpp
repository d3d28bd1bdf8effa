// The alarm state machine of alarms.md sections 5-8: an alarm's transitions (raised, escalated,
// acknowledged, reminded, latched, ended), its escalation and reminder due times, its id, and
// the AlarmEvent each transition emits.
#pragma once

#include <optional>
#include <string>

#include "core/bed_state.hpp"
#include "core/conditions.hpp"
#include "core/instant.hpp"

namespace vigil::core::detail {

// What a transition's event says beyond the alarm's own state. Built by name at the call site:
// `{.value = v, .limit = l, .text = why}`; what is not named is absent.
struct event_detail {
  std::optional<double> value{};  // the reading (or rise) that caused it
  std::optional<double> limit{};  // the limit it crossed
  std::string text{};             // for people
};

// A new alarm of `c` (RAISED, ACTIVE); `text` is also its reason, repeated by later events.
void raise(instant& in, bed_state& b, condition_id c, priority p, event_detail d);
// A LATCHED alarm whose condition is met again is ACTIVE again (RAISED, same id, still HIGH).
void raise_again(instant& in, bed_state& b, condition_id c, event_detail d);
// Priority rises to HIGH because the condition is now worse (ESCALATED, level unchanged).
void rise_to_high(instant& in, bed_state& b, condition_id c, event_detail d);
// The condition ended under a HIGH alarm never acknowledged: LATCHED until acknowledged.
void latch(instant& in, bed_state& b, condition_id c, event_detail d);
// The alarm is over (ENDED) and its slot free.
void end(instant& in, bed_state& b, condition_id c, event_detail d);
// A notice: one event, LOW, never open. `d.text` gets the phase's " at 41:20 into ..." appended.
void notice(instant& in, bed_state& b, condition_id c, event_detail d);

// An AlarmAck: an ACTIVE alarm becomes ACKNOWLEDGED, a LATCHED one ends. False when it matches
// no alarm it can acknowledge.
bool acknowledge(instant& in, bed_state& b, const alarm_ack& m);
// The timers of section 7, due now.
void escalation_due(instant& in, bed_state& b, condition_id c);
void reminder_due(instant& in, bed_state& b, condition_id c);

}  // namespace vigil::core::detail
