// The catalogue of alarm conditions of alarms.md sections 5 and 6: one row per condition, so
// the evaluation code has no per-condition branches.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/config.hpp"
#include "core/types.hpp"

namespace vigil::core {

enum class condition_id : std::uint8_t {
  // physiological, evaluated on readings
  hr_high,
  hr_low,
  sbp_high,
  dbp_high,
  sbp_low,
  map_low,
  sbp_rise,
  dbp_rise,
  art_sbp_high,
  art_dbp_high,
  art_sbp_low,
  art_map_low,
  // technical and procedural, driven by deadlines and status
  hr_signal_lost,
  nibp_overdue,
  monitor_offline,
  infusion_overrun,
  // notices: one event each, never open
  planned_duration_reached,
  baseline_bp_elevated,
  planned_duration_outside_window,
  count
};
constexpr std::size_t index(condition_id c) { return static_cast<std::size_t>(c); }

// Counted from the enum, so adding a condition in its group resizes every array they size.
inline constexpr std::size_t condition_count = index(condition_id::count);
// HR_HIGH .. ART_MAP_LOW: the conditions evaluated on readings.
inline constexpr std::size_t physiological_count = index(condition_id::hr_signal_lost);
// Every condition before the notices can be open (and acknowledged).
inline constexpr std::size_t alarm_condition_count = index(condition_id::planned_duration_reached);

enum class feed : std::uint8_t { hr, nibp, arterial, none };
enum class measure : std::uint8_t { hr, sbp, dbp, map, sbp_rise, dbp_rise, none };
// How a value is "beyond" a limit, exactly as the table's operator says.
enum class direction : std::uint8_t { above, at_or_above, below };

struct condition_info {
  std::string_view name;  // the wire code, e.g. "SBP_HIGH"
  alarm_kind kind;
  core::feed feed;
  core::measure measure;
  core::direction direction;
  threshold phase_config::*limits;  // null for non-physiological conditions
  std::string_view label;           // for the event text, e.g. "SBP"
  std::string_view unit;            // UCUM
};

namespace detail {
extern const std::array<condition_info, condition_count> catalogue;  // conditions.cpp
}
inline const condition_info& info(condition_id c) { return detail::catalogue[index(c)]; }
// The condition whose wire code is `name` ("SBP_HIGH"), if any.
std::optional<condition_id> condition_named(std::string_view name);

inline bool beyond(direction d, double v, double limit) {
  switch (d) {
    case direction::above: return v > limit;
    case direction::at_or_above: return v >= limit;
    case direction::below: return v < limit;
  }
  return false;
}

// Back inside the limit by at least the hysteresis.
inline bool inside_by(direction d, double v, double limit, double h) {
  return d == direction::below ? v >= limit + h : v <= limit - h;
}

}  // namespace vigil::core
