#include "io/mqtt_link.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>
#include <utility>

namespace vigil::io {

namespace asio = boost::asio;

namespace {
// What the reused inbound buffers keep between batches: room for a few seconds of a large
// ward's readings (ordinary payloads are under 100 bytes).
constexpr std::size_t kept_payload_bytes = 1024;
constexpr std::size_t kept_slots = 16 * 1024;
}  // namespace

// Paho's thread: copy, post, return.
class mqtt_link::paho_callbacks : public mqtt::callback {
 public:
  explicit paho_callbacks(mqtt_link& link) : link_(link) {}
  void connected(const std::string&) override {
    asio::post(link_.loop_, [l = &link_] { l->on_connected(); });
  }
  void connection_lost(const std::string& cause) override {
    asio::post(link_.loop_, [l = &link_, cause] { l->on_connection_lost(cause); });
  }
  void message_arrived(mqtt::const_message_ptr msg) override {
    if (!msg) return;
    mqtt_link& l = link_;
    const auto& topic = msg->get_topic();
    const auto& payload = msg->get_payload_ref();
    const std::size_t bytes = topic.size() + payload.size();
    bool wake = false;
    std::uint64_t dropped = 0;
    std::size_t waiting = 0;
    {
      std::lock_guard lock(l.inbound_mutex_);
      if (l.inbound_bytes_ + bytes > l.cfg_.max_inbound_bytes) {
        dropped = ++l.dropped_inbound_full_;
        waiting = l.inbound_bytes_;
      } else {
        l.inbound_bytes_ += bytes;
        if (l.arriving_count_ == l.arriving_.size()) l.arriving_.emplace_back();
        auto& slot = l.arriving_[l.arriving_count_++];
        slot.topic.assign(topic.data(), topic.size());  // reuses the slot's capacity
        slot.payload.assign(payload.data(), payload.size());
        wake = std::exchange(l.loop_idle_, false);
      }
    }
    // A flood drops one per arrival: log the first and then every thousandth.
    if (dropped % 1000 == 1) {
      spdlog::error(
          "mqtt: the loop is {} bytes of received messages behind; dropping what "
          "arrives ({} so far)",
          waiting, dropped);
    }
    if (wake) asio::post(l.loop_, [&l] { l.take_inbound(); });
  }

 private:
  mqtt_link& link_;
};

class mqtt_link::connect_listener : public mqtt::iaction_listener {
 public:
  explicit connect_listener(mqtt_link& link) : link_(link) {}
  // Success is reported through paho_callbacks::connected, which also covers reconnects;
  // here only the broker's Receive Maximum is taken (it does not change between reconnects).
  void on_success(const mqtt::token& tok) override {
    const auto props = tok.get_connect_response().get_properties();
    if (!props.contains(mqtt::property::RECEIVE_MAXIMUM)) return;
    const auto max =
        static_cast<std::size_t>(mqtt::get<int>(props, mqtt::property::RECEIVE_MAXIMUM));
    asio::post(link_.loop_,
               [l = &link_, max] { l->broker_receive_max_ = std::max<std::size_t>(1, max); });
  }
  void on_failure(const mqtt::token& tok) override {
    asio::post(link_.loop_, [l = &link_, why = describe(tok)] { l->on_connect_failed(why); });
  }
  static std::string describe(const mqtt::token& tok) {
    const int rc = tok.get_return_code();
    return mqtt::exception::printable_error(rc, tok.get_reason_code(),
                                            mqtt::exception::error_str(rc));
  }

