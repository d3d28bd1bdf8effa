// The inbound half of vigild's MQTT link: hands what Paho's thread receives to the loop in
// batches (see mqtt_link.hpp for why and how often).
//
// Threads: arrive() runs on Paho's thread and only copies the message into a buffer whose
// strings are reused (no allocation once warm), under a short lock; everything else runs on
// the loop thread, which swaps that buffer for its own (a double buffer) when it takes a batch.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/asio.hpp"

namespace vigil::io {

struct inbound_message {
  std::string topic;
  std::string payload;
  // MQTT 5 request/response (a request for the record): where and how to answer. Empty on
  // everything else.
  std::string response_topic{};
  std::string correlation{};
};

// The limits of mqtt_link_config that concern arrivals; see there.
struct inbound_limits {
  std::size_t max_inbound_bytes = 0;
  std::size_t batch_target = 0;
  std::chrono::microseconds batch_interval_min{};
  std::chrono::microseconds batch_interval_max{};
  double batch_idle_rate = 0;
  std::size_t max_batch = 0;
};

class inbound_batcher {
 public:
  using handler = std::function<void(std::span<inbound_message>)>;

  inbound_batcher(boost::asio::io_context& loop, inbound_limits limits, handler on_messages);
  inbound_batcher(const inbound_batcher&) = delete;
  inbound_batcher& operator=(const inbound_batcher&) = delete;

  // Paho's thread: copies one message in (or drops it, past max_inbound_bytes) and wakes an
  // idle loop.
  void arrive(std::string_view topic, std::string_view payload,
              std::string_view response_topic = {}, std::string_view correlation = {});
  // Loop thread: no further batches are taken on a timer.
  void cancel() { batch_timer_.cancel(); }

  std::uint64_t received() const { return received_; }  // handed to the handler
  std::uint64_t batches() const { return batches_; }    // handler calls
  std::uint64_t dropped() const;                        // arrived while max_inbound_bytes waited

 private:
  void take();
  void release_memory(std::size_t n);
  void schedule_next(std::size_t n);

  boost::asio::io_context& loop_;
  const inbound_limits limits_;
  const handler on_messages_;
  boost::asio::steady_timer batch_timer_;
  std::chrono::steady_clock::time_point last_take_{};
  double arrival_rate_ = 0;             // messages a second, smoothed over the last several batches
  std::vector<inbound_message> taken_;  // the loop's side of the double buffer
  std::uint64_t received_ = 0;
  std::uint64_t batches_ = 0;
  // Shared with Paho's thread, under mutex_.
  mutable std::mutex mutex_;
  std::vector<inbound_message> arriving_;  // the first arriving_count_ hold messages
  std::size_t arriving_count_ = 0;
  std::size_t inbound_bytes_ = 0;  // of those messages
  std::uint64_t dropped_ = 0;
  bool loop_idle_ = true;  // no batch taken or due: the next arrival must wake the loop
};

}  // namespace vigil::io
