#include "io/outbound_queue.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace vigil::io {

namespace asio = boost::asio;

std::string describe(const mqtt::token& tok) {
  const int rc = tok.get_return_code();
  return mqtt::exception::printable_error(rc, tok.get_reason_code(),
                                          mqtt::exception::error_str(rc));
}

class outbound_queue::listener : public mqtt::iaction_listener {
 public:
  explicit listener(outbound_queue& q) : q_(q) {}
  // Acknowledgements come in bursts (a reconnect, a restart's snapshots): the loop takes them
  // together, woken once.
  void on_success(const mqtt::token& tok) override {
    outbound_queue& q = q_;
    bool wake = false;
    {
      std::lock_guard lock(q.acked_mutex_);
      q.acked_.push_back(reinterpret_cast<std::uintptr_t>(tok.get_user_context()));
      wake = !std::exchange(q.acks_posted_, true);
    }
    if (wake) asio::post(q.loop_, [&q] { q.take_acknowledged(); });
  }
  // The message stays in the caller's outbox: it is published again at the next start.
  void on_failure(const mqtt::token& tok) override {
    asio::post(q_.loop_, [q = &q_, why = describe(tok)] {
      ++q->counters_.publish_failures;
      spdlog::warn("mqtt: a publish was not acknowledged ({})", why);
      q->on_publish_done(1);
    });
  }

 private:
  outbound_queue& q_;
};

outbound_queue::outbound_queue(asio::io_context& loop, mqtt::iasync_client& client,
                               const link_state& state, outbound_limits limits,
                               outbound_events events)
    : loop_(loop),
      client_(client),
      state_(state),
      limits_(limits),
      events_(std::move(events)),
      stall_timer_(loop),
      listener_(std::make_unique<listener>(*this)) {}

outbound_queue::~outbound_queue() = default;

void outbound_queue::take_acknowledged() {
  {
    std::lock_guard lock(acked_mutex_);
    acks_posted_ = false;
    std::swap(acked_, acked_taken_);
  }
  const std::size_t n = acked_taken_.size();
  std::erase(acked_taken_, std::uint64_t{0});  // not from an outbox
  if (events_.on_published && !acked_taken_.empty()) events_.on_published(acked_taken_);
  acked_taken_.clear();
  on_publish_done(n);
}

void outbound_queue::on_publish_done(std::size_t n) {
  in_flight_ -= std::min(n, in_flight_);
  acks_seen_ += n;
  if (state_.stopping) {
    if (in_flight_ == 0) events_.on_drained();
    return;
  }
  flush();  // room for more bulk
}

void outbound_queue::resume() {
  in_flight_ = client_.get_pending_delivery_tokens().size();
  flush();
}

void outbound_queue::publish(codec::outgoing message, publish_priority p) {
  if (queue_.size() + bulk_.size() >= limits_.max_queued) {
    // A long outage drops one message per publish: log the first and then every thousandth.
    if (counters_.dropped_queue_full++ % 1000 == 0) {
      spdlog::error("mqtt: {} messages waiting for the broker; dropping the oldest ({} so far)",
                    queue_.size() + bulk_.size(), counters_.dropped_queue_full);
    }
    (bulk_.empty() ? queue_ : bulk_).pop_front();
  }
  if (p == publish_priority::bulk) {
    bulk_.push_back(std::move(message));
  } else {
    if (message.retained && !bulk_.empty()) superseded_.insert(message.topic);
    queue_.push_back(std::move(message));
  }
  flush();
}

bool outbound_queue::hand_to_paho(const codec::outgoing& m) {
  try {
    // The outbox id rides as the token's context, to come back with the acknowledgement.
    void* context = reinterpret_cast<void*>(static_cast<std::uintptr_t>(m.outbox_id));
    if (m.correlation.empty()) {
      client_.publish(m.topic, m.payload.data(), m.payload.size(), m.qos, m.retained, context,
                      *listener_);
    } else {
      auto msg = mqtt::make_message(m.topic, m.payload, m.qos, m.retained);
      msg->set_properties({{mqtt::property::CORRELATION_DATA, m.correlation}});
      client_.publish(msg, context, *listener_);
    }
    ++counters_.published;
    ++in_flight_;
  } catch (const mqtt::exception& e) {
    if (!client_.is_connected()) {
      // Lost between the callback and now: keep it first in line for the reconnect.
      events_.on_lost(e.what());
      return false;
    }
    ++counters_.publish_failures;
    spdlog::error("mqtt: cannot publish on {}: {}; dropped", m.topic, e.what());
  }
  return true;
}

std::size_t outbound_queue::in_flight_limit() const {
  return std::max<std::size_t>(1, std::min(limits_.max_in_flight, broker_receive_max_));
}

void outbound_queue::flush() {
  if (state_.silenced) return;
  const std::size_t limit = in_flight_limit();
  while (state_.connected && !queue_.empty() && in_flight_ < limit) {
    if (!hand_to_paho(queue_.front())) return;
    queue_.pop_front();
  }
  const std::size_t bulk_limit = std::min(limit, limits_.max_bulk_in_flight);
  while (state_.connected && queue_.empty() && !bulk_.empty() && in_flight_ < bulk_limit) {
    if (superseded_.erase(bulk_.front().topic) == 0 && !hand_to_paho(bulk_.front())) return;
    bulk_.pop_front();
  }
  if (bulk_.empty()) superseded_.clear();
  if (state_.connected && !state_.stopping && (!queue_.empty() || !bulk_.empty())) {
    watch_for_stall();
  }
}

// Publishes held at the limit with no acknowledgement for stall_check: count again what Paho
// still holds (a token it never reported must not stop publishing for good).
void outbound_queue::watch_for_stall() {
  if (stall_armed_) return;
  stall_armed_ = true;
  stall_timer_.expires_after(limits_.stall_check);
  stall_timer_.async_wait([this, acks = acks_seen_](boost::system::error_code ec) {
    stall_armed_ = false;
    if (ec || !state_.connected) return;
    if (acks_seen_ == acks) {
      const std::size_t held = client_.get_pending_delivery_tokens().size();
      if (held < in_flight_) {
        spdlog::warn(
            "mqtt: {} publish(es) never acknowledged nor failed; Paho holds {}: "
            "publishing on",
            in_flight_ - held, held);
        in_flight_ = held;
      }
    }
    flush();
  });
}

}  // namespace vigil::io
