// What a chart prints about one session, derived from its record (README "The record"): the
// infusion's length, the peak blood pressures, one row per alarm, the notices, the time spent
// in each alarm condition and the alarm episodes to shade on the time axis. The PDF and
// whoever else prints a session share these figures. Pure: no I/O, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "record/session_record.hpp"

namespace vigil::record {

// The highest systolic or diastolic pressure of the session: an NIBP reading, or the `hi` of
// an arterial bucket (at the bucket's start).
struct bp_peak {
  double mmhg = 0;
  core::time_ms at_ms = 0;
  std::int64_t minute = 0;                   // whole minutes after the infusion start (minute_of)
  record::series source = series::nibp_sys;  // nibp_sys/nibp_dia or art_sys/art_dia
  friend bool operator==(const bp_peak&, const bp_peak&) = default;
};

// One alarm (alarm_id) of the record, from all its events.
struct alarm_row {
  std::string alarm_id;
  std::string condition;
  core::alarm_kind kind = core::alarm_kind::unspecified;
  core::priority priority = core::priority::unspecified;  // the highest it reached
  core::time_ms raised_ms = 0;                            // onset_ms
  std::string text;  // the RAISED event's (the first event's when the record has no RAISED)
  std::string acknowledged_by;                   // of the first ACKNOWLEDGED transition
  std::optional<core::time_ms> acknowledged_ms;  // none: never acknowledged in the record
  std::optional<core::time_ms> ended_ms;         // none: not ended within the record
  std::uint32_t escalation_level = 0;            // the highest reached
  friend bool operator==(const alarm_row&, const alarm_row&) = default;
};

// An event of kind NOTICE (information, not an alarm: e.g. a baseline taken).
struct notice_row {
  std::string condition;
  core::time_ms at_ms = 0;
  std::string text;
  friend bool operator==(const notice_row&, const notice_row&) = default;
};

// An alarm's span, [onset, end or until_ms] clipped to the record's [started_ms, until_ms].
struct episode {
  std::string alarm_id;
  std::string condition;
  core::priority priority = core::priority::unspecified;  // the highest it reached
  core::time_ms begin_ms = 0;
  core::time_ms end_ms = 0;
  bool ended = false;  // false: still open when the record ends
  friend bool operator==(const episode&, const episode&) = default;
};

struct condition_time {
  std::string condition;
  core::time_ms ms = 0;  // the sum of its alarms' clipped spans
  friend bool operator==(const condition_time&, const condition_time&) = default;
};

struct summary {
  std::uint32_t planned_minutes = 0;
  std::optional<double> actual_minutes;  // stopped - started; none: not stopped
  std::optional<bp_peak> peak_systolic;  // none: no blood pressure in the record
  std::optional<bp_peak> peak_diastolic;
  std::vector<alarm_row> alarms;                  // not NOTICE kind, by onset (then first event)
  std::vector<notice_row> notices;                // by event order
  std::vector<condition_time> time_in_condition;  // by condition name
  std::vector<episode> episodes;                  // alarms' spans within the record, by onset
  friend bool operator==(const summary&, const summary&) = default;
};

summary summarize(const session_record& r);

// Whole minutes from the infusion start to `at_ms`, rounded down (negative before the start).
std::int64_t minute_of(const session_info& info, core::time_ms at_ms);

// "HIGH", "MEDIUM", "LOW", "-" (unspecified): the words a chart prints.
std::string_view priority_name(core::priority p);

}  // namespace vigil::record
