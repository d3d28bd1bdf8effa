// What vigilctl reads from its users and from topic names, as pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/types.hpp"

namespace vigil::ctl {

// The bed of an alarm id "{bed}:{CONDITION}:{n}" (alarms.md §8), or nullopt when `id` does not
// have that form: an ack for it could never match an alarm.
std::optional<std::string_view> bed_of_alarm_id(std::string_view id);

// Whether `topic` matches the MQTT subscription `filter` ('+' one level, '#' the rest).
bool topic_matches(std::string_view filter, std::string_view topic);

// A time on vigilctl's command line, as Unix ms: "7d", "12h", "30m", "45s" (that long before
// `now`), "now", "2026-12-01" (midnight UTC), "2026-12-01T08:30:00Z" (UTC; "Z" may be left
// out, a time is always UTC), or Unix ms (digits only). nullopt when it is none of these.
std::optional<core::time_ms> parse_time(std::string_view text, core::time_ms now);

// The history's output formats.
enum class out_format : std::uint8_t { table, csv, json };
std::optional<out_format> parse_format(std::string_view text);

}  // namespace vigil::ctl
