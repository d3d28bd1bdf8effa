// Resolving an imported `ack CONDITION` (alarm id "{bed}:{CONDITION}:?") against the bed's open
// alarms at play time: the offline player asks the engine, publish asks the bed's retained
// alarms/active topic.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/types.hpp"

namespace vigil::replay {

// The CONDITION of a placeholder id, or nullopt for an ordinary alarm id.
std::optional<std::string_view> unresolved_condition(std::string_view alarm_id);

// The id of the newest (latest onset) open alarm of `condition` in `open`, if any.
std::optional<std::string> resolve_ack(std::string_view condition, const core::active_alarms& open);

}  // namespace vigil::replay
