#include "codec/topics.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

namespace vigil::codec {
namespace {

// What follows {prefix}/beds/{bed}/ for each input, in input_kind order.
constexpr std::string_view input_suffix[] = {"vitals/heart_rate", "vitals/blood_pressure",
                                             "monitor/status", "infusion", "alarms/ack"};
static_assert(std::size(input_suffix) == std::size(all_input_kinds));

std::string_view suffix(input_kind k) { return input_suffix[static_cast<std::size_t>(k)]; }

std::string bed_topic(std::string_view prefix, std::string_view bed, std::string_view leaf) {
  std::string t;
  t.reserve(prefix.size() + bed.size() + leaf.size() + 7);
  t.append(prefix).append("/beds/").append(bed).append("/").append(leaf);
  return t;
}

// [A-Za-z0-9_.-] as a table: one load per character instead of five range tests (every message's
// bed id is checked).
constexpr std::array<bool, 256> make_bed_chars() {
  std::array<bool, 256> ok{};
  for (int c = 0; c < 256; ++c) {
    ok[static_cast<std::size_t>(c)] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                      (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  }
  return ok;
}
constexpr std::array<bool, 256> bed_chars = make_bed_chars();

bool bed_char(char c) { return bed_chars[static_cast<unsigned char>(c)]; }

}  // namespace

bool valid_bed_id(std::string_view bed) {
  return !bed.empty() && bed.size() <= 64 && std::all_of(bed.begin(), bed.end(), bed_char);
}

std::string_view to_string(input_kind k) {
  switch (k) {
    case input_kind::heart_rate: return "heart_rate";
    case input_kind::blood_pressure: return "blood_pressure";
    case input_kind::monitor_status: return "monitor_status";
    case input_kind::infusion: return "infusion";
    case input_kind::ack: return "ack";
  }
  return "unknown";
}

std::string_view to_string(topic_error e) {
  switch (e) {
    case topic_error::not_under_prefix: return "not_under_prefix";
    case topic_error::unknown_topic: return "unknown_topic";
    case topic_error::bad_bed_id: return "bad_bed_id";
  }
  return "unknown";
}

namespace {

// input_suffix[I] == leaf, compared with a length known at compile time (no memcmp call).
template <std::size_t I>
bool leaf_is(std::string_view leaf) {
  constexpr std::string_view want = input_suffix[I];
  return leaf.size() == want.size() && std::memcmp(leaf.data(), want.data(), want.size()) == 0;
}

template <std::size_t... I>
const input_kind* find_leaf(std::string_view leaf, std::index_sequence<I...>) {
  const input_kind* found = nullptr;
  (void)((leaf_is<I>(leaf) && (found = &all_input_kinds[I], true)) || ...);
  return found;
}

}  // namespace

// Every received message's topic: one pass over the bed id (its end and its characters
// together), the fixed parts compared inline.
result<input_topic_ref, topic_error> parse_input_topic_ref(std::string_view prefix,
                                                           std::string_view topic) {
  constexpr std::string_view beds = "/beds/";
  if (topic.size() < prefix.size() + beds.size() || !topic.starts_with(prefix) ||
      std::memcmp(topic.data() + prefix.size(), beds.data(), beds.size()) != 0) {
    return failure{topic_error::not_under_prefix};
  }
  const char* const first = topic.data() + prefix.size() + beds.size();  // {bed}/{leaf}
  const char* const end = topic.data() + topic.size();
  const char* slash = first;
  bool bed_ok = true;
  for (; slash != end && *slash != '/'; ++slash) bed_ok &= bed_char(*slash);
  if (slash == end) return failure{topic_error::unknown_topic};
  const std::string_view bed(first, static_cast<std::size_t>(slash - first));
  const std::string_view leaf(slash + 1, static_cast<std::size_t>(end - slash - 1));
  // The leaf decides whether this is an input topic at all; only then is the bed id judged,
  // so "bad bed id" is counted for messages that were meant for vigild.
  const input_kind* kind = find_leaf(leaf, std::make_index_sequence<std::size(input_suffix)>{});
  if (kind == nullptr) return failure{topic_error::unknown_topic};
  if (!bed_ok || bed.empty() || bed.size() > 64) return failure{topic_error::bad_bed_id};
  return input_topic_ref{bed, *kind};
}

result<input_topic, topic_error> parse_input_topic(std::string_view prefix,
                                                   std::string_view topic) {
  auto parsed = parse_input_topic_ref(prefix, topic);
  if (!parsed) return failure{parsed.error()};
  return input_topic{std::string(parsed.value().bed), parsed.value().kind};
}

std::string input_topic_name(std::string_view prefix, std::string_view bed, input_kind k) {
  return bed_topic(prefix, bed, suffix(k));
}
std::string alarm_events_topic(std::string_view prefix, std::string_view bed) {
  return bed_topic(prefix, bed, "alarms/events");
}
std::string active_alarms_topic(std::string_view prefix, std::string_view bed) {
  return bed_topic(prefix, bed, "alarms/active");
}
std::string session_topic(std::string_view prefix, std::string_view bed) {
  return bed_topic(prefix, bed, "session");
}
std::string escalations_topic(std::string_view prefix) {
  return std::string(prefix) + "/escalations";
}
std::string daemon_status_topic(std::string_view prefix, std::string_view instance) {
  return std::string(prefix).append("/daemon/").append(instance).append("/status");
}

std::string trend_topic(std::string_view prefix, std::string_view bed) {
  return std::string(prefix).append("/beds/").append(bed).append("/trend");
}

std::string history_request_topic(std::string_view prefix) {
  return std::string(prefix).append("/history/request");
}

std::string history_response_root(std::string_view prefix) {
  return std::string(prefix).append("/history/response/");
}

std::vector<std::string> input_filters(std::string_view prefix) {
  std::vector<std::string> filters;
  for (const auto k : all_input_kinds) filters.push_back(input_topic_name(prefix, "+", k));
  return filters;
}

std::vector<std::string> subscription_filters(std::string_view prefix) {
  auto filters = input_filters(prefix);
  filters.push_back(history_request_topic(prefix));
  return filters;
}

}  // namespace vigil::codec
