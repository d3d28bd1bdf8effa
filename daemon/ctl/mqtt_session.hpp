// One vigilctl command's connection to the broker (Paho MQTT C++ async client).
//
// Paho runs its callbacks on its own thread; every received message is posted to the command's
// Asio loop, so the command's state is touched by the loop alone. connect, subscribe and
// publish block the calling thread until the broker answered: call them from the main thread,
// never from a handler. Failures throw ctl_error with one line a person can act on; a lost
// connection is said on stderr, so a watching nurse knows the stream has a gap.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>
#include "io/asio.hpp"

#include "settings/settings.hpp"

namespace mqtt {
class async_client;
}

namespace vigil::ctl {

// An error the user sees as "vigilctl: <what>" on stderr, exit code 1.
struct ctl_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct received {
  std::string topic;
  std::string payload;
};

class mqtt_session {
 public:
  using handler = std::function<void(const received&)>;

  // `on_message` runs on `loop`. `what` names the command in the client id.
  mqtt_session(boost::asio::io_context& loop, const settings::mqtt_settings& broker,
               std::string_view what, handler on_message);
  ~mqtt_session();  // disconnects
  mqtt_session(const mqtt_session&) = delete;
  mqtt_session& operator=(const mqtt_session&) = delete;

  // Runs on the loop after an automatic reconnect, once the subscriptions are requested anew:
  // before any message of theirs (the broker sends the retained ones again). Set before
  // connect().
  void on_reconnected(std::function<void()> f) { on_reconnected_ = std::move(f); }

  void connect();
  // Once per session. QoS 1; waits for the SUBACK. The filters are subscribed again after
  // every reconnect.
  void subscribe(const std::vector<std::string>& filters);
  // QoS 1, not retained; waits until the broker acknowledged it.
  void publish(const std::string& topic, const std::string& payload);

 private:
  void on_connected();
  void on_connection_lost();

  boost::asio::io_context& loop_;
  settings::mqtt_settings broker_;  // the URI, login and TLS files
  std::string uri_;
  handler on_message_;
  std::function<void()> on_reconnected_;
  std::atomic<bool> connected_before_{false};  // Paho's thread: tells a reconnect from the first
  std::vector<std::string> filters_;           // written before subscribed_ is set, then read-only
  std::atomic<bool> subscribed_{false};
  std::unique_ptr<mqtt::async_client> client_;
};

}  // namespace vigil::ctl
