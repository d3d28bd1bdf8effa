#include "app/standby.hpp"

#include <mqtt/async_client.h>
#include <spdlog/spdlog.h>

#include <csignal>

#include "app/daemon_metrics.hpp"
#include "app/metrics_endpoint.hpp"
#include "app/service_face.hpp"
#include "codec/outbox.hpp"
#include "io/connect_options.hpp"
#include "io/loop_clock.hpp"
#include "io/mqtt_link.hpp"

namespace vigil::app {

store::pg_options pg_options_of(const settings::store_settings& s) {
  store::pg_options o;
  o.url = s.url.value_or("");
  if (s.credentials_file) {
    auto c = settings::read_credentials(*s.credentials_file, "store.credentials_file");
    o.user = std::move(c.user);
    o.password = std::move(c.password);
  }
  return o;
}

// The waiting itself: a timer that tries the lock, the status on the broker, the signals.
class standby::waiting {
 public:
  waiting(const settings::daemon_settings& s, io::sd_notifier notifier)
      : s_(s),
        options_(pg_options_of(s.store)),
        started_at_ms_(io::read_system_clocks().wall_ms),
        signals_(loop_, SIGINT, SIGTERM, SIGHUP),
        face_(loop_, std::move(notifier), s.mqtt.broker_uri),
        metrics_(
            loop_,
            [this] {
              metrics::exposition out;
              write_standby_metrics(out, VIGIL_VERSION, s_.mqtt.prefix);
              return out.take();
            },
            [] { return std::optional<std::string>("standby: waiting for the leader's lock"); }),
        poll_timer_(loop_),
        status_timer_(loop_) {
    const auto& m = s.mqtt;
    auto client = std::make_unique<mqtt::async_client>(m.broker_uri, settings::standby_client_id(s),
                                                       mqtt::create_options(MQTTVERSION_5));
    io::mqtt_link_config cfg;  // no subscriptions: the inputs are the leader's
    cfg.retry_min = std::chrono::seconds(m.reconnect_min_s);
    cfg.retry_max = std::chrono::seconds(m.reconnect_max_s);
    // A standby keeps no session: what it would be sent is nothing.
    auto mqtt = m;
    mqtt.session_expiry_s = 0;
    link_ = std::make_unique<io::mqtt_link>(
        loop_, std::move(client),
        io::make_connect_options(mqtt, status(codec::daemon_state::offline, 0)), std::move(cfg),
        io::mqtt_link_handlers{[](std::span<io::inbound_message>) {},
                               [this] { link_->publish(status(codec::daemon_state::online)); },
                               {},
                               {}});
  }

  std::unique_ptr<store::pg_lease> run() {
    spdlog::info(
        "vigild {} standing by: store {}, broker {}, prefix \"{}\", instance \"{}\", client id "
        "\"{}\"",
        VIGIL_VERSION, describe(), s_.mqtt.broker_uri, s_.mqtt.prefix, s_.mqtt.instance,
        settings::standby_client_id(s_));
    on_signal();
    metrics_.start(s_.metrics.listen);
    face_.standing_by(describe());
    face_.start_watchdog();
    link_->start();
    on_status_timer();
    on_poll();
    loop_.run();
    return std::move(leading_);
  }

  // A stop asked for by a signal, seen by the time this returns (see standby::stop_requested).
  bool stop_requested() {
    loop_.restart();
    loop_.poll();
    return stop_requested_;
  }

 private:
  std::string describe() const { return lease_ ? lease_->describe() : redacted_url(); }
  std::string redacted_url() const { return options_.url; }  // settings refuse passwords in it

  codec::outgoing status(codec::daemon_state state, core::time_ms at = -1) const {
    const auto& m = s_.mqtt;
    return codec::daemon_status_message(
        m.prefix, {m.instance, state, VIGIL_VERSION, started_at_ms_,
                   at < 0 ? io::read_system_clocks().wall_ms : at, codec::daemon_role::standby});
  }

  void on_signal() {
    signals_.async_wait([this](boost::system::error_code ec, int sig) {
      if (ec) return;
      if (finishing_) {  // handing over, or already stopping: only noted
        stop_requested_ = stop_requested_ || sig != SIGHUP;
        on_signal();
        return;
      }
      if (sig == SIGHUP) {
        spdlog::info(
            "signal {}: ignored while standing by (the configuration is read again at a restart)",
            sig);
        on_signal();
        return;
      }
      spdlog::info("signal {}: stopping", sig);
      stop_requested_ = true;
      face_.stopping();
      finish();
    });
  }

  void on_status_timer() {
    if (link_->connected()) link_->publish(status(codec::daemon_state::online));
    status_timer_.expires_after(std::chrono::milliseconds(s_.status_interval_ms));
    status_timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) on_status_timer();
    });
  }

  void on_poll() {
    if (finishing_) return;  // a signal came first: the lock is not taken
    auto next = standby::lock_poll;
    try {
      if (!lease_) {
        lease_ = store::pg_lease::connect(options_, s_.mqtt.prefix);
        spdlog::info("standby: connected to {}", lease_->describe());
        failures_ = 0;
      }
      if (lease_->try_lead()) {
        spdlog::info("standby: took the leader's lock on {}: taking over", lease_->describe());
        leading_ = std::move(lease_);
        finish();
        return;
      }
    } catch (const std::exception& e) {
      lease_.reset();
      // The first failure, then one in thirty (a minute at reconnect_after).
      if (failures_++ % 30 == 0) spdlog::error("standby: {}; trying again", e.what());
      next = standby::reconnect_after;
    }
    poll_timer_.expires_after(next);
    poll_timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) on_poll();
    });
  }

  // The standby's connection goes (its status stays ONLINE STANDBY until the leader's own
  // replaces it, or OFFLINE on a signal); then the loop ends.
  void finish() {
    if (finishing_) return;
    finishing_ = true;
    poll_timer_.cancel();
    status_timer_.cancel();
    metrics_.stop();
    face_.stop_watchdog();
    if (!leading_ && link_->connected()) link_->publish(status(codec::daemon_state::offline));
    link_->stop([this] { loop_.stop(); });
  }

  const settings::daemon_settings& s_;
  const store::pg_options options_;
  const core::time_ms started_at_ms_;
  boost::asio::io_context loop_{1};
  boost::asio::signal_set signals_;
  service_face face_;
  metrics_endpoint metrics_;
  boost::asio::steady_timer poll_timer_;
  boost::asio::steady_timer status_timer_;
  std::unique_ptr<io::mqtt_link> link_;
  std::unique_ptr<store::pg_lease> lease_;    // connected, lock not (yet) held
  std::unique_ptr<store::pg_lease> leading_;  // holds the lock
  std::uint64_t failures_ = 0;
  bool finishing_ = false;  // a timer's handler may already be queued when it is cancelled
  bool stop_requested_ = false;
};

standby::standby(const settings::daemon_settings& s)
    : w_(std::make_unique<waiting>(s, io::sd_notifier::from_environment())) {}

standby::~standby() = default;

std::unique_ptr<store::pg_lease> standby::wait() { return w_->run(); }

bool standby::stop_requested() { return w_->stop_requested(); }

}  // namespace vigil::app
