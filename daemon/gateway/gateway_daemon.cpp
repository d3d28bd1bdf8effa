#include "gateway/gateway_daemon.hpp"

#include <mqtt/async_client.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <sstream>

#include "codec/outbox.hpp"
#include "io/connect_options.hpp"
#include "store/store.hpp"

namespace vigil::gateway {
namespace {

constexpr auto silence_check_every = std::chrono::seconds(1);

core::time_ms wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string status_instance(const settings::gateway_settings& s) {
  return "gateway-" + s.mqtt.instance;
}

std::unique_ptr<io::mqtt_link> make_link(boost::asio::io_context& loop, settings::mqtt_settings m,
                                         codec::outgoing will, io::mqtt_link_handlers handlers) {
  constexpr int paho_max_buffered = 1'000'000;  // our own queue bounds what waits
  auto client =
      std::make_unique<mqtt::async_client>(m.broker_uri, m.client_id_or_default(),
                                           mqtt::create_options(MQTTVERSION_5, paho_max_buffered));
  io::mqtt_link_config cfg;
  cfg.retry_min = std::chrono::seconds(m.reconnect_min_s);
  cfg.retry_max = std::chrono::seconds(m.reconnect_max_s);
  return std::make_unique<io::mqtt_link>(loop, std::move(client), io::make_connect_options(m, will),
                                         std::move(cfg), std::move(handlers));
}

}  // namespace

gateway_daemon::gateway_daemon(settings::gateway_settings s)
    : s_([&] {
        s.mqtt.client_id = s.client_id();
        return std::move(s);
      }()),
      signals_(loop_, SIGINT, SIGTERM),
      silence_timer_(loop_),
      state_([&] {
        std::filesystem::create_directories(s_.state_dir);
        return std::filesystem::path(s_.state_dir) / "gateway.db";
      }()),
      intake_(s_, state_),
      server_(loop_, s_.mllp,
              [this](std::string_view m, const std::string& peer) { return handle(m, peer); }),
      notifier_(io::sd_notifier::from_environment()),
      started_at_ms_(wall_ms()) {
  link_ = make_link(
      loop_, s_.mqtt,
      codec::daemon_status_message(
          s_.mqtt.prefix,
          {status_instance(s_), codec::daemon_state::offline, VIGIL_VERSION, started_at_ms_, 0}),
      io::mqtt_link_handlers{[](std::span<io::inbound_message>) {},
                             [this] { publish_status(true); },
                             [] { spdlog::warn("mqtt: connection lost; queueing readings"); },
                             {}});
  intake_.restore(wall_ms());
  server_.start();
  if (!s_.metrics_listen.empty()) {
    const auto address = settings::parse_listen_address(s_.metrics_listen);
    metrics_ = std::make_unique<io::http_server>(
        loop_, std::map<std::string, io::http_handler>{
                   {"/metrics",
                    [this] {
                      return io::http_response{200, "text/plain; version=0.0.4; charset=utf-8",
                                               metrics_text()};
                    }},
                   {"/ready", [this] {
                      const bool ready = link_->connected();
                      return io::http_response{ready ? 200u : 503u, "text/plain; charset=utf-8",
                                               ready ? "ready\n" : "not connected to the broker\n"};
                    }}});
    metrics_->start(address->host, address->port);
  }
}

gateway_daemon::~gateway_daemon() = default;

std::string gateway_daemon::handle(std::string_view message, const std::string& peer) {
  try {
    auto r = intake_.on_message(message, wall_ms());
    if (r.accepted) {
      spdlog::debug("mllp: {}: {}", peer, r.summary);
    } else {
      // A sender resending a bad message every second must not flood the journal: the first
      // few of each sender a minute, then a count.
      const auto now = std::chrono::steady_clock::now();
      if (log_limit_.admit(peer, now)) spdlog::warn("mllp: {}: {}", peer, r.summary);
      for (const auto& s : log_limit_.take_summaries(now))
        spdlog::warn("mllp: {}: {} more rejected message(s) not logged", s.key, s.suppressed);
    }
    for (auto& m : r.publish) link_->publish(std::move(m));
    return r.ack;
  } catch (const std::exception& e) {
    // The state file failed (disk full, I/O error): nothing was published and no ACK is sent,
    // so the sender resends once the connection is back (MLLP's own retry).
    ++internal_errors_;
    spdlog::error("mllp: {}: cannot take a message: {}; closing the connection", peer, e.what());
    return {};
  }
}

void gateway_daemon::publish_status(bool online) {
  link_->publish(codec::daemon_status_message(
      s_.mqtt.prefix,
      {status_instance(s_), online ? codec::daemon_state::online : codec::daemon_state::offline,
       VIGIL_VERSION, started_at_ms_, wall_ms()}));
}

void gateway_daemon::on_silence_timer() {
  for (auto& m : intake_.check_silence(wall_ms())) link_->publish(std::move(m));
  if (notifier_.watchdog_interval()) notifier_.notify("WATCHDOG=1");
  silence_timer_.expires_after(silence_check_every);
  silence_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_silence_timer();
  });
}

void gateway_daemon::shutdown() {
  notifier_.notify("STOPPING=1");
  server_.stop();
  silence_timer_.cancel();
  if (metrics_) metrics_->stop();
  publish_status(false);
  link_->stop([this] { loop_.stop(); });
}

int gateway_daemon::run() {
  spdlog::info("vigil-gateway {} starting: MLLP on {} (port {}){}, broker {}, prefix \"{}\"",
               VIGIL_VERSION, s_.mllp.listen, server_.port(),
               s_.mllp.tls_cert_file ? " over TLS" : "", s_.mqtt.broker_uri, s_.mqtt.prefix);
  signals_.async_wait([this](boost::system::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: stopping", sig);
    shutdown();
  });
  link_->start();
  on_silence_timer();
  notifier_.notify("READY=1\nSTATUS=listening");
  loop_.run();
  const auto& c = intake_.counters();
  spdlog::info("vigil-gateway stopped: {} message(s), {} accepted, {} rejected, {} resent",
               c.messages, c.accepted, c.rejected, c.resent);
  return 0;
}

}  // namespace vigil::gateway
