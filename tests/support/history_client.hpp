// vigild's record asked over MQTT 5 as vigilctl and the dashboard ask it (codec/history.hpp):
// a HistoryRequest on {prefix}/history/request with a Response Topic and Correlation Data, the
// HistoryResponse that carries the same Correlation Data back.
//
//   history_client h(mqtt, "clinic");            // subscribes to its own response topic
//   auto answer = h.ask({.bed_id = "chair-1"});  // nullopt: no answer within the timeout
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "codec/history.hpp"
#include "mqtt_test_client.hpp"

namespace vigil::test {

class history_client {
 public:
  static constexpr std::chrono::milliseconds default_timeout{5000};

  // Subscribes to {prefix}/history/response/{the client's id}.
  history_client(mqtt_test_client& client, const std::string& prefix);

  const std::string& response_topic() const { return response_topic_; }

  struct sent {
    std::string correlation;  // fresh for each request
    int reason_code = 0;      // of the broker's PUBACK: 0 accepted, 0x87 not authorized
  };
  // Publishes `payload` as a request answered at `response_topic` (none when empty).
  sent send_bytes(const std::string& payload, const std::string& response_topic);
  sent send(const codec::history_request& r) {
    return send_bytes(codec::encode(r), response_topic_);
  }

  // The answer carrying `correlation`, decoded (throws when it does not decode).
  std::optional<codec::history_response> wait_answer(
      const std::string& correlation, std::chrono::milliseconds timeout = default_timeout);
  std::optional<codec::history_response> ask(const codec::history_request& r,
                                             std::chrono::milliseconds timeout = default_timeout) {
    return wait_answer(send(r).correlation, timeout);
  }

  // Every message received so far, on any topic, that carries `correlation`.
  std::vector<received_message> with_correlation(const std::string& correlation) const;

 private:
  mqtt_test_client& client_;
  std::string request_topic_;
  std::string response_topic_;
  int next_ = 1;
};

}  // namespace vigil::test
