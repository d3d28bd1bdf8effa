// vigild's live front end: one Asio loop thread owns the engine; MQTT messages come in through
// io::mqtt_link in batches, are handled at their wall-clock receive time (read once per
// batch), and what the engine emits goes back out through the link. One steady_timer wakes the
// engine at its next deadline. What a batch changed (beds, and the messages they caused) is
// committed to the store in one change before any of it is published (durable_outbox), so a
// restart never reissues an event number or an alarm id and never loses a message; committing
// happens on the store's thread (group commit), and the loop goes on meanwhile.
//
// Under systemd it speaks sd_notify: READY=1 after the first connect and subscribe, STATUS=
// on every change of connection, WATCHDOG=1 from a loop timer (so a stalled loop gets the
// daemon restarted), RELOADING=1 around SIGHUP, STOPPING=1 on SIGTERM/SIGINT.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "app/durable_outbox.hpp"
#include "codec/codec.hpp"
#include "codec/ingest.hpp"
#include "core/engine.hpp"
#include "io/asio.hpp"
#include "io/logging.hpp"
#include "io/mqtt_link.hpp"
#include "io/sd_notify.hpp"
#include "settings/settings.hpp"
#include "store/store_thread.hpp"

namespace vigil::io {
class recorder_thread;
}  // namespace vigil::io

namespace vigil::app {

// Re-reads the configuration (file and command-line overrides) for SIGHUP.
using settings_loader = std::function<settings::load_result()>;

class live_daemon {
 public:
  // Builds everything, opens the store (importing vigil 0.1's state files) and restores every
  // bed; connects nothing. Throws on a start-up error (an unreadable credentials file, a
  // state_dir that cannot be created, a database that is corrupt or held by another process),
  // with a message fit for the operator.
  // Without a loader SIGHUP only says it cannot reload.
  explicit live_daemon(settings::daemon_settings s, settings_loader reload = {},
                       io::sd_notifier notifier = io::sd_notifier::from_environment());
  ~live_daemon();
  live_daemon(const live_daemon&) = delete;
  live_daemon& operator=(const live_daemon&) = delete;

  // Runs until SIGINT or SIGTERM, then publishes OFFLINE, disconnects, closes the recordings
  // and returns 0.
  int run();

 private:
  void restore_state(store::loaded_state loaded, const std::string& from);
  std::vector<store::bed_row> take_changed_beds();
  void on_messages(std::span<io::inbound_message> batch);
  void on_deadline();
  void emit(core::time_ms now);
  void arm_deadline(core::time_ms now);
  void publish_status(codec::daemon_state state);
  void on_status_timer();
  void log_drop(std::string_view reason, std::string_view detail);
  void shutdown();
  void log_counters() const;
  void on_connected();
  void on_disconnected();
  void on_watchdog_timer();
  void wait_for_hangup();
  void reload();

  // Declared in start-up order; destroyed in reverse.
  settings::daemon_settings settings_;  // as in effect: a reload updates what it applies
  const settings_loader reload_;
  io::sd_notifier notifier_;
  const core::time_ms started_at_ms_;
  boost::asio::io_context loop_{1};
  boost::asio::signal_set signals_;
  boost::asio::signal_set hangup_;
  core::engine engine_;
  core::engine_output out_;  // reused: what the engine emitted since the last emit()
  store::store_thread store_;
  std::optional<durable_outbox> outbox_;  // once the store is open
  std::size_t beds_stored_ = 0;           // engine slots below this have their row in the store
  codec::ingest ingest_;
  io::log_limiter drop_log_;
  std::uint64_t internal_errors_ = 0;
  boost::asio::steady_timer deadline_timer_;
  std::optional<core::time_ms> armed_for_;  // the deadline the timer waits for
  boost::asio::steady_timer status_timer_;
  boost::asio::steady_timer watchdog_timer_;
  std::unique_ptr<io::recorder_thread> recorder_;  // null unless [recording] enabled
  std::unique_ptr<io::mqtt_link> link_;
  bool ready_ = false;  // READY=1 sent
  bool stopping_ = false;
};

spdlog::level::level_enum to_spdlog(settings::log_level l);

// Wall-clock Unix ms: the receive time contract.md stamps events with.
core::time_ms wall_clock_ms();

}  // namespace vigil::app
