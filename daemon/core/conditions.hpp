// The catalogue of alarm conditions of alarms.md sections 5 and 6: the enum and one row per
// condition side by side, so the evaluation code has no per-condition branches and adding a
// condition on an existing vital is one enum entry and one row here (plus its config key in
// daemon/settings/schema.cpp and its test).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/types.hpp"

namespace vigil::core {

// A condition's limits: MEDIUM when beyond `medium`, HIGH when beyond `high` (if any).
struct threshold {
  double medium = 0;
  std::optional<double> high;
  bool operator==(const threshold&) const = default;
};

// In the catalogue's order; the groups are contiguous (checked below).
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
// alarms.md's "phases" column: where a condition is evaluated.
enum class phases : std::uint8_t { all, session };  // session: INFUSION and RECOVERY

struct condition_info {
  condition_id id;
  std::string_view name;  // the wire code, e.g. "SBP_HIGH"
  alarm_kind kind;
  core::feed feed = feed::none;
  core::measure measure = measure::none;
  core::direction direction = direction::above;
  core::phases phases = phases::all;
  // Whose configured limits it uses (phase_config::limit): itself, or the NIBP condition an
  // arterial one shares its limits with. count for the conditions without limits.
  condition_id limits_of = condition_id::count;
  threshold default_limits{};  // the documented default of the row that owns its limits
  std::string_view label{};    // for the event text, e.g. "SBP"
  std::string_view unit{};     // UCUM
};

namespace detail {

using cid = condition_id;
inline constexpr std::string_view per_min = "/min";
inline constexpr std::string_view mmhg = "mm[Hg]";
inline constexpr alarm_kind phys = alarm_kind::physiological;
inline constexpr alarm_kind tech = alarm_kind::technical;

// clang-format off
inline constexpr std::array<condition_info, condition_count> catalogue{{
    // > ; IEC 60601-2-27 bedside default, OpenICE critical band
    {cid::hr_high, "HR_HIGH", phys, feed::hr, measure::hr, direction::above, phases::all,
     cid::hr_high, {120, 150}, "HR", per_min},
    {cid::hr_low, "HR_LOW", phys, feed::hr, measure::hr, direction::below, phases::all,
     cid::hr_low, {50, 40}, "HR", per_min},
    // >= ; 180 = esketamine label "hold and reassess"
    {cid::sbp_high, "SBP_HIGH", phys, feed::nibp, measure::sbp, direction::at_or_above,
     phases::all, cid::sbp_high, {160, 180}, "SBP", mmhg},
    {cid::dbp_high, "DBP_HIGH", phys, feed::nibp, measure::dbp, direction::at_or_above,
     phases::all, cid::dbp_high, {100, 110}, "DBP", mmhg},
    {cid::sbp_low, "SBP_LOW", phys, feed::nibp, measure::sbp, direction::below, phases::all,
     cid::sbp_low, {90, 80}, "SBP", mmhg},
    {cid::map_low, "MAP_LOW", phys, feed::nibp, measure::map, direction::below, phases::all,
     cid::map_low, {60, 50}, "MAP", mmhg},
    // >= over baseline; esketamine label's clinically significant rise
    {cid::sbp_rise, "SBP_RISE", phys, feed::nibp, measure::sbp_rise, direction::at_or_above,
     phases::session, cid::sbp_rise, {40, {}}, "SBP rise", mmhg},
    {cid::dbp_rise, "DBP_RISE", phys, feed::nibp, measure::dbp_rise, direction::at_or_above,
     phases::session, cid::dbp_rise, {25, {}}, "DBP rise", mmhg},
    // Arterial readings: the NIBP conditions' measures and limits.
    {cid::art_sbp_high, "ART_SBP_HIGH", phys, feed::arterial, measure::sbp,
     direction::at_or_above, phases::all, cid::sbp_high, {}, "ART SBP", mmhg},
    {cid::art_dbp_high, "ART_DBP_HIGH", phys, feed::arterial, measure::dbp,
     direction::at_or_above, phases::all, cid::dbp_high, {}, "ART DBP", mmhg},
    {cid::art_sbp_low, "ART_SBP_LOW", phys, feed::arterial, measure::sbp, direction::below,
     phases::all, cid::sbp_low, {}, "ART SBP", mmhg},
    {cid::art_map_low, "ART_MAP_LOW", phys, feed::arterial, measure::map, direction::below,
     phases::all, cid::map_low, {}, "ART MAP", mmhg},
    {.id = cid::hr_signal_lost, .name = "HR_SIGNAL_LOST", .kind = tech,
     .phases = phases::session, .label = "HR signal"},
    {.id = cid::nibp_overdue, .name = "NIBP_OVERDUE", .kind = tech, .phases = phases::session,
     .label = "NIBP"},
    {.id = cid::monitor_offline, .name = "MONITOR_OFFLINE", .kind = tech,
     .phases = phases::session, .label = "Monitor"},
    {.id = cid::infusion_overrun, .name = "INFUSION_OVERRUN", .kind = alarm_kind::procedural,
     .phases = phases::session, .label = "Infusion"},
    {.id = cid::planned_duration_reached, .name = "PLANNED_DURATION_REACHED",
     .kind = alarm_kind::notice, .label = "Infusion"},
    {.id = cid::baseline_bp_elevated, .name = "BASELINE_BP_ELEVATED", .kind = alarm_kind::notice,
     .label = "Baseline"},
    {.id = cid::planned_duration_outside_window, .name = "PLANNED_DURATION_OUTSIDE_WINDOW",
     .kind = alarm_kind::notice, .label = "Infusion"},
}};
// clang-format on

// The groups the enum's comments promise, checked against every row: a row in the wrong place,
// a missing row or a physiological row without a feed or limits fails to compile.
constexpr bool row_fits(std::size_t i) {
  const condition_info& r = catalogue[i];
  if (index(r.id) != i || r.name.empty() || r.label.empty()) return false;
  if (i < physiological_count) {
    return r.kind == alarm_kind::physiological && r.feed != feed::none &&
           r.measure != measure::none && index(r.limits_of) < physiological_count &&
           catalogue[index(r.limits_of)].limits_of == r.limits_of;
  }
  const bool no_reading = r.feed == feed::none && r.limits_of == condition_id::count;
  if (i < alarm_condition_count) {
    return no_reading && r.phases == phases::session &&
           (r.kind == alarm_kind::technical || r.kind == alarm_kind::procedural);
  }
  return no_reading && r.kind == alarm_kind::notice;
}
constexpr bool catalogue_fits() {
  for (std::size_t i = 0; i < catalogue.size(); ++i)
    if (!row_fits(i)) return false;
  return true;
}
static_assert(catalogue.size() == condition_count);
static_assert(catalogue_fits(), "a catalogue row is out of the enum's order or group");
static_assert(physiological_count < alarm_condition_count &&
              alarm_condition_count < condition_count);

}  // namespace detail

constexpr const condition_info& info(condition_id c) { return detail::catalogue[index(c)]; }

// The physiological conditions read from one feed, in catalogue order, taken from the catalogue
// at compile time: a reading loops over its own conditions only (two for a heart rate).
struct feed_conditions {
  std::array<condition_id, physiological_count> ids{};
  std::size_t size = 0;
  const condition_id* begin() const { return ids.data(); }
  const condition_id* end() const { return ids.data() + size; }
};
constexpr feed_conditions conditions_of(feed f) {
  feed_conditions out;
  for (std::size_t i = 0; i < physiological_count; ++i) {
    if (detail::catalogue[i].feed == f) out.ids[out.size++] = detail::catalogue[i].id;
  }
  return out;
}
template <feed F>
inline constexpr feed_conditions conditions_on = conditions_of(F);

// The condition whose wire code is `name` ("SBP_HIGH"), if any.
constexpr std::optional<condition_id> condition_named(std::string_view name) {
  for (const auto& row : detail::catalogue)
    if (row.name == name) return row.id;
  return std::nullopt;
}

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
