// A plain MQTT client for tests: publishes bytes, collects everything its subscriptions
// receive with the wall-clock time of arrival, and waits with a deadline for a condition.
// Thread-safe: Paho's thread appends, the test thread reads and waits.
//
// One per test process where possible: a second Paho client in one process takes ~2 s to
// connect (stack-notes.md).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mqtt {
class async_client;
}

namespace vigil::test {

// Wall-clock Unix ms, the clock vigild stamps events with.
std::int64_t wall_ms();

struct received_message {
  std::string topic;
  std::string payload;
  bool retained = false;
  std::int64_t received_at_ms = 0;  // wall_ms() when the callback ran
  // MQTT 5 request/response properties, empty when absent.
  std::string response_topic = {};
  std::string correlation = {};
};

struct last_will {
  std::string topic;
  std::string payload;
  bool retained = true;
};

class mqtt_test_client {
 public:
  using message_predicate = std::function<bool(const received_message&)>;
  static constexpr std::chrono::milliseconds default_timeout{5000};

  struct options {
    std::optional<last_will> will;
    // Keep the session (subscriptions, queued QoS 1 messages) across disconnects, so nothing
    // published while this client reconnects is lost; needs a broker with persistence to
    // survive a broker restart.
    bool persistent_session = false;
    // A locked-down broker: the account to log in as (empty: anonymous) and, for an ssl://
    // URI, the CA that signed the broker's certificate (host name checked) and optionally a
    // client certificate. (`= {}` lets designated initializers leave them out under
    // -Wmissing-field-initializers.)
    std::string user = {};
    std::string password = {};
    std::string ca_file = {};
    std::string cert_file = {};
    std::string key_file = {};
  };

  // Connects (MQTT 5, automatic reconnect) and throws if it cannot within 5 s.
  explicit mqtt_test_client(const std::string& broker_uri);
  mqtt_test_client(const std::string& broker_uri, options opts);
  ~mqtt_test_client();
  mqtt_test_client(const mqtt_test_client&) = delete;
  mqtt_test_client& operator=(const mqtt_test_client&) = delete;

  // Waits for the SUBACK; subscriptions are renewed after every reconnect.
  void subscribe(const std::string& filter);
  // QoS 1; returns once the broker acknowledged it.
  void publish(const std::string& topic, const std::string& payload, bool retained = false);
  // QoS 1; returns the MQTT 5 reason code of the broker's PUBACK instead of throwing on a
  // refusal: 0 accepted, 135 (0x87) not authorized by the broker's ACL.
  int publish_reason_code(const std::string& topic, const std::string& payload,
                          bool retained = false);
  // QoS 1, as an MQTT 5 request: with a Response Topic (none when empty) and Correlation Data.
  // Returns the PUBACK's reason code as publish_reason_code() does.
  int publish_request(const std::string& topic, const std::string& payload,
                      const std::string& response_topic, const std::string& correlation);
  bool connected() const;
  const std::string& client_id() const { return client_id_; }

  std::vector<received_message> messages() const;  // everything so far, in arrival order
  // The first message (already received or arriving before the deadline) that matches.
  std::optional<received_message> wait_for(const message_predicate& match,
                                           std::chrono::milliseconds timeout = default_timeout);
  // Waits until `done` holds over everything received so far.
  bool wait_until(const std::function<bool(const std::vector<received_message>&)>& done,
                  std::chrono::milliseconds timeout = default_timeout);
  // Waits until the client is connected again (after a broker restart).
  bool wait_connected(std::chrono::milliseconds timeout = default_timeout);

 private:
  class callbacks;
  void on_message(received_message m);
  void on_connected();

  // Recursive: a wait_until() condition may itself call messages() or vigil_client's getters.
  mutable std::recursive_mutex mutex_;
  std::condition_variable_any changed_;
  std::vector<received_message> messages_;
  std::vector<std::string> filters_;
  bool connected_ = false;
  std::string client_id_;
  std::unique_ptr<callbacks> callbacks_;
  std::unique_ptr<mqtt::async_client> client_;  // last: destroyed first, before its callbacks
};

}  // namespace vigil::test
