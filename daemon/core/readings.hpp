// Readings through the physiological conditions (alarms.md sections 3 and 5): what makes a
// reading valid, and the evaluation of each condition the catalogue lists for its feed.
#pragma once

#include "core/bed_state.hpp"
#include "core/instant.hpp"
#include "core/types.hpp"

namespace vigil::core::detail {

// Each: drops an invalid reading (counted, nothing else), or counts it and applies the rules.
after accept_heart_rate(instant& in, bed_state& b, const heart_rate& m);
after accept_blood_pressure(instant& in, bed_state& b, const blood_pressure& m);

}  // namespace vigil::core::detail
