// The contract's names of the engine's enum values, as the wire's enums spell them without
// their prefix: "HIGH", "RAISED", "INFUSION", "ACKNOWLEDGED". For people (vigilctl's lines) and
// for metric labels; "?" for unspecified.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/types.hpp"

namespace vigil::core {

// How many values each enum has, unspecified included, for arrays indexed by them: from the
// last enumerator, which name()'s switch (-Wswitch) keeps in step with the enum.
inline constexpr std::size_t priority_count = static_cast<std::size_t>(priority::high) + 1;
inline constexpr std::size_t transition_count = static_cast<std::size_t>(transition::notice) + 1;
inline constexpr std::size_t phase_count = static_cast<std::size_t>(phase::recovery) + 1;
inline constexpr std::size_t alarm_state_count = static_cast<std::size_t>(alarm_state::ended) + 1;

std::string_view name(priority p);
std::string_view name(transition t);
std::string_view name(phase p);
std::string_view name(alarm_state s);

}  // namespace vigil::core
