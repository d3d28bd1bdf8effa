#include "core/conditions.hpp"

namespace vigil::core {
namespace {

constexpr std::string_view per_min = "/min";
constexpr std::string_view mmhg = "mm[Hg]";

using pc = phase_config;
constexpr alarm_kind phys = alarm_kind::physiological;

}  // namespace

const std::array<condition_info, condition_count> detail::catalogue{{
    {"HR_HIGH", phys, feed::hr, measure::hr, direction::above, &pc::hr_high, "HR", per_min},
    {"HR_LOW", phys, feed::hr, measure::hr, direction::below, &pc::hr_low, "HR", per_min},
    {"SBP_HIGH", phys, feed::nibp, measure::sbp, direction::at_or_above, &pc::sbp_high, "SBP",
     mmhg},
    {"DBP_HIGH", phys, feed::nibp, measure::dbp, direction::at_or_above, &pc::dbp_high, "DBP",
     mmhg},
    {"SBP_LOW", phys, feed::nibp, measure::sbp, direction::below, &pc::sbp_low, "SBP", mmhg},
    {"MAP_LOW", phys, feed::nibp, measure::map, direction::below, &pc::map_low, "MAP", mmhg},
    {"SBP_RISE", phys, feed::nibp, measure::sbp_rise, direction::at_or_above, &pc::sbp_rise,
     "SBP rise", mmhg},
    {"DBP_RISE", phys, feed::nibp, measure::dbp_rise, direction::at_or_above, &pc::dbp_rise,
     "DBP rise", mmhg},
    {"ART_SBP_HIGH", phys, feed::arterial, measure::sbp, direction::at_or_above, &pc::sbp_high,
     "ART SBP", mmhg},
    {"ART_DBP_HIGH", phys, feed::arterial, measure::dbp, direction::at_or_above, &pc::dbp_high,
     "ART DBP", mmhg},
    {"ART_SBP_LOW", phys, feed::arterial, measure::sbp, direction::below, &pc::sbp_low, "ART SBP",
     mmhg},
    {"ART_MAP_LOW", phys, feed::arterial, measure::map, direction::below, &pc::map_low, "ART MAP",
     mmhg},
    {"HR_SIGNAL_LOST", alarm_kind::technical, feed::none, measure::none, direction::above, nullptr,
     "HR signal", ""},
    {"NIBP_OVERDUE", alarm_kind::technical, feed::none, measure::none, direction::above, nullptr,
     "NIBP", ""},
    {"MONITOR_OFFLINE", alarm_kind::technical, feed::none, measure::none, direction::above, nullptr,
     "Monitor", ""},
    {"INFUSION_OVERRUN", alarm_kind::procedural, feed::none, measure::none, direction::above,
     nullptr, "Infusion", ""},
    {"PLANNED_DURATION_REACHED", alarm_kind::notice, feed::none, measure::none, direction::above,
     nullptr, "Infusion", ""},
    {"BASELINE_BP_ELEVATED", alarm_kind::notice, feed::none, measure::none, direction::above,
     nullptr, "Baseline", ""},
    {"PLANNED_DURATION_OUTSIDE_WINDOW", alarm_kind::notice, feed::none, measure::none,
     direction::above, nullptr, "Infusion", ""},
}};

std::optional<condition_id> condition_named(std::string_view name) {
  for (std::size_t i = 0; i < condition_count; ++i) {
    if (detail::catalogue[i].name == name) return static_cast<condition_id>(i);
  }
  return std::nullopt;
}

}  // namespace vigil::core
