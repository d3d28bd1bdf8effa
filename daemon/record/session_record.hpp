// The record of one infusion session, as the chart needs it (README "The record"): who and
// when, the baseline, the vitals trend at a chart's resolution, the alarm events, and the
// limits in force. vigild assembles it from its store when a session ends; `vigil-replay
// report` assembles the same from a recording through the same engine. The report room renders
// it (PDF, FHIR); summarize() derives the figures both print.
// Plain values, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace vigil::record {

// One vital's trend. HR and the arterial line are kept per trend bucket (min, mean, max of
// the valid readings received in [at_ms, at_ms + bucket)); every NIBP reading is kept as it
// is (n = 1, lo = mean = hi).
enum class series : std::uint8_t { hr, nibp_sys, nibp_dia, nibp_mean, art_sys, art_dia, art_mean };
inline constexpr std::size_t series_count = 7;
std::string_view to_string(series s);  // "hr", "nibp_sys", ...
std::optional<series> series_named(std::string_view name);
std::string_view unit_of(series s);  // UCUM: "/min" or "mm[Hg]"

inline constexpr core::time_ms trend_bucket_ms = 10'000;

struct trend_point {
  core::time_ms at_ms = 0;  // the bucket's start, or the NIBP reading's receive time
  record::series series = series::hr;
  std::uint32_t n = 1;  // readings in the bucket
  double lo = 0;
  double mean = 0;
  double hi = 0;
  friend bool operator==(const trend_point&, const trend_point&) = default;
};

// What vigild knows of a session, from the InfusionEvents and the engine's SessionState.
struct session_info {
  std::string bed_id;
  std::string session_id;
  std::string patient_id;    // empty: the pump or console gave none
  std::string encounter_id;  // empty: none given
  std::string drug = "ketamine";
  std::optional<double> dose_mg_per_kg;
  std::uint32_t planned_minutes = 0;
  core::time_ms started_ms = 0;  // infusion start
  core::time_ms stopped_ms = 0;  // infusion stop; 0: not stopped (yet)
  core::time_ms ended_ms = 0;    // back to IDLE (recovery over); 0: not ended (yet)
  std::optional<double> baseline_systolic_mmhg;
  std::optional<double> baseline_diastolic_mmhg;
  friend bool operator==(const session_info&, const session_info&) = default;
};

// A limit in force during the infusion, drawn as a line on the chart.
struct limit_line {
  record::series series = series::hr;  // hr, nibp_sys (systolic) or nibp_dia (diastolic)
  std::string condition;               // e.g. "SBP_HIGH"
  double value = 0;
  friend bool operator==(const limit_line&, const limit_line&) = default;
};

struct session_record {
  session_info info;
  std::vector<trend_point> trend;         // from the infusion start to the end, by time
  std::vector<core::alarm_event> events;  // the session's alarm events, by event_seq
  std::vector<limit_line> limits;         // the infusion phase's limits
  core::time_ms until_ms = 0;             // the record covers [info.started_ms, until_ms]
  std::string generator;                  // e.g. "vigild 0.3.0" or "vigil-replay 0.3.0"
  friend bool operator==(const session_record&, const session_record&) = default;
};

}  // namespace vigil::record
