#include "history_client.hpp"

#include <stdexcept>

#include "codec/topics.hpp"

namespace vigil::test {

history_client::history_client(mqtt_test_client& client, const std::string& prefix)
    : client_(client),
      request_topic_(codec::history_request_topic(prefix)),
      response_topic_(codec::history_response_root(prefix) + client.client_id()) {
  client_.subscribe(response_topic_);
}

history_client::sent history_client::send_bytes(const std::string& payload,
                                                const std::string& response_topic) {
  sent s;
  s.correlation = client_.client_id() + "/q" + std::to_string(next_++);
  s.reason_code = client_.publish_request(request_topic_, payload, response_topic, s.correlation);
  return s;
}

std::optional<codec::history_response> history_client::wait_answer(
    const std::string& correlation, std::chrono::milliseconds timeout) {
  const auto m = client_.wait_for(
      [&](const received_message& r) { return r.correlation == correlation; }, timeout);
  if (!m) return std::nullopt;
  auto decoded = codec::decode_history_response(m->payload);
  if (!decoded) throw std::runtime_error("an undecodable answer: " + decoded.error());
  return std::move(decoded).value();
}

std::vector<received_message> history_client::with_correlation(
    const std::string& correlation) const {
  std::vector<received_message> out;
  for (auto& m : client_.messages())
    if (m.correlation == correlation) out.push_back(std::move(m));
  return out;
}

}  // namespace vigil::test
