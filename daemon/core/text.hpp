// The one-line texts a nurse reads on a dashboard. Deterministic: no locale, no clock.
#pragma once

#include <string>
#include <string_view>

#include "core/conditions.hpp"
#include "core/types.hpp"

namespace vigil::core::text {

std::string number(double v);                        // 186 -> "186", 37.333 -> "37.3"
std::string clock(std::int64_t ms);                  // 2480000 -> "41:20"
std::string unit_for_people(std::string_view ucum);  // "mm[Hg]" -> "mmHg"
std::string_view op(direction d);                    // ">", "≥", "<"
std::string seconds(std::int64_t ms);                // 120000 -> "120"
std::string minutes(std::int64_t ms);                // 3900000 -> "65"

// " at 41:20 into infusion", " at 3:05 into recovery", or "" when idle.
std::string when(phase p, time_ms now, time_ms started_at, time_ms stopped_at);

}  // namespace vigil::core::text
