// The JSON view ([mqtt] json_view): each message vigild publishes, a second time as JSON in
// protobuf's JSON mapping with the contract's field names (snake_case, enum values by name,
// 64-bit integers quoted, default values printed), under {prefix}/json/ followed by the rest of
// its topic, with the same QoS and retain flag. For tools that cannot decode protobuf
// (Node-RED, Home Assistant, Grafana's MQTT data source, MQTT Explorer).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "codec/outbox.hpp"

namespace vigil::codec {

// "{prefix}/beds/b1/alarms/events" -> "{prefix}/json/beds/b1/alarms/events".
std::string json_view_topic(std::string_view prefix, std::string_view topic);

// The JSON copy of `msg`, or nullopt when its topic is none of vigild's outputs or its payload
// does not decode (never for what vigild itself encoded). Not kept in the outbox (id 0).
std::optional<outgoing> json_view_of(std::string_view prefix, const outgoing& msg);

}  // namespace vigil::codec
