// vigil-gateway's wiring: the MLLP listener, the intake (HL7 -> contract messages), the state
// file, the broker link, the silence check and the service face (status, sd_notify, metrics).
// Everything runs on one Asio loop thread; Paho's callbacks are handed to it by io::mqtt_link.
#pragma once

#include <memory>

#include "gateway/gateway_state.hpp"
#include "gateway/intake.hpp"
#include "gateway/mllp_server.hpp"
#include "io/asio.hpp"
#include "io/http_server.hpp"
#include "io/logging.hpp"
#include "io/mqtt_link.hpp"
#include "io/sd_notify.hpp"
#include "settings/gateway_settings.hpp"

namespace vigil::gateway {

class gateway_daemon {
 public:
  // Opens the state file and binds the listener and the metrics endpoint; throws
  // std::runtime_error (or store::store_error) with a message for the operator when it cannot.
  explicit gateway_daemon(settings::gateway_settings s);
  ~gateway_daemon();
  int run();  // until SIGINT or SIGTERM; 0 on a clean stop

  std::string metrics_text() const;

 private:
  void on_message_published(const codec::outgoing& m);
  std::string handle(std::string_view message, const std::string& peer);
  void on_silence_timer();
  void publish_status(bool online);
  void shutdown();

  settings::gateway_settings s_;
  boost::asio::io_context loop_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer silence_timer_;
  gateway_state state_;
  intake intake_;
  std::unique_ptr<io::mqtt_link> link_;
  mllp_server server_;
  std::unique_ptr<io::http_server> metrics_;
  io::sd_notifier notifier_;
  core::time_ms started_at_ms_ = 0;
  std::uint64_t internal_errors_ = 0;
  io::log_limiter log_limit_;
};

}  // namespace vigil::gateway
