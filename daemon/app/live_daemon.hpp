// vigild's live front end: one Asio loop thread owns the engine; MQTT messages come in through
// io::mqtt_link, are handled at their wall-clock receive time, and what the engine emits goes
// back out through the link. One steady_timer wakes the engine at its next deadline. Every
// bed whose state changed is saved to state_dir before what changed it is published, so a
// restart never reissues an event number or an alarm id.
#pragma once

#include <memory>
#include <string>

#include "codec/codec.hpp"
#include "codec/ingest.hpp"
#include "core/engine.hpp"
#include "io/asio.hpp"
#include "io/logging.hpp"
#include "io/mqtt_link.hpp"
#include "settings/settings.hpp"
#include "store/state_store.hpp"

namespace vigil::app {

class live_daemon {
 public:
  // Builds everything and connects nothing; throws on a start-up error (an unreadable
  // credentials file, a state_dir that cannot be created), with a message fit for the operator.
  explicit live_daemon(settings::daemon_settings s);
  ~live_daemon();
  live_daemon(const live_daemon&) = delete;
  live_daemon& operator=(const live_daemon&) = delete;

  // Runs until SIGINT or SIGTERM, then publishes OFFLINE, disconnects and returns 0.
  int run();

 private:
  void restore_state();
  void save_dirty_beds();
  void on_message(io::inbound_message m);
  void on_deadline();
  void emit(const core::engine_output& out);
  void arm_deadline();
  void publish_status(codec::daemon_state state);
  void on_status_timer();
  void log_drop(std::string_view reason, std::string_view detail);
  void shutdown();
  void log_counters() const;

  // Declared in start-up order; destroyed in reverse.
  const settings::daemon_settings settings_;
  const core::time_ms started_at_ms_;
  boost::asio::io_context loop_{1};
  boost::asio::signal_set signals_;
  core::engine engine_;
  store::state_store store_;
  codec::ingest ingest_;
  io::log_limiter drop_log_;
  std::uint64_t internal_errors_ = 0;
  boost::asio::steady_timer deadline_timer_;
  boost::asio::steady_timer status_timer_;
  std::unique_ptr<io::mqtt_link> link_;
  bool stopping_ = false;
};

// Wall-clock Unix ms: the receive time contract.md stamps events with.
core::time_ms wall_clock_ms();

}  // namespace vigil::app
