// The engine's per-bed state. Internal to the engine (and to its persistence in a later layer):
// plain data, so a snapshot is a copy.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "core/conditions.hpp"
#include "core/types.hpp"

namespace vigil::core {

struct run_starts {
  std::optional<time_ms> medium, high, clear;
};

struct open_alarm {
  std::string id;
  core::priority priority = priority::medium;
  alarm_state state = alarm_state::active;
  time_ms onset_ms = 0;
  std::uint32_t escalation_level = 0;
  std::string acknowledged_by;
  bool ever_acknowledged = false;
  std::optional<time_ms> escalate_at;  // next time-based escalation
  std::optional<time_ms> remind_at;    // reminder after an acknowledgement
  alarm_event last;                    // the latest event, for the active snapshot
  std::string reason;  // text of the RAISED or condition ESCALATED: why the alarm is there
};

struct nibp_sample {
  time_ms at = 0;
  double systolic = 0;
  double diastolic = 0;
};

struct bed_state {
  std::string id;
  core::phase phase = phase::idle;
  std::string session_id;
  time_ms started_at = 0;
  std::uint32_t planned_minutes = 0;
  bool paused = false;
  time_ms stopped_at = 0;
  time_ms recovery_ends_at = 0;
  bool planned_notice_due = false;  // PLANNED_DURATION_REACHED not yet emitted this session
  std::optional<nibp_sample> baseline;
  std::optional<time_ms> last_valid_hr;
  std::optional<nibp_sample> last_nibp;  // last valid NIBP reading, any phase
  monitor_state monitor = monitor_state::unspecified;
  std::array<run_starts, physiological_count> runs{};
  std::array<std::optional<open_alarm>, alarm_condition_count> open{};
  std::array<std::uint32_t, condition_count> episodes{};  // ids issued per condition
  std::uint64_t event_seq = 0;
  time_ms session_changed_at = 0;  // SessionState.at_ms
  time_ms alarms_changed_at = 0;   // ActiveAlarms.at_ms
  // Not persisted:
  std::optional<time_ms> scheduled;  // the time of this bed's live entry in the deadline heap
  bool dirty = false;                // changed since the last take_dirty()
};

}  // namespace vigil::core
