#include "io/mqtt_link.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace vigil::io {

namespace asio = boost::asio;

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
    const auto& payload = msg->get_payload_ref();
    const std::string_view bytes(payload.data(), payload.size());
    const auto& props = msg->get_properties();
    if (props.empty() || !props.contains(mqtt::property::RESPONSE_TOPIC)) {
      link_.inbound_.arrive(msg->get_topic(), bytes);
      return;
    }
    const auto response_topic = mqtt::get<std::string>(props, mqtt::property::RESPONSE_TOPIC);
    const auto correlation = props.contains(mqtt::property::CORRELATION_DATA)
                                 ? mqtt::get<std::string>(props, mqtt::property::CORRELATION_DATA)
                                 : std::string();
    link_.inbound_.arrive(msg->get_topic(), bytes, response_topic, correlation);
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
    asio::post(link_.loop_, [l = &link_, max] { l->outbound_.set_broker_receive_max(max); });
  }
  void on_failure(const mqtt::token& tok) override {
    asio::post(link_.loop_, [l = &link_, why = describe(tok)] { l->on_connect_failed(why); });
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
      inbound_(loop,
               {cfg_.max_inbound_bytes, cfg_.batch_target, cfg_.batch_interval_min,
                cfg_.batch_interval_max, cfg_.batch_idle_rate, cfg_.max_batch},
               handlers_.on_messages),
      outbound_(
          loop, *client, state_,
          {cfg_.max_queued, cfg_.max_in_flight, cfg_.max_bulk_in_flight, cfg_.stall_check},
          {handlers_.on_published, [this](std::string why) { on_connection_lost(std::move(why)); },
           [this] { disconnect(); }}),
      callbacks_(std::make_unique<paho_callbacks>(*this)),
      connect_listener_(std::make_unique<connect_listener>(*this)),
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
  c.received = inbound_.received();
  c.batches = inbound_.batches();
  c.dropped_inbound_full = inbound_.dropped();
  const auto& o = outbound_.counters();
  c.published = o.published;
  c.publish_failures = o.publish_failures;
  c.dropped_queue_full = o.dropped_queue_full;
  return c;
}

void mqtt_link::connect() {
  if (state_.stopping) return;
  try {
    client_->connect(connect_options_, nullptr, *connect_listener_);
  } catch (const mqtt::exception& e) {
    on_connect_failed(e.what());
  }
}

void mqtt_link::on_connect_failed(std::string why) {
  // After the first success Paho's automatic reconnect owns reconnecting.
  if (state_.stopping || ever_connected_) return;
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
  if (state_.stopping) return;
  ++counters_.connects;
  state_.connected = true;
  ever_connected_ = true;
  retry_delay_ = cfg_.retry_min;
  if (lost_at_) {
    const auto down = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - *lost_at_);
    lost_at_.reset();
    spdlog::info("mqtt: reconnected to {} after {:.1f} s disconnected; {} message(s) queued",
                 client_->get_server_uri(), static_cast<double>(down.count()) / 1000.0,
                 outbound_.queued_normal());
  } else {
    spdlog::info("mqtt: connected to {}", client_->get_server_uri());
  }
  subscribe();
  // What Paho still holds from before (it sends it again on this connection) counts as in
  // flight; what it finished while we were away is not.
  outbound_.resume();
  if (handlers_.on_connected) handlers_.on_connected();
}

// Every connect: the broker may have lost the session (restart without persistence). Paho sends
// commands in order, so the broker has the subscriptions before anything we publish after them.
void mqtt_link::subscribe() {
  for (const auto& filter : cfg_.subscriptions) {
    try {
      client_->subscribe(filter, 1);
    } catch (const mqtt::exception& e) {
      spdlog::error("mqtt: cannot subscribe to {}: {}", filter, e.what());
    }
  }
}

void mqtt_link::on_connection_lost(std::string why) {
  if (!state_.connected) return;
  state_.connected = false;
  ++counters_.connections_lost;
  lost_at_ = std::chrono::steady_clock::now();
  spdlog::warn("mqtt: connection lost ({}); reconnecting", why.empty() ? "no cause" : why);
  if (handlers_.on_disconnected) handlers_.on_disconnected();
}

void mqtt_link::publish(codec::outgoing message, publish_priority p) {
  outbound_.publish(std::move(message), p);
}

bool mqtt_link::begin_stop(std::function<void()> done) {
  if (state_.stopping) return false;
  state_.stopping = true;
  stop_done_ = std::move(done);
  retry_timer_.cancel();
  if (client_->is_connected()) return true;
  asio::post(loop_, [this] { finish_stop(); });
  return false;
}

void mqtt_link::stop(std::function<void()> done) {
  if (!begin_stop(std::move(done))) return;
  // Paho's own disconnect timeout waits seconds past the last PUBACK (measured: 3 s for a
  // 1 s timeout), so wait for the acknowledgements here and disconnect at once after them.
  stop_timer_.expires_after(cfg_.disconnect_timeout);
  stop_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    spdlog::warn("mqtt: {} publishes unacknowledged at shutdown", outbound_.in_flight());
    disconnect();
  });
  if (outbound_.in_flight() == 0) disconnect();
}

void mqtt_link::abandon(std::function<void()> done) {
  state_.silenced = true;
  if (begin_stop(std::move(done))) disconnect();
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
  state_.connected = false;
  stop_timer_.cancel();
  inbound_.cancel();
  outbound_.cancel();
  if (auto done = std::exchange(stop_done_, nullptr)) done();
}

}  // namespace vigil::io
