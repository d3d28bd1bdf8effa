// The synthetic ward every benchmark feeds: bed and device names, what a quiet patient's
// monitor sends, and the readings that make an alarm. The engine benchmark and the load
// generator both build their messages from here, so both measure the same traffic.
#pragma once

#include <cstdint>
#include <string>

#include "core/types.hpp"

namespace vigil::bench {

inline constexpr const char* prefix = "clinic";

// One heart rate a second per bed; a cuff (NIBP) every 5 minutes, staggered over the beds.
inline constexpr int nibp_period_s = 300;

// "bed-0042" / "mon-bed-0042": short enough for the standard library's small-string buffer,
// like the ids the tests and the demo use.
std::string bed_name(int bed);
std::string device_name(int bed);

// A calm patient: 62..78 /min, a slow wobble that differs from bed to bed.
double quiet_bpm(int bed, std::int64_t second);
inline constexpr double quiet_systolic = 122;
inline constexpr double quiet_diastolic = 78;

// HR_HIGH at HIGH priority once held for the HR persistence (> 150 /min).
inline constexpr double alarm_bpm = 160;
// SBP_HIGH at HIGH priority at once (>= 180 mm[Hg], NIBP persistence 0). DBP stays below the
// DBP_HIGH limit so the probe raises exactly one physiological alarm.
inline constexpr double alarm_systolic = 186;
inline constexpr double alarm_diastolic = 88;

core::heart_rate heart_rate(int bed, std::uint64_t seq, double bpm, core::time_ms at_ms);
core::blood_pressure nibp(int bed, std::uint64_t seq, double systolic, double diastolic,
                          core::time_ms at_ms);
// A 45-minute ketamine infusion (inside the 40-60 minute window: no notice).
core::infusion_event infusion(core::infusion_kind kind, core::time_ms at_ms);

}  // namespace vigil::bench
