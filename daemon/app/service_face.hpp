// vigild's face to systemd (sd_notify): READY=1 after the first connect and subscribe, STATUS=
// on every change of connection, WATCHDOG=1 from a loop timer (so a stalled loop gets the
// daemon restarted), RELOADING=1 around SIGHUP, STOPPING=1 on SIGTERM/SIGINT. Outside systemd
// every call does nothing.
// Not thread-safe: the loop thread owns it.
#pragma once

#include <string>

#include "io/asio.hpp"
#include "io/sd_notify.hpp"

namespace vigil::app {

class service_face {
 public:
  service_face(boost::asio::io_context& loop, io::sd_notifier notifier, std::string broker);

  void opening_state(const std::string& dir);
  void connecting();
  // Ready once: the subscriptions are with Paho, ahead of anything a client publishes next.
  void connected(std::size_t beds);
  void disconnected();
  // A standby is ready (it does what it is there for: wait to take over).
  void standing_by(const std::string& store);
  void reloading();
  void reloaded(bool connected);
  void stopping();
  // WATCHDOG=1 at half the interval systemd asks for, from the loop; nothing without one.
  void start_watchdog();
  void stop_watchdog() { watchdog_timer_.cancel(); }

 private:
  void on_watchdog_timer();

  io::sd_notifier notifier_;
  const std::string broker_;
  boost::asio::steady_timer watchdog_timer_;
  bool ready_ = false;  // READY=1 sent
};

}  // namespace vigil::app