 private:
  mqtt_link& link_;
};

class mqtt_link::publish_listener : public mqtt::iaction_listener {
 public:
  explicit publish_listener(mqtt_link& link) : link_(link) {}
  // Acknowledgements come in bursts (a reconnect, a restart's snapshots): the loop takes them
  // together, woken once.
  void on_success(const mqtt::token& tok) override {
    mqtt_link& l = link_;
    bool wake = false;
    {
      std::lock_guard lock(l.inbound_mutex_);
      l.acked_.push_back(reinterpret_cast<std::uintptr_t>(tok.get_user_context()));
      wake = !std::exchange(l.acks_posted_, true);
    }
    if (wake) asio::post(l.loop_, [&l] { l.take_acknowledged(); });
  }
  // The message stays in the caller's outbox: it is published again at the next start.
  void on_failure(const mqtt::token& tok) override {
    asio::post(link_.loop_, [l = &link_, why = connect_listener::describe(tok)] {
      ++l->counters_.publish_failures;
      spdlog::warn("mqtt: a publish was not acknowledged ({})", why);
      l->on_publish_done(1);
    });
  }

 private:
  mqtt_link& link_;
};

class mqtt_link::disconnect_listener : public mqtt::iaction_listener {
 public:
  explicit disconnect_listener(mqtt_link& link) : link_(link) {}
  void on_success(const mqtt::token&) override { done(); }
  void on_failure(const mqtt::token&) override { done(); }

 private:
  void done() {
    asio::post(link_.loop_, [l = &link_] { l->finish_stop(); });
  }
  mqtt_link& link_;
};

mqtt_link::mqtt_link(asio::io_context& loop, std::unique_ptr<mqtt::iasync_client> client,
                     mqtt::connect_options connect_options, mqtt_link_config cfg,
                     mqtt_link_handlers handlers)
    : loop_(loop),
      connect_options_(std::move(connect_options)),
      cfg_(std::move(cfg)),
      handlers_(std::move(handlers)),
      retry_timer_(loop),
      stop_timer_(loop),
      retry_delay_(cfg_.retry_min),
      stall_timer_(loop),
      batch_timer_(loop),
      callbacks_(std::make_unique<paho_callbacks>(*this)),
      connect_listener_(std::make_unique<connect_listener>(*this)),
      publish_listener_(std::make_unique<publish_listener>(*this)),
      disconnect_listener_(std::make_unique<disconnect_listener>(*this)),
      client_(std::move(client)) {
  // Paho C++ 1.2 copies point their C struct at the source's properties, which the move above
  // left behind: point it at our own copy again.
  auto props = connect_options_.get_properties();
  connect_options_.set_properties(std::move(props));
  client_->set_callback(*callbacks_);
}

mqtt_link::~mqtt_link() {
  try {
    client_->disable_callbacks();
  } catch (const mqtt::exception&) {
    // Paho refuses while a disconnect is still in progress; destroying the client ends it.
  }
  client_.reset();  // before the listeners, which Paho may still call until then
}

void mqtt_link::start() { connect(); }

mqtt_link_counters mqtt_link::counters() const {
  auto c = counters_;
  std::lock_guard lock(inbound_mutex_);
  c.dropped_inbound_full = dropped_inbound_full_;
  return c;
}

void mqtt_link::take_inbound() {
  std::size_t n = 0;
  {
    std::lock_guard lock(inbound_mutex_);
    n = arriving_count_;
    if (n == 0) {
      loop_idle_ = true;  // nothing came since the last batch: the next arrival wakes us
      return;
    }
    std::swap(arriving_, taken_);
    arriving_count_ = 0;
    inbound_bytes_ = 0;
  }
  counters_.received += n;
  for (std::size_t at = 0; at < n; at += cfg_.max_batch) {
    ++counters_.batches;
    const std::size_t len = std::min(cfg_.max_batch, n - at);
    if (handlers_.on_messages) handlers_.on_messages(std::span(taken_.data() + at, len));
  }
  // The buffers are kept for the next batches, but not what a burst of large payloads or a
  // deep backlog made them: that memory goes back.
  for (std::size_t i = 0; i < n; ++i) {
    if (taken_[i].payload.capacity() > kept_payload_bytes) std::string().swap(taken_[i].payload);
  }
  if (taken_.size() > kept_slots) {
    taken_.resize(kept_slots);
    taken_.shrink_to_fit();
  }
  // More may be on the way: look again in a moment rather than being woken for each, the
  // moment chosen so that about batch_target will have come at the rate they just came.
  const auto now = std::chrono::steady_clock::now();
  const double since_s = std::chrono::duration<double>(now - last_take_).count();
  last_take_ = now;
  // Smoothed, so that two messages that happen to come together do not make a trickle a flood.
  const double rate = static_cast<double>(n) / std::max(since_s, 1e-4);
  arrival_rate_ = arrival_rate_ == 0 ? rate : 0.75 * arrival_rate_ + 0.25 * rate;
  if (arrival_rate_ < cfg_.batch_idle_rate) {
    std::lock_guard lock(inbound_mutex_);
    if (arriving_count_ == 0) {
      loop_idle_ = true;  // a trickle: the next message wakes the loop at once
      return;
    }
  }
  const auto next = std::chrono::microseconds(static_cast<std::int64_t>(
      1e6 * static_cast<double>(cfg_.batch_target) / std::max(arrival_rate_, 1.0)));
  batch_timer_.expires_after(std::clamp(next, cfg_.batch_interval_min, cfg_.batch_interval_max));
  batch_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) take_inbound();
  });
}

