// The outbound half of vigild's MQTT link: the order in which messages go to Paho, and how
// many it may hold unacknowledged (see mqtt_link.hpp for the rules and why).
//
// Threads: the loop's, but for the acknowledgements Paho reports on its own thread, which are
// collected under a short lock and taken by the loop in batches.
#pragma once

#include <mqtt/iasync_client.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "codec/outbox.hpp"
#include "io/asio.hpp"

namespace vigil::io {

enum class publish_priority : std::uint8_t { normal, bulk };

// The limits of mqtt_link_config that concern publishing; see there.
struct outbound_limits {
  std::size_t max_queued = 0;
  std::size_t max_in_flight = 0;
  std::size_t max_bulk_in_flight = 0;
  std::chrono::milliseconds stall_check{};
};

// What the link owns and the queue reads: whether messages may go to Paho now.
struct link_state {
  bool connected = false;
  bool stopping = false;
  bool silenced = false;  // abandon(): nothing more is handed to Paho
};

struct outbound_events {
  // Outbox ids the broker acknowledged, in batches. Optional.
  std::function<void(std::span<const std::uint64_t>)> on_published;
  // Paho refused a publish because the connection is gone.
  std::function<void(std::string why)> on_lost;
  // While stopping: nothing is in flight any more.
  std::function<void()> on_drained;
};

struct outbound_counters {
  std::uint64_t published = 0;         // handed to Paho
  std::uint64_t publish_failures = 0;  // refused by Paho, or no PUBACK
  std::uint64_t dropped_queue_full = 0;
};

// Paho's description of a failed token, for the log.
std::string describe(const mqtt::token& tok);

class outbound_queue {
 public:
  outbound_queue(boost::asio::io_context& loop, mqtt::iasync_client& client,
                 const link_state& state, outbound_limits limits, outbound_events events);
  ~outbound_queue();
  outbound_queue(const outbound_queue&) = delete;
  outbound_queue& operator=(const outbound_queue&) = delete;

  void publish(codec::outgoing message, publish_priority p);
  // After each (re)connect: what Paho still holds from before counts as in flight; the rest
  // goes out.
  void resume();
  // From the broker's CONNACK.
  void set_broker_receive_max(std::size_t max) {
    broker_receive_max_ = std::max<std::size_t>(1, max);
  }
  void cancel() { stall_timer_.cancel(); }

  std::size_t queued() const { return queue_.size() + bulk_.size(); }  // not yet with Paho
  std::size_t queued_normal() const { return queue_.size(); }
  std::size_t in_flight() const { return in_flight_; }
  const outbound_counters& counters() const { return counters_; }

 private:
  class listener;

  void on_publish_done(std::size_t n);
  void take_acknowledged();
  void flush();
  std::size_t in_flight_limit() const;
  void watch_for_stall();
  bool hand_to_paho(const codec::outgoing& m);  // false: the connection is gone

  boost::asio::io_context& loop_;
  mqtt::iasync_client& client_;
  const link_state& state_;
  const outbound_limits limits_;
  outbound_events events_;
  std::deque<codec::outgoing> queue_;
  std::deque<codec::outgoing> bulk_;
  std::unordered_set<std::string> superseded_;  // topics of bulk messages published since
  outbound_counters counters_;
  std::size_t in_flight_ = 0;               // handed to Paho, not yet acknowledged
  std::size_t broker_receive_max_ = 65535;  // from the CONNACK, when the broker sends one
  boost::asio::steady_timer stall_timer_;
  bool stall_armed_ = false;
  std::uint64_t acks_seen_ = 0;  // acknowledgements so far, to tell a stall from slow progress
  std::vector<std::uint64_t> acked_taken_;
  // Shared with Paho's thread, under acked_mutex_.
  std::mutex acked_mutex_;
  std::vector<std::uint64_t> acked_;  // outbox ids acknowledged, for the loop to take
  bool acks_posted_ = false;
  // Paho calls it until the client is destroyed, which the link does first.
  std::unique_ptr<listener> listener_;
};

}  // namespace vigil::io
