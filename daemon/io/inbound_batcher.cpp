#include "io/inbound_batcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace vigil::io {

namespace asio = boost::asio;

namespace {
// What the reused inbound buffers keep between batches: room for a few seconds of a large
// ward's readings (ordinary payloads are under 100 bytes).
constexpr std::size_t kept_payload_bytes = 1024;
constexpr std::size_t kept_slots = 16 * 1024;
}  // namespace

inbound_batcher::inbound_batcher(asio::io_context& loop, inbound_limits limits, handler on_messages)
    : loop_(loop), limits_(limits), on_messages_(std::move(on_messages)), batch_timer_(loop) {}

std::uint64_t inbound_batcher::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void inbound_batcher::arrive(std::string_view topic, std::string_view payload,
                             std::string_view response_topic, std::string_view correlation) {
  const std::size_t bytes = topic.size() + payload.size();
  bool wake = false;
  std::uint64_t dropped = 0;
  std::size_t waiting = 0;
  {
    std::lock_guard lock(mutex_);
    if (inbound_bytes_ + bytes > limits_.max_inbound_bytes) {
      dropped = ++dropped_;
      waiting = inbound_bytes_;
    } else {
      inbound_bytes_ += bytes;
      if (arriving_count_ == arriving_.size()) arriving_.emplace_back();
      auto& slot = arriving_[arriving_count_++];
      slot.topic.assign(topic.data(), topic.size());  // reuses the slot's capacity
      slot.payload.assign(payload.data(), payload.size());
      slot.response_topic.assign(response_topic.data(), response_topic.size());
      slot.correlation.assign(correlation.data(), correlation.size());
      wake = std::exchange(loop_idle_, false);
    }
  }
  // A flood drops one per arrival: log the first and then every thousandth.
  if (dropped % 1000 == 1) {
    spdlog::error(
        "mqtt: the loop is {} bytes of received messages behind; dropping what "
        "arrives ({} so far)",
        waiting, dropped);
  }
  if (wake) asio::post(loop_, [this] { take(); });
}

void inbound_batcher::take() {
  std::size_t n = 0;
  {
    std::lock_guard lock(mutex_);
    n = arriving_count_;
    if (n == 0) {
      loop_idle_ = true;  // nothing came since the last batch: the next arrival wakes us
      return;
    }
    std::swap(arriving_, taken_);
    arriving_count_ = 0;
    inbound_bytes_ = 0;
  }
  received_ += n;
  for (std::size_t at = 0; at < n; at += limits_.max_batch) {
    ++batches_;
    const std::size_t len = std::min(limits_.max_batch, n - at);
    if (on_messages_) on_messages_(std::span(taken_.data() + at, len));
  }
  release_memory(n);
  schedule_next(n);
}

// The buffers are kept for the next batches, but not what a burst of large payloads or a deep
// backlog made them: that memory goes back.
void inbound_batcher::release_memory(std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (taken_[i].payload.capacity() > kept_payload_bytes) std::string().swap(taken_[i].payload);
  }
  if (taken_.size() > kept_slots) {
    taken_.resize(kept_slots);
    taken_.shrink_to_fit();
  }
}

// More may be on the way: look again in a moment rather than being woken for each, the moment
// chosen so that about batch_target will have come at the rate the last `n` just came.
void inbound_batcher::schedule_next(std::size_t n) {
  const auto now = std::chrono::steady_clock::now();
  const double since_s = std::chrono::duration<double>(now - last_take_).count();
  last_take_ = now;
  // Smoothed, so that two messages that happen to come together do not make a trickle a flood.
  const double rate = static_cast<double>(n) / std::max(since_s, 1e-4);
  arrival_rate_ = arrival_rate_ == 0 ? rate : 0.75 * arrival_rate_ + 0.25 * rate;
  if (arrival_rate_ < limits_.batch_idle_rate) {
    std::lock_guard lock(mutex_);
    if (arriving_count_ == 0) {
      loop_idle_ = true;  // a trickle: the next message wakes the loop at once
      return;
    }
  }
  const auto next = std::chrono::microseconds(static_cast<std::int64_t>(
      1e6 * static_cast<double>(limits_.batch_target) / std::max(arrival_rate_, 1.0)));
  batch_timer_.expires_after(
      std::clamp(next, limits_.batch_interval_min, limits_.batch_interval_max));
  batch_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) take();
  });
}

}  // namespace vigil::io