void mqtt_link::take_acknowledged() {
  {
    std::lock_guard lock(inbound_mutex_);
    acks_posted_ = false;
    std::swap(acked_, acked_taken_);
  }
  const std::size_t n = acked_taken_.size();
  std::erase(acked_taken_, std::uint64_t{0});  // not from an outbox
  if (handlers_.on_published && !acked_taken_.empty()) handlers_.on_published(acked_taken_);
  acked_taken_.clear();
  on_publish_done(n);
}

void mqtt_link::connect() {
  if (stopping_) return;
  try {
    client_->connect(connect_options_, nullptr, *connect_listener_);
  } catch (const mqtt::exception& e) {
    on_connect_failed(e.what());
  }
}

void mqtt_link::on_connect_failed(std::string why) {
  // After the first success Paho's automatic reconnect owns reconnecting.
  if (stopping_ || ever_connected_) return;
  ++counters_.connect_failures;
  spdlog::warn("mqtt: cannot connect to {} ({}); retrying in {} ms", client_->get_server_uri(), why,
               retry_delay_.count());
  retry_timer_.expires_after(retry_delay_);
  retry_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) connect();
  });
  retry_delay_ = std::min(retry_delay_ * 2, cfg_.retry_max);
}

void mqtt_link::on_connected() {
  if (stopping_) return;
  ++counters_.connects;
  connected_ = true;
  ever_connected_ = true;
  retry_delay_ = cfg_.retry_min;
  if (lost_at_) {
    const auto down = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - *lost_at_);
    lost_at_.reset();
    spdlog::info("mqtt: reconnected to {} after {:.1f} s disconnected; {} message(s) queued",
                 client_->get_server_uri(), static_cast<double>(down.count()) / 1000.0,
                 queue_.size());
  } else {
    spdlog::info("mqtt: connected to {}", client_->get_server_uri());
  }
  // Every connect: the broker may have lost the session (restart without persistence).
  // Paho sends commands in order, so the broker has the subscriptions before anything we
  // publish after them.
  for (const auto& filter : cfg_.subscriptions) {
    try {
      client_->subscribe(filter, 1);
    } catch (const mqtt::exception& e) {
      spdlog::error("mqtt: cannot subscribe to {}: {}", filter, e.what());
    }
  }
  // What Paho still holds from before (it sends it again on this connection) counts as in
  // flight; what it finished while we were away is not.
  in_flight_ = client_->get_pending_delivery_tokens().size();
  flush();
  if (handlers_.on_connected) handlers_.on_connected();
}

void mqtt_link::on_connection_lost(std::string why) {
  if (!connected_) return;
  connected_ = false;
  ++counters_.connections_lost;
  lost_at_ = std::chrono::steady_clock::now();
  spdlog::warn("mqtt: connection lost ({}); reconnecting", why.empty() ? "no cause" : why);
  if (handlers_.on_disconnected) handlers_.on_disconnected();
}

void mqtt_link::on_publish_done(std::size_t n) {
  in_flight_ -= std::min(n, in_flight_);
  acks_seen_ += n;
  if (stopping_) {
    if (in_flight_ == 0) disconnect();
    return;
  }
  flush();  // room for more bulk
}

