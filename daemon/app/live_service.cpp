// live_daemon's side facing the service manager: sd_notify readiness, status and watchdog,
// and SIGHUP's configuration reload.
#include <spdlog/spdlog.h>

#include <string>
#include <vector>

#include "app/live_daemon.hpp"
#include "io/tcp_nodelay.hpp"

namespace vigil::app {

namespace {

// The keys a running daemon cannot take over: they name its connection, its identity on the
// broker, or files it holds open.
std::vector<std::string> needs_restart(const settings::daemon_settings& now,
                                       const settings::daemon_settings& next) {
  std::vector<std::string> keys;
  const auto& a = now.mqtt;
  const auto& b = next.mqtt;
  auto check = [&keys](bool same, const char* key) {
    if (!same) keys.emplace_back(key);
  };
  check(a.broker_uri == b.broker_uri, "mqtt.broker_uri");
  check(a.client_id == b.client_id, "mqtt.client_id");
  check(a.prefix == b.prefix, "mqtt.prefix");
  check(a.instance == b.instance, "mqtt.instance");
  check(a.keepalive_s == b.keepalive_s, "mqtt.keepalive_s");
  check(a.session_expiry_s == b.session_expiry_s, "mqtt.session_expiry_s");
  check(a.reconnect_min_s == b.reconnect_min_s && a.reconnect_max_s == b.reconnect_max_s,
        "mqtt.reconnect_min_s/reconnect_max_s");
  check(a.credentials_file == b.credentials_file, "mqtt.credentials_file");
  check(a.tls_ca_file == b.tls_ca_file, "mqtt.tls_ca_file");
  check(a.tls_cert_file == b.tls_cert_file, "mqtt.tls_cert_file");
  check(a.tls_key_file == b.tls_key_file, "mqtt.tls_key_file");
  check(now.state_dir == next.state_dir, "daemon.state_dir");
  check(now.recording.enabled == next.recording.enabled && now.recording.dir == next.recording.dir,
        "recording");
  return keys;
}

}  // namespace

void live_daemon::on_connected() {
  // Paho made a new socket: without this an alarm can wait 40 ms for a delayed ACK.
  const auto sockets = io::disable_nagle_on_tcp_sockets();
  spdlog::debug("TCP_NODELAY set on {} socket(s)", sockets);
  publish_status(codec::daemon_state::online);
  const auto status = "STATUS=Connected to " + settings_.mqtt.broker_uri + ", watching " +
                      std::to_string(engine_.beds().size()) + " bed(s)";
  // Ready once: the subscriptions are with Paho, ahead of anything a client publishes next.
  notifier_.notify(ready_ ? status : "READY=1\n" + status);
  ready_ = true;
}

void live_daemon::on_disconnected() {
  notifier_.notify("STATUS=Broker " + settings_.mqtt.broker_uri +
                   " unreachable: reconnecting, alarms queued for it");
}

void live_daemon::on_watchdog_timer() {
  const auto interval = notifier_.watchdog_interval();
  if (!interval) return;
  // From the loop itself: if the loop stalls, the pings stop and systemd restarts vigild.
  notifier_.notify("WATCHDOG=1");
  watchdog_timer_.expires_after(*interval / 2);
  watchdog_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_watchdog_timer();
  });
}

void live_daemon::wait_for_hangup() {
  hangup_.async_wait([this](boost::system::error_code ec, int) {
    if (ec || stopping_) return;
    reload();
    wait_for_hangup();
  });
}

void live_daemon::reload() {
  // Logs go to stderr only (journald), so there is no log file to reopen.
  if (!reload_) {
    spdlog::warn("SIGHUP: no configuration file to re-read; nothing changed");
    return;
  }
  notifier_.notify("RELOADING=1\nSTATUS=Reloading the configuration");
  auto loaded = reload_();
  if (!loaded.settings) {
    for (const auto& e : loaded.errors) spdlog::error("reload: {}", e.to_string());
    spdlog::error("reload: {} configuration error(s); the running configuration stays",
                  loaded.errors.size());
  } else {
    auto& next = *loaded.settings;
    std::vector<std::string> applied;
    if (next.log_level != settings_.log_level) {
      spdlog::default_logger()->set_level(to_spdlog(next.log_level));
      settings_.log_level = next.log_level;
      applied.emplace_back("daemon.log_level");
    }
    if (next.status_interval_ms != settings_.status_interval_ms) {
      settings_.status_interval_ms = next.status_interval_ms;  // from the next status on
      applied.emplace_back("daemon.status_interval_s");
    }
    if (!(next.engine == settings_.engine)) {
      engine_.reconfigure(next.engine);
      settings_.engine = next.engine;
      armed_for_.reset();  // deadlines may now be earlier or later than the one armed
      arm_deadline(wall_clock_ms());
      applied.emplace_back("alarm limits and timers");
    }
    for (const auto& key : needs_restart(settings_, next)) {
      spdlog::warn("reload: {} changed but needs a restart; not applied", key);
    }
    if (applied.empty()) {
      spdlog::info("reload: nothing to apply");
    } else {
      for (const auto& what : applied) spdlog::info("reload: applied {}", what);
    }
  }
  const std::string status = link_->connected()
                                 ? "STATUS=Connected to " + settings_.mqtt.broker_uri
                                 : "STATUS=Connecting to " + settings_.mqtt.broker_uri;
  notifier_.notify(ready_ ? "READY=1\n" + status : status);
}

}  // namespace vigil::app
