// The ward's alarm burden over a window (issue 14): how many alarms the unit produced, per
// bed-hour monitored, how many were acknowledged and how fast, how many escalated, how many
// look like nuisance, and how long beds spent in alarm. For the alarm-management committee's
// review (Joint Commission NPSG.06.01.01). Pure: no I/O, no clock.
//
// Definitions (the README, "The ward's alarm burden", says the same; keep them in step):
//
// - The window is [since, until): an event belongs to it when since <= at_ms < until. Events at
//   or after until are ignored altogether, as if they had not happened yet. With `bed`, only
//   that bed's sessions and events count.
// - An alarm is one alarm_id. Events whose kind is NOTICE (or whose transition is NOTICE) are
//   notices: counted by condition in `notices`, never as alarms.
// - Bed-hours monitored: the sum over sessions of the length of [started_ms, ended_ms] (ended_ms
//   = until when the session has not ended) intersected with the window, in hours. `sessions`
//   is the number of sessions with a part in the window.
// - Raised in the window: the alarm's opening RAISED event (the one at its onset_ms) has at_ms in
//   the window. A later RAISED of the same alarm (a LATCHED alarm whose condition returns) is the
//   same alarm, not a new one. An alarm raised before the window is not raised in it, though its
//   time in alarm and its ESCALATED events inside the window count.
// - Priority: an alarm counts once, under the highest priority it reached before until (a MEDIUM
//   alarm that rose to HIGH, published as ESCALATED, counts as HIGH); `priority_rose` counts the
//   alarms that were raised at a lower priority than the one they count under.
// - In session / idle: an alarm is in session when its opening RAISED event's phase is INFUSION
//   or RECOVERY, idle otherwise (IDLE: no session). Per bed-hour = in-session alarms raised in the
//   window / bed-hours monitored; absent when there are no bed-hours. Idle alarms are counted in
//   `alarms` and `idle`, never in the rate.
// - Acknowledged: an alarm raised in the window whose first acknowledgement is before until. Its
//   acknowledgement is its first ACKNOWLEDGED event or, when it has none, an ENDED event that
//   carries acknowledged_by: the engine publishes the acknowledgement of a LATCHED alarm as ENDED.
//   Share acknowledged = acknowledged / alarms raised in the window; absent when none was raised.
// - Time to acknowledge: acknowledgement at_ms - onset_ms, per acknowledged alarm, in seconds.
//   Median and 90th percentile by the nearest-rank method: the values sorted ascending, the
//   ceil(p/100 * n)-th of the n (p = 50, 90); no interpolation. Absent when none was acknowledged.
// - Escalations: ESCALATED events in the window (of any alarm, raised in the window or before),
//   by the escalation_level they carry. Level 0 is a MEDIUM alarm whose reading crossed the HIGH
//   limit before any timed escalation (alarms.md §5.3: ESCALATED, level unchanged).
// - Likely nuisance: an alarm raised in the window with an ENDED event before until at most
//   30 s (nuisance_max_ms) after its onset, never acknowledged. A LATCHED alarm ends only when
//   acknowledged, so it is never a nuisance. Share = nuisance / alarms raised in the window (of
//   the row).
// - Time in alarm: per alarm, [onset_ms, the ENDED event's at_ms, or until when it has none]
//   intersected with the window, in minutes, summed; ACKNOWLEDGED and LATCHED are still in alarm.
// Each figure is given per condition x priority (the cells), per condition, per priority and for
// all alarms; notices sit in their condition's LOW cell.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "record/session_record.hpp"

namespace vigil::record {

inline constexpr core::time_ms nuisance_max_ms = 30'000;

// The figures over one set of alarms: a condition x priority cell, a condition, a priority, or
// every alarm of the window.
struct burden_figures {
  std::uint32_t alarms = 0;            // raised in the window
  std::uint32_t in_session = 0;        // of which raised in INFUSION or RECOVERY
  std::uint32_t idle = 0;              // of which raised in IDLE
  std::optional<double> per_bed_hour;  // in_session / bed-hours; absent when bed-hours is 0
  std::uint32_t priority_rose = 0;     // raised below the priority they count under
  std::uint32_t acknowledged = 0;
  std::optional<double> share_acknowledged;  // absent when alarms is 0
  std::optional<double> ack_median_s;        // nearest rank; absent when none acknowledged
  std::optional<double> ack_p90_s;
  std::uint32_t nuisance = 0;
  std::optional<double> share_nuisance;             // absent when alarms is 0
  std::uint32_t escalations = 0;                    // ESCALATED events in the window
  std::vector<std::uint32_t> escalations_by_level;  // [level] = count; empty when none
  double minutes_in_alarm = 0;
  std::uint32_t notices = 0;  // NOTICE events in the window
  friend bool operator==(const burden_figures&, const burden_figures&) = default;
};

struct burden_row {
  std::string condition;                                  // empty: every condition
  core::priority priority = core::priority::unspecified;  // unspecified: every priority
  burden_figures figures;
  friend bool operator==(const burden_row&, const burden_row&) = default;
};

struct burden_report {
  core::time_ms since_ms = 0;
  core::time_ms until_ms = 0;
  std::optional<std::string> bed;  // none: every bed
  double bed_hours = 0;
  std::uint32_t sessions = 0;  // sessions that overlap the window
  // Every condition x priority with an alarm or notice in the window: by condition name, then
  // priority from HIGH down.
  std::vector<burden_row> cells;
  std::vector<burden_row> by_condition;  // priority unspecified; by condition name
  std::vector<burden_row> by_priority;   // condition empty; HIGH first
  burden_figures total;
  friend bool operator==(const burden_report&, const burden_report&) = default;
};

burden_report compute_burden(const std::vector<core::alarm_event>& history,
                             const std::vector<session_info>& sessions, core::time_ms since_ms,
                             core::time_ms until_ms, std::optional<std::string> bed);

// The nearest-rank percentile (p in 1..100) of values sorted ascending; none when empty.
std::optional<double> nearest_rank(const std::vector<double>& sorted, unsigned p);

}  // namespace vigil::record
