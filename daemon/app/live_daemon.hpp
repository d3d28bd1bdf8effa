// vigild's live front end, wired from one small part per role: one Asio loop thread owns
// everything; MQTT messages come in through io::mqtt_link in batches; live_loop handles each
// batch or deadline as one turn of the ward (the engine behind the feed) at a time read once
// from the loop's clock; what a turn changed (beds, and the messages they caused) is
// committed to the store before any of it is published (durable_outbox), so a restart never
// reissues an event number or an alarm id and never loses a message; committing happens on
// the store's thread (group commit), and the loop goes on meanwhile. service_face speaks to
// systemd, reloader answers SIGHUP, and a status timer publishes the daemon's own status.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/durable_outbox.hpp"
#include "app/history_service.hpp"
#include "app/live_loop.hpp"
#include "app/metrics_endpoint.hpp"
#include "app/record_writer.hpp"
#include "app/reloader.hpp"
#include "app/service_face.hpp"
#include "app/trend_publisher.hpp"
#include "app/ward.hpp"
#include "codec/codec.hpp"
#include "io/asio.hpp"
#include "io/loop_clock.hpp"
#include "io/mqtt_link.hpp"
#include "io/recorder_thread.hpp"
#include "io/sd_notify.hpp"
#include "settings/settings.hpp"
#include "store/store_thread.hpp"

namespace vigil::app {

class live_daemon {
 public:
  // Builds everything, opens the store (importing vigil 0.1's state files) and restores every
  // bed; connects nothing. Throws on a start-up error (an unreadable credentials file, a
  // state_dir that cannot be created, a database that is corrupt or held by another process),
  // with a message fit for the operator.
  // Without a loader SIGHUP only says it cannot reload. Without `open_store`, the SQLite file of
  // [store] url; a pair's leader passes the PostgreSQL store on the connection holding the lock.
  explicit live_daemon(settings::daemon_settings s, settings_loader reload = {},
                       io::sd_notifier notifier = io::sd_notifier::from_environment(),
                       io::loop_clock::source clock = io::read_system_clocks,
                       store::store_thread::opener open_store = {});
  ~live_daemon();
  live_daemon(const live_daemon&) = delete;
  live_daemon& operator=(const live_daemon&) = delete;

  // Runs until SIGINT or SIGTERM, then publishes OFFLINE, disconnects, closes the recordings
  // and returns 0. Or until the store is fenced (the leader's lock is gone): then it falls
  // silent at once (nothing more is published, not even OFFLINE), and stepped_down() is true.
  int run();
  bool stepped_down() const { return stepped_down_; }
  // Before run(): stop as on SIGTERM as soon as it runs (a signal that came during a takeover).
  void stop_at_once();

 private:
  void open_store_and_restore(store::store_thread::opener open);
  void step_down(const std::string& why);
  // A shared store: a round trip every fence_check, so an idle leader learns within about a
  // second that its lock is gone.
  void on_fence_timer();
  std::vector<std::string> apply(const settings::daemon_settings& next);
  // Hands `msg` to the link, and its JSON twin first when [mqtt] json_view is on.
  void publish(codec::outgoing msg, io::publish_priority priority = io::publish_priority::normal);
  void publish_status(codec::daemon_state state);
  // A batch from the broker: requests for the record to history_, the rest to the live loop.
  void on_messages(std::span<io::inbound_message> batch);
  void on_status_timer();
  // Prunes the record past its retention now (in batches, between commits), then every
  // prune_interval.
  void on_prune_timer();
  void stop_store();
  // A turn's record rows: to the trend publisher, and a session's end to the record writer.
  void on_record(const record::rows& rows, core::time_ms now);
  // The trend of each bed in a session, read back from the store for trend_ (a restart).
  void seed_trends(std::vector<std::string>
                       beds);  // the record writer first (it marks records written in the store)
  void shutdown();
  void log_counters() const;
  std::string metrics_page();
  std::optional<std::string> not_ready() const;

  // Declared in start-up order; destroyed in reverse.
  settings::daemon_settings settings_;  // as in effect: a reload updates what it applies
  io::loop_clock clock_;
  const core::time_ms started_at_ms_;
  boost::asio::io_context loop_{1};
  boost::asio::signal_set signals_;
  service_face face_;
  ward ward_;
  store::store_thread store_;
  std::unique_ptr<io::recorder_thread> recorder_;  // null unless [recording] enabled
  std::unique_ptr<io::mqtt_link> link_;
  std::optional<durable_outbox> outbox_;    // once the store is open
  std::optional<live_loop> live_;           // once the outbox is
  std::optional<history_service> history_;  // once the store is open
  std::unique_ptr<record_writer> records_;  // null when [record] dir is ""
  std::optional<trend_publisher> trend_;
  reloader reloader_;
  metrics_endpoint metrics_;
  boost::asio::steady_timer status_timer_;
  boost::asio::steady_timer prune_timer_;
  boost::asio::steady_timer fence_timer_;
  bool stopping_ = false;
  bool stepped_down_ = false;
};

}  // namespace vigil::app
