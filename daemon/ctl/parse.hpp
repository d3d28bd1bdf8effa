// What vigilctl reads from its users and from topic names, as pure functions.
#pragma once

#include <optional>
#include <string_view>

namespace vigil::ctl {

// The bed of an alarm id "{bed}:{CONDITION}:{n}" (alarms.md §8), or nullopt when `id` does not
// have that form: an ack for it could never match an alarm.
std::optional<std::string_view> bed_of_alarm_id(std::string_view id);

// Whether `topic` matches the MQTT subscription `filter` ('+' one level, '#' the rest).
bool topic_matches(std::string_view filter, std::string_view topic);

}  // namespace vigil::ctl
