// PCD-04 out, wired into vigil-gateway: vigild's alarm events, received on the gateway's MQTT
// session ({prefix}/beds/+/alarms/events, QoS 1, a persistent session so events published
// while the gateway was away are delivered when it is back), each built into an ORU^R40,
// queued durably in {state_dir}/alerts.db and sent to the Alert Manager in order
// (daemon/alerts). Present only when [alert_manager] address is set.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "alerts/alert_queue.hpp"
#include "alerts/alert_reporter.hpp"
#include "alerts/alert_sender.hpp"
#include "io/asio.hpp"
#include "metrics/exposition.hpp"
#include "settings/gateway_settings.hpp"

namespace vigil::gateway {

class paging {
 public:
  // Opens the queue (throws alerts::queue_error naming the file when it cannot).
  paging(boost::asio::io_context& loop, const settings::gateway_settings& s);
  ~paging();
  void start();
  void stop();
  // One message from the alarm events topic; a payload that does not decode is logged and
  // counted. Throws alerts::queue_error when the queue cannot be written.
  void on_alarm_event(std::string_view topic, std::string_view payload, core::time_ms now);
  // The ACK for a PCD-05 ORA^R41 the Alert Manager sent to the listener (logged here).
  std::string on_status(std::string_view message, core::time_ms now);
  void write_metrics(metrics::exposition& e) const;

 private:
  alerts::alert_queue queue_;
  alerts::alert_sender sender_;
  alerts::alert_reporter reporter_;
  std::string application_;
  std::uint64_t undecodable_ = 0;
  std::uint64_t status_reports_ = 0;
};

}  // namespace vigil::gateway
