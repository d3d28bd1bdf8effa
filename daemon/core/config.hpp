// The engine's validated configuration: every limit, delay and timer of alarms.md, with the
// documented defaults. daemon/settings parses the TOML file into this; the engine trusts it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "core/conditions.hpp"
#include "core/types.hpp"

namespace vigil::core {

// Every physiological condition's limits as its catalogue row documents them.
constexpr std::array<threshold, physiological_count> default_limits() {
  std::array<threshold, physiological_count> all{};
  for (std::size_t i = 0; i < physiological_count; ++i)
    all[i] = detail::catalogue[i].default_limits;
  return all;
}

// Everything alarms.md lets the configuration change per phase.
struct phase_config {
  // Indexed by condition_id; read through limit(), since a condition may use another's limits
  // (ART_SBP_HIGH uses SBP_HIGH's): the slots of such conditions are never read.
  std::array<threshold, physiological_count> limits = default_limits();
  double hr_hysteresis = 5;                    // /min
  double pressure_hysteresis = 5;              // mm[Hg]
  time_ms continuous_persistence_ms = 10'000;  // HR and arterial: condition delay P
  time_ms nibp_persistence_ms = 0;
  time_ms continuous_clear_delay_ms = 5'000;  // clear delay D
  time_ms nibp_clear_delay_ms = 0;
  time_ms hr_stale_ms = 10'000;        // HR_SIGNAL_LOST after this long without a valid HR
  time_ms nibp_interval_ms = 300'000;  // expected NIBP cycle; NIBP_OVERDUE after it + grace
  bool operator==(const phase_config&) const = default;

  threshold& limit(condition_id c) { return limits[index(info(c).limits_of)]; }
  const threshold& limit(condition_id c) const { return limits[index(info(c).limits_of)]; }
};

struct plausible_range {
  double min = 0;
  double max = 0;
  bool contains(double v) const { return v >= min && v <= max; }  // false for NaN
  bool operator==(const plausible_range&) const = default;
};

struct engine_config {
  // Indexed by phase_index(): idle, infusion, recovery. Recovery: a cuff every 15 min.
  std::array<phase_config, 3> phases{phase_config{}, phase_config{},
                                     phase_config{.nibp_interval_ms = 900'000}};
  time_ms nibp_grace_ms = 60'000;
  // The planned-duration window, the overrun deadline and the recovery period. Kept in ms so a
  // test configuration can compress a session; planned_minutes on the wire is x 60'000 ms.
  time_ms infusion_min_ms = 40 * 60'000;
  time_ms infusion_max_ms = 60 * 60'000;  // INFUSION_OVERRUN at STARTED + this
  time_ms recovery_ms = 60 * 60'000;      // RECOVERY -> IDLE after this
  time_ms baseline_lookback_ms = 30 * 60'000;
  double baseline_elevated_systolic = 140;  // notice when baseline SBP > this
  double baseline_elevated_diastolic = 90;  // or DBP > this
  time_ms ack_silence_ms = 120'000;
  time_ms escalate_medium_ms = 120'000;
  time_ms escalate_high_ms = 60'000;
  std::uint32_t escalation_max_level = 3;
  plausible_range hr_plausible{20, 300};
  plausible_range sbp_plausible{40, 300};
  plausible_range dbp_plausible{15, 250};
  plausible_range map_plausible{20, 280};
  bool operator==(const engine_config&) const = default;
};

// idle -> 0, infusion -> 1, recovery -> 2 (unspecified is treated as idle).
constexpr std::size_t phase_index(phase p) {
  return p == phase::infusion ? 1 : p == phase::recovery ? 2 : 0;
}

}  // namespace vigil::core
