// vigil-gateway's wiring: the MLLP listener, the intake (HL7 -> contract messages), the state
// file, the broker link, PCD-04 paging, the silence check and the service face (status,
// sd_notify, metrics). Everything runs on one Asio loop thread; Paho's callbacks are handed to
// it by io::mqtt_link.
//
// A report is acknowledged once the broker has every message it became (QoS 1 PUBACK), so an
// ACK means "Vigil has it" even if the gateway dies the next moment; while the broker is
// unreachable reports are refused with an AE/CE (HL7 table 0357 code 207), so they stay with
// their sender, whose queue is made for this, rather than in the gateway's memory.
#pragma once

#include <map>
#include <memory>

#include "gateway/gateway_state.hpp"
#include "gateway/intake.hpp"
#include "gateway/mllp_server.hpp"
#include "gateway/paging.hpp"
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
  // A report waiting for the broker's PUBACKs of its messages before its ACK goes out.
  struct waiting_report {
    std::size_t remaining = 0;
    std::string ack;
    mllp_reply reply;
    std::string application, control_id;
    std::vector<nibp_mark> nibp;
    std::chrono::steady_clock::time_point since;
  };
  void handle(std::string_view message, const std::string& peer, mllp_reply reply);
  void on_published(std::span<const std::uint64_t> ids);
  void on_inbound(std::span<io::inbound_message> batch);
  // Closes the connections of reports waiting since before `since_before` (all by default).
  void give_up_waiting(std::string_view why, std::chrono::steady_clock::time_point since_before =
                                                 std::chrono::steady_clock::time_point::max());
  std::string refusal(std::string_view message, std::string_view why) const;
  void log_rejection(const std::string& peer, const std::string& summary);
  void on_silence_timer();
  void publish_status(bool online);
  void shutdown();

  settings::gateway_settings s_;
  boost::asio::io_context loop_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer silence_timer_;
  gateway_state state_;
  intake intake_;
  std::unique_ptr<paging> paging_;  // [alert_manager] address set
  std::unique_ptr<io::mqtt_link> link_;
  mllp_server server_;
  std::map<std::uint64_t, std::shared_ptr<waiting_report>> waiting_;  // by outbox id
  std::uint64_t next_publish_id_ = 0;
  std::unique_ptr<io::http_server> metrics_;
  io::sd_notifier notifier_;
  core::time_ms started_at_ms_ = 0;
  std::uint64_t internal_errors_ = 0;
  std::uint64_t refused_no_broker_ = 0;
  std::uint64_t abandoned_ = 0;  // reports given up: the broker lost or never acknowledged them
  io::log_limiter log_limit_;
};

}  // namespace vigil::gateway
