#include "codec/json_view.hpp"

#include <google/protobuf/util/json_util.h>

#include "codec/wire.hpp"

namespace vigil::codec {

namespace {

namespace pb = vigil::v1;

template <class Pb>
std::optional<std::string> to_json(std::string_view bytes) {
  Pb m;
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return std::nullopt;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;     // the contract's names
  options.always_print_primitive_fields = true;  // every key in every message (see json_line)
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(m, &json, options).ok()) return std::nullopt;
  return json;
}

// Which message a topic of vigild's carries, by the end of its topic (contract.md's table).
std::optional<std::string> json_of(std::string_view rest, std::string_view bytes) {
  if (rest.ends_with("/alarms/events") || rest == "escalations")
    return to_json<pb::AlarmEvent>(bytes);
  if (rest.ends_with("/alarms/active")) return to_json<pb::ActiveAlarms>(bytes);
  if (rest.starts_with("beds/") && rest.ends_with("/session"))
    return to_json<pb::SessionState>(bytes);
  if (rest.starts_with("daemon/") && rest.ends_with("/status"))
    return to_json<pb::DaemonStatus>(bytes);
  return std::nullopt;
}

}  // namespace

std::string json_view_topic(std::string_view prefix, std::string_view topic) {
  return std::string(prefix) + "/json/" + std::string(topic.substr(prefix.size() + 1));
}

std::optional<outgoing> json_view_of(std::string_view prefix, const outgoing& msg) {
  const std::string_view topic = msg.topic;
  if (topic.size() <= prefix.size() + 1 || !topic.starts_with(prefix) ||
      topic[prefix.size()] != '/') {
    return std::nullopt;
  }
  auto json = json_of(topic.substr(prefix.size() + 1), msg.payload);
  if (!json) return std::nullopt;
  return outgoing{json_view_topic(prefix, topic), std::move(*json), msg.retained, msg.qos, 0};
}

}  // namespace vigil::codec
