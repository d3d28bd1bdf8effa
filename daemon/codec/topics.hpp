// The topic tree of contract.md: building every topic, and parsing the ones vigild receives.
// `prefix` is the configured prefix (default "clinic"), which may itself contain '/'.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codec/result.hpp"

namespace vigil::codec {

// 1-64 characters of [A-Za-z0-9_.-].
bool valid_bed_id(std::string_view bed);

// The topics vigild subscribes to, one per input message type.
enum class input_kind : std::uint8_t { heart_rate, blood_pressure, monitor_status, infusion, ack };
inline constexpr input_kind all_input_kinds[] = {input_kind::heart_rate, input_kind::blood_pressure,
                                                 input_kind::monitor_status, input_kind::infusion,
                                                 input_kind::ack};
std::string_view to_string(input_kind k);  // "heart_rate", "blood_pressure", ...

enum class topic_error : std::uint8_t { not_under_prefix, unknown_topic, bad_bed_id };
std::string_view to_string(topic_error e);  // "not_under_prefix", ...

struct input_topic {
  std::string bed;
  input_kind kind;
};
result<input_topic, topic_error> parse_input_topic(std::string_view prefix, std::string_view topic);

// The same parse without a copy of the bed id: `bed` points into the topic it was parsed from.
// For the per-message path (ingest), where the id is only looked up.
struct input_topic_ref {
  std::string_view bed;
  input_kind kind;
};
result<input_topic_ref, topic_error> parse_input_topic_ref(std::string_view prefix,
                                                           std::string_view topic);

// Builders. The caller passes a valid bed id; these do not check it.
std::string input_topic_name(std::string_view prefix, std::string_view bed, input_kind k);
std::string alarm_events_topic(std::string_view prefix, std::string_view bed);
std::string active_alarms_topic(std::string_view prefix, std::string_view bed);
std::string session_topic(std::string_view prefix, std::string_view bed);
std::string trend_topic(std::string_view prefix, std::string_view bed);  // BedTrend, retained
std::string escalations_topic(std::string_view prefix);
std::string daemon_status_topic(std::string_view prefix, std::string_view instance);

// {prefix}/beds/+/vitals/heart_rate, ... : one filter per input_kind, in all_input_kinds order.
// The record's MQTT 5 request/response (history.hpp): requests come in on the first; vigild
// answers only on a response topic under the second (the asker's choice below it), so a
// request can never make vigild publish onto an alarm or session topic.
std::string history_request_topic(std::string_view prefix);  // {prefix}/history/request
std::string history_response_root(std::string_view prefix);  // {prefix}/history/response/
// {prefix}/beds/+/vitals/heart_rate, ... : one filter per input_kind, in all_input_kinds order.
std::vector<std::string> input_filters(std::string_view prefix);
// vigild's subscriptions: input_filters(), then the record's requests.
std::vector<std::string> subscription_filters(std::string_view prefix);

}  // namespace vigil::codec
