// How the report writes times: UTC calendar times from Unix ms, and times into the infusion.
#pragma once

#include <string>

#include "core/types.hpp"

namespace vigil::report {

// "2025-03-11T09:00:00Z" (whole seconds, rounded down).
std::string utc_iso(core::time_ms at_ms);
// "2025-03-11T09:00:00.000Z": FHIR's dateTime and instant, to the millisecond.
std::string utc_iso_ms(core::time_ms at_ms);
// "09:40:20" (UTC, the time of day).
std::string utc_clock(core::time_ms at_ms);
// "40:20" minutes and seconds of a duration, rounded down; "-0:30" before the infusion start.
std::string elapsed(core::time_ms ms);
// "41.5": minutes to one decimal, ".0" dropped ("40").
std::string minutes_text(double minutes);

}  // namespace vigil::report