void mqtt_link::publish(codec::outgoing message, publish_priority p) {
  if (queue_.size() + bulk_.size() >= cfg_.max_queued) {
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

bool mqtt_link::hand_to_paho(const codec::outgoing& m) {
  try {
    // The outbox id rides as the token's context, to come back with the acknowledgement.
    client_->publish(m.topic, m.payload.data(), m.payload.size(), m.qos, m.retained,
                     reinterpret_cast<void*>(static_cast<std::uintptr_t>(m.outbox_id)),
                     *publish_listener_);
    ++counters_.published;
    ++in_flight_;
  } catch (const mqtt::exception& e) {
    if (!client_->is_connected()) {
      // Lost between the callback and now: keep it first in line for the reconnect.
      on_connection_lost(e.what());
      return false;
    }
    ++counters_.publish_failures;
    spdlog::error("mqtt: cannot publish on {}: {}; dropped", m.topic, e.what());
  }
  return true;
}

std::size_t mqtt_link::in_flight_limit() const {
  return std::max<std::size_t>(1, std::min(cfg_.max_in_flight, broker_receive_max_));
}

void mqtt_link::flush() {
  const std::size_t limit = in_flight_limit();
  while (connected_ && !queue_.empty() && in_flight_ < limit) {
    if (!hand_to_paho(queue_.front())) return;
    queue_.pop_front();
  }
  const std::size_t bulk_limit = std::min(limit, cfg_.max_bulk_in_flight);
  while (connected_ && queue_.empty() && !bulk_.empty() && in_flight_ < bulk_limit) {
    if (superseded_.erase(bulk_.front().topic) == 0 && !hand_to_paho(bulk_.front())) return;
    bulk_.pop_front();
  }
  if (bulk_.empty()) superseded_.clear();
  if (connected_ && !stopping_ && (!queue_.empty() || !bulk_.empty())) watch_for_stall();
}

void mqtt_link::watch_for_stall() {
  if (stall_armed_) return;
  stall_armed_ = true;
  stall_timer_.expires_after(cfg_.stall_check);
  stall_timer_.async_wait([this, acks = acks_seen_](boost::system::error_code ec) {
    stall_armed_ = false;
    if (ec || !connected_) return;
    if (acks_seen_ == acks) {
      const std::size_t held = client_->get_pending_delivery_tokens().size();
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

void mqtt_link::stop(std::function<void()> done) {
  if (stopping_) return;
  stopping_ = true;
  stop_done_ = std::move(done);
  retry_timer_.cancel();
  if (!client_->is_connected()) {
    asio::post(loop_, [this] { finish_stop(); });
    return;
  }
  // Paho's own disconnect timeout waits seconds past the last PUBACK (measured: 3 s for a
  // 1 s timeout), so wait for the acknowledgements here and disconnect at once after them.
  stop_timer_.expires_after(cfg_.disconnect_timeout);
  stop_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    spdlog::warn("mqtt: {} publishes unacknowledged at shutdown", in_flight_);
    disconnect();
  });
  if (in_flight_ == 0) disconnect();
}

void mqtt_link::disconnect() {
  if (disconnecting_) return;
  disconnecting_ = true;
  stop_timer_.cancel();
  try {
    client_->disconnect(0, nullptr, *disconnect_listener_);
  } catch (const mqtt::exception& e) {
    spdlog::warn("mqtt: disconnect failed: {}", e.what());
    asio::post(loop_, [this] { finish_stop(); });
    return;
  }
  // Paho may never answer (broker gone mid-disconnect): shutdown must not hang on it.
  stop_timer_.expires_after(std::chrono::milliseconds(500));
  stop_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) finish_stop();
  });
}

void mqtt_link::finish_stop() {
  connected_ = false;
  stop_timer_.cancel();
  batch_timer_.cancel();
  stall_timer_.cancel();
  if (auto done = std::exchange(stop_done_, nullptr)) done();
}

}  // namespace vigil::io
