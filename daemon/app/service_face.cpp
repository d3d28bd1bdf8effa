#include "app/service_face.hpp"

#include <chrono>

namespace vigil::app {

service_face::service_face(boost::asio::io_context& loop, io::sd_notifier notifier,
                           std::string broker)
    : notifier_(std::move(notifier)), broker_(std::move(broker)), watchdog_timer_(loop) {}

void service_face::opening_state(const std::string& dir) {
  notifier_.notify("STATUS=Opening the state in " + dir);
}

void service_face::connecting() { notifier_.notify("STATUS=Connecting to " + broker_); }

void service_face::connected(std::size_t beds) {
  const auto status =
      "STATUS=Connected to " + broker_ + ", watching " + std::to_string(beds) + " bed(s)";
  notifier_.notify(ready_ ? status : "READY=1\n" + status);
  ready_ = true;
}

void service_face::disconnected() {
  notifier_.notify("STATUS=Broker " + broker_ + " unreachable: reconnecting, alarms queued for it");
}

void service_face::standing_by(const std::string& store) {
  const auto status = "STATUS=Standby: waiting for the leader's lock on " + store;
  notifier_.notify(ready_ ? status : "READY=1\n" + status);
  ready_ = true;
}

void service_face::reloading() {
  notifier_.notify("RELOADING=1\nSTATUS=Reloading the configuration");
}

void service_face::reloaded(bool connected) {
  const std::string status =
      connected ? "STATUS=Connected to " + broker_ : "STATUS=Connecting to " + broker_;
  notifier_.notify(ready_ ? "READY=1\n" + status : status);
}

void service_face::stopping() {
  notifier_.notify("STOPPING=1\nSTATUS=Stopping: publishing OFFLINE, saving state");
}

void service_face::start_watchdog() {
  if (notifier_.watchdog_interval()) on_watchdog_timer();
}

void service_face::on_watchdog_timer() {
  // From the loop itself: if the loop stalls, the pings stop and systemd restarts vigild.
  notifier_.notify("WATCHDOG=1");
  watchdog_timer_.expires_after(*notifier_.watchdog_interval() / 2);
  watchdog_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_watchdog_timer();
  });
}

}  // namespace vigil::app
