// The lines vigilctl prints for people on shift. Pure functions of decoded messages and a time,
// so what a nurse reads is tested without a broker. Times of day are local (the TZ of the
// terminal); durations use the engine's own m:ss form.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "codec/codec.hpp"
#include "core/names.hpp"
#include "core/types.hpp"

namespace vigil::ctl {

// The contract's enum values as people read them: "HIGH", "ESCALATED", "INFUSION", "ONLINE".
inline std::string_view word(core::priority p) { return core::name(p); }
inline std::string_view word(core::transition t) { return core::name(t); }
inline std::string_view word(core::phase p) { return core::name(p); }
inline std::string_view word(core::alarm_state s) { return core::name(s); }
std::string_view word(codec::daemon_state s);

std::string local_clock(core::time_ms t);      // "14:03:07"
std::string local_date_time(core::time_ms t);  // "2024-03-01 14:03:07"

// One alarm event: time of the transition, bed, priority, transition, condition, text, id.
// "14:03:07 chair-1 HIGH   RAISED       SBP_HIGH SBP 186 mmHg ≥ 180 ... [chair-1:SBP_HIGH:1]"
std::string event_line(const core::alarm_event& e);

// The phase of a session at `now`: "INFUSION 12:05 of 40 min", "RECOVERY 3:10 after infusion",
// "IDLE".
std::string phase_summary(const core::session_state& s, core::time_ms now);

// A session change as it happens: "14:03:07 chair-1 session: INFUSION 0:00 of 40 min".
std::string session_line(const core::session_state& s);

// What the retained topics say about one bed; either part may be missing.
struct bed_view {
  std::optional<core::session_state> session;
  std::optional<core::active_alarms> active;
};
// "bed chair-1: INFUSION 12:05 of 40 min, 2 open alarms: HIGH SBP_HIGH [chair-1:SBP_HIGH:1],
//  MEDIUM HR_HIGH ACKNOWLEDGED [chair-1:HR_HIGH:1]"
std::string bed_line(std::string_view bed, const bed_view& v, core::time_ms now);

// "demo: ONLINE, version 0.1.0, started 2024-03-01 12:00:05, last heartbeat 3 s ago"
std::string status_line(const codec::daemon_status& s, core::time_ms now);

}  // namespace vigil::ctl
