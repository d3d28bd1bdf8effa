// The contract as a test sees it: a gateway/dashboard over an mqtt_test_client that publishes
// protobuf-encoded inputs on contract.md's topics and decodes what vigild publishes.
//
//   vigil_client c(client, "clinic");
//   c.watch_alarms();
//   c.send("bed1", core::blood_pressure{.device_id = "m1", .systolic_mmhg = 186, ...});
//   auto e = c.wait_event([](const timed_event& e) { return e.event.condition == "SBP_HIGH"; });
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "codec/codec.hpp"
#include "core/types.hpp"
#include "mqtt_test_client.hpp"

namespace vigil::test {

struct timed_event {
  core::alarm_event event;
  std::string topic;                // alarms/events of a bed, or escalations
  std::int64_t received_at_ms = 0;  // wall_ms() at the test client
};

class vigil_client {
 public:
  using event_predicate = std::function<bool(const timed_event&)>;

  vigil_client(mqtt_test_client& client, std::string prefix);

  // Each publishes at QoS 1 (inputs are never retained, except monitor status) and returns
  // the wall-clock time just before publishing.
  std::int64_t send(const std::string& bed, const core::heart_rate& m);
  std::int64_t send(const std::string& bed, const core::blood_pressure& m);
  std::int64_t send(const std::string& bed, const core::monitor_status& m);
  std::int64_t send(const std::string& bed, const core::infusion_event& m);
  std::int64_t send(const std::string& bed, const core::alarm_ack& m);

  // Subscribes to every bed's alarms/events and to escalations.
  void watch_alarms();
  // Subscribes to every bed's retained alarms/active and session topics.
  void watch_state();
  // Subscribes to the daemon status and waits for `instance` ONLINE, from a vigild started at
  // or after `started_after_ms` (to tell a restarted daemon from the one before).
  bool wait_online(const std::string& instance,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10),
                   std::int64_t started_after_ms = 0);

  // Every AlarmEvent received so far (undecodable ones fail the test through the codec's error).
  std::vector<timed_event> events() const;
  std::optional<timed_event> wait_event(const event_predicate& match,
                                        std::chrono::milliseconds timeout);
  // The latest retained state received for `bed`, decoded.
  std::optional<core::active_alarms> latest_active(const std::string& bed) const;
  std::optional<core::session_state> latest_session(const std::string& bed) const;
  std::optional<codec::daemon_status> latest_status(const std::string& instance) const;
  // Every SessionState received for `bed`, oldest first.
  std::vector<core::session_state> sessions(const std::string& bed) const;

  const std::string& prefix() const { return prefix_; }
  mqtt_test_client& mqtt() { return client_; }

 private:
  std::int64_t send_bytes(const std::string& topic, const std::string& payload,
                          bool retained = false);
  std::vector<timed_event> decode_events(const std::vector<received_message>& all) const;

  mqtt_test_client& client_;
  std::string prefix_;
};

// Shorthands for the inputs a test sends; device clocks are the sender's wall clock.
core::heart_rate heart_rate(double bpm, std::uint64_t seq = 0);
core::blood_pressure nibp(double systolic, double diastolic, std::uint64_t seq = 0);
core::infusion_event infusion(core::infusion_kind kind, std::string session_id = "s1",
                              std::uint32_t planned_minutes = 40);
core::monitor_status monitor(core::monitor_state state);

}  // namespace vigil::test
