// vigilctl's questions to vigild about the record: MQTT 5 request/response (codec/history.hpp).
// Connects with a clean start, subscribes to its own response topic
// {prefix}/history/response/{client id}, publishes each request with that topic and fresh
// Correlation Data, and waits for the answer that carries it. Blocking; one thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "codec/history.hpp"
#include "settings/settings.hpp"

namespace mqtt {
class async_client;
}

namespace vigil::ctl {

class asker {
 public:
  // Throws ctl_error when the broker cannot be reached or refuses the subscription.
  asker(const settings::mqtt_settings& broker, const std::string& prefix);
  ~asker();
  asker(const asker&) = delete;
  asker& operator=(const asker&) = delete;

  // One answer. Throws ctl_error when vigild does not answer within `timeout` (no vigild
  // running, or the broker's ACL refused the request: the broker drops it without a word) or
  // answers with an error.
  codec::history_response ask(const codec::history_request& r,
                              std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Every event (and session) of the window, asking again while an answer is truncated; an
  // event that comes twice (the same bed and event_seq) is kept once. `timeout` per answer.
  codec::history_response ask_all(codec::history_request r,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  std::string uri_;
  std::string request_topic_;
  std::string response_topic_;
  std::uint64_t next_ = 1;
  std::unique_ptr<mqtt::async_client> client_;
};

}  // namespace vigil::ctl
