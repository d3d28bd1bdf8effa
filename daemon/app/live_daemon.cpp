#include "app/live_daemon.hpp"

#include <mqtt/async_client.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <stdexcept>

#include "app/connect_options.hpp"
#include "app/recorder_thread.hpp"
#include "codec/outbox.hpp"
#include "codec/topics.hpp"
#include "core/engine_books.hpp"
#include "store/legacy_files.hpp"
#include "store/sqlite_store.hpp"

namespace vigil::app {

namespace asio = boost::asio;

core::time_ms wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

void log_migration(const store::legacy::migration_report& r, const std::string& into) {
  for (const auto& problem : r.problems) spdlog::error("state: {}", problem);
  for (const auto& warning : r.warnings) spdlog::warn("state: {}", warning);
  if (r.moved_to.empty()) return;
  spdlog::info(
      "state: imported {} of {} bed file(s) into {} ({} already there, {} set aside); "
      "the files are kept in {}",
      r.imported, r.files, into, r.kept, r.problems.size(), r.moved_to.string());
}

}  // namespace

spdlog::level::level_enum to_spdlog(settings::log_level l) {
  using settings::log_level;
  switch (l) {
    case log_level::trace: return spdlog::level::trace;
    case log_level::debug: return spdlog::level::debug;
    case log_level::info: return spdlog::level::info;
    case log_level::warn: return spdlog::level::warn;
    case log_level::error: return spdlog::level::err;
  }
  return spdlog::level::info;
}

live_daemon::live_daemon(settings::daemon_settings s, settings_loader reload,
                         io::sd_notifier notifier)
    : settings_(std::move(s)),
      reload_(std::move(reload)),
      notifier_(std::move(notifier)),
      started_at_ms_(wall_clock_ms()),
      signals_(loop_, SIGINT, SIGTERM),
      hangup_(loop_, SIGHUP),
      engine_(settings_.engine),
      store_([failures = std::uint64_t{0}](const std::string& error) mutable {
        // A full or failing disk fails every commit: the first, then one in a hundred.
        if (++failures % 100 == 1) {
          spdlog::error("state: cannot commit ({} failure(s) so far): {}; publishing anyway",
                        failures, error);
        }
      }),
      ingest_(engine_, settings_.mqtt.prefix),
      deadline_timer_(loop_),
      status_timer_(loop_),
      watchdog_timer_(loop_) {
  const auto& m = settings_.mqtt;
  if (settings_.recording.enabled) {
    recorder_ =
        std::make_unique<recorder_thread>(settings_.recording.dir, "vigild instance " + m.instance);
  }
  // at_ms 0: a Last Will cannot know when the broker will publish it.
  const auto will = codec::daemon_status_message(
      m.prefix, {m.instance, codec::daemon_state::offline, VIGIL_VERSION, started_at_ms_, 0});
  // Paho refuses a publish once 100 are waiting unsent (its default), and a refused alarm would
  // be dropped: after a restart with thousands of beds the retained snapshots alone exceed it.
  // Our own outbox already bounds what is queued, so let Paho hold as many as it hands it.
  constexpr int paho_max_buffered = 1'000'000;
  auto client =
      std::make_unique<mqtt::async_client>(m.broker_uri, m.client_id_or_default(),
                                           mqtt::create_options(MQTTVERSION_5, paho_max_buffered));
  io::mqtt_link_config cfg;
  cfg.subscriptions = codec::subscription_filters(m.prefix);
  cfg.retry_min = std::chrono::seconds(m.reconnect_min_s);
  cfg.retry_max = std::chrono::seconds(m.reconnect_max_s);
  link_ = std::make_unique<io::mqtt_link>(
      loop_, std::move(client), make_connect_options(m, will), std::move(cfg),
      io::mqtt_link_handlers{
          [this](std::span<io::inbound_message> batch) { on_messages(batch); },
          [this] { on_connected(); }, [this] { on_disconnected(); },
          [this](std::span<const std::uint64_t> ids) { outbox_->published(ids); }});

  // Opened, migrated and read on the store's own thread; the loop is not running yet.
  notifier_.notify("STATUS=Opening the state in " + settings_.state_dir);
  const std::filesystem::path dir = settings_.state_dir;
  std::filesystem::create_directories(dir);
  store::loaded_state loaded;
  std::string from;
  store_.start([&] { return store::open_sqlite_store(dir / "vigil.db", m.prefix); },
               [&](store::store& opened) {
                 from = opened.describe();
                 log_migration(store::legacy::migrate(dir, opened), from);
                 loaded = opened.load();
               });
  outbox_.emplace(
      loop_, store_, [this](codec::outgoing msg) { link_->publish(std::move(msg)); },
      loaded.next_outbox_id);
  if (const char* hook = std::getenv("VIGILD_TEST_KILL_AFTER_COMMIT"); hook && hook[0] == '1') {
    spdlog::warn("test hook: SIGKILL after the first commit of an alarm event");
    outbox_->kill_after_first_alarm_commit();
  }
  restore_state(std::move(loaded), from);
}

live_daemon::~live_daemon() {
  store_.stop();  // its callbacks use outbox_, which goes first
  if (recorder_) recorder_->stop(wall_clock_ms());
}

int live_daemon::run() {
  spdlog::info("vigild {} starting: broker {}, prefix \"{}\", instance \"{}\"", VIGIL_VERSION,
               settings_.mqtt.broker_uri, settings_.mqtt.prefix, settings_.mqtt.instance);
  signals_.async_wait([this](boost::system::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: stopping", sig);
    shutdown();
  });
  wait_for_hangup();
  notifier_.notify("STATUS=Connecting to " + settings_.mqtt.broker_uri);
  link_->start();
  on_status_timer();
  on_watchdog_timer();
  arm_deadline(wall_clock_ms());
  loop_.run();
  if (recorder_) {
    recorder_->stop(wall_clock_ms());
    const auto c = recorder_->final_counters();
    spdlog::info("recording: {} frame(s) written to {}, {} failed, {} dropped (queue full)",
                 c.written, settings_.recording.dir, c.failed, c.dropped_queue_full);
  }
  store_.stop();  // whatever a second signal cut short is still committed
  log_counters();
  spdlog::info("vigild stopped");
  return 0;
}

void live_daemon::restore_state(store::loaded_state loaded, const std::string& from) {
  for (const auto& problem : loaded.problems) spdlog::error("state: {}", problem);
  if (loaded.other_prefix_beds) {
    spdlog::info("state: {} bed(s) of other prefixes in {} left alone", loaded.other_prefix_beds,
                 from);
  }
  // First what was committed and never acknowledged by the broker, in its order, before
  // anything new: a crash between a commit and its publish loses nothing.
  if (!loaded.outbox.empty()) {
    spdlog::info(
        "state: {} message(s) committed but not acknowledged before the last stop; "
        "publishing them first",
        loaded.outbox.size());
  }
  for (auto& msg : loaded.outbox) link_->publish(std::move(msg));
  const core::time_ms now = wall_clock_ms();
  for (auto& bed : loaded.beds) {
    // Republish each restored bed's retained snapshots: the broker may have lost them. They
    // come from committed state, so they need no commit of their own, and they go out behind
    // anything new (a ward's worth of them must not hold up an alarm).
    core::engine_books(engine_).restore(std::move(bed), now, out_);
  }
  for (auto& msg : codec::to_outgoing(settings_.mqtt.prefix, out_)) {
    link_->publish(std::move(msg), io::publish_priority::bulk);
  }
  out_.clear();
  beds_stored_ = core::engine_books(engine_).bed_count();
  spdlog::info("state: {} bed(s) restored from {}", beds_stored_, from);
  engine_.advance(now, out_);  // reminders and escalations that fell due while down
  emit(now);
}

std::vector<store::bed_row> live_daemon::take_changed_beds() {
  std::vector<store::bed_row> rows;
  const std::size_t first_new = beds_stored_;
  core::engine_books books(engine_);
  for (const auto& id : books.take_dirty()) {
    if (books.bed_slot(id) < first_new) rows.push_back(store::make_row(*books.state_of(id)));
  }
  // A bed new to the engine gets its row at its first message (usually a heart rate, which
  // would not make it dirty), so a restart knows it is watched. durable_outbox holds such rows
  // back and commits them together: 5,000 new beds cost a few commits, not 5,000 syncs.
  for (; beds_stored_ < books.bed_count(); ++beds_stored_) {
    rows.push_back(store::make_row(books.state_at(beds_stored_)));
  }
  return rows;
}

void live_daemon::on_messages(std::span<io::inbound_message> batch) {
  if (stopping_) return;
  const core::time_ms now = wall_clock_ms();  // one receive time for the batch
  for (auto& m : batch) {
    // Nothing from the network may unwind the loop: an exception here is a bug, logged and
    // counted, and the daemon carries on with the next message.
    try {
      if (auto drop = ingest_.handle(m.topic, m.payload, now, out_)) {
        log_drop(codec::to_string(drop->reason), drop->detail);
      }
    } catch (const std::exception& e) {
      ++internal_errors_;
      spdlog::error("internal error handling a message on {}: {}", m.topic, e.what());
    }
    // Recorded as received, dropped inputs too (a replay must see what vigild saw); only a
    // topic with no bed in it has no file to go to.
    if (recorder_) {
      if (auto t = codec::parse_input_topic(settings_.mqtt.prefix, m.topic)) {
        recorder_->record(std::move(t).value().bed, now, std::move(m.topic), std::move(m.payload));
      }
    }
  }
  engine_.advance(now, out_);
  emit(now);
  arm_deadline(now);
}

void live_daemon::on_deadline() {
  if (stopping_) return;
  const core::time_ms now = wall_clock_ms();
  engine_.advance(now, out_);
  emit(now);
  arm_deadline(now);
}

void live_daemon::emit(core::time_ms now) {
  for (const auto& d : out_.diagnostics) {
    log_drop(core::to_string(d.reason), d.bed_id + ": " + d.detail);
  }
  for (const auto& e : out_.events) {
    spdlog::info("event #{} {}: {}", e.event_seq, e.alarm_id, e.text);
  }
  auto messages = codec::to_outgoing(settings_.mqtt.prefix, out_);
  out_.clear();
  outbox_->submit(take_changed_beds(), std::move(messages), now);
}

void live_daemon::arm_deadline(core::time_ms now) {
  const auto deadline = engine_.next_deadline();
  if (!deadline) {
    if (armed_for_) deadline_timer_.cancel();
    armed_for_.reset();
    return;
  }
  // A later deadline than the one armed needs nothing: the timer fires early, the engine has
  // nothing to do, and it is armed again then. So a heart rate pushing its bed's timer back
  // costs no system call.
  if (armed_for_ && *armed_for_ <= *deadline) return;
  armed_for_ = *deadline;
  // The engine's clock is the wall clock; the timer's is steady: wait for the difference.
  deadline_timer_.expires_after(
      std::chrono::milliseconds(std::max<core::time_ms>(0, *deadline - now)));
  deadline_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    armed_for_.reset();
    on_deadline();
  });
}

void live_daemon::publish_status(codec::daemon_state state) {
  const auto& m = settings_.mqtt;
  link_->publish(codec::daemon_status_message(
      m.prefix, {m.instance, state, VIGIL_VERSION, started_at_ms_, wall_clock_ms()}));
}

void live_daemon::on_status_timer() {
  if (stopping_) return;
  if (link_->connected()) publish_status(codec::daemon_state::online);
  for (const auto& s : drop_log_.take_summaries(std::chrono::steady_clock::now())) {
    spdlog::warn("dropped input: {} more of {} not logged", s.suppressed, s.key);
  }
  status_timer_.expires_after(std::chrono::milliseconds(settings_.status_interval_ms));
  status_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_status_timer();
  });
}

void live_daemon::log_drop(std::string_view reason, std::string_view detail) {
  if (drop_log_.admit(reason, std::chrono::steady_clock::now())) {
    spdlog::warn("dropped input ({}): {}", reason, detail);
  }
}

void live_daemon::shutdown() {
  if (stopping_) return;
  stopping_ = true;
  notifier_.notify("STOPPING=1\nSTATUS=Stopping: publishing OFFLINE, saving state");
  deadline_timer_.cancel();
  status_timer_.cancel();
  hangup_.cancel();
  // A second signal while disconnecting means "now".
  signals_.async_wait([this](boost::system::error_code ec, int) {
    if (!ec) loop_.stop();
  });
  // OFFLINE and the disconnect wait for what the store still holds to be committed and
  // published.
  outbox_->drain([this] {
    publish_status(codec::daemon_state::offline);
    link_->stop([this] { loop_.stop(); });
  });
}

void live_daemon::log_counters() const {
  const auto& l = link_->counters();
  spdlog::info(
      "mqtt: {} received, {} dropped with the loop behind, {} published, {} publish failures, "
      "{} dropped while offline, {} batch(es), {} unsent at exit",
      l.received, l.dropped_inbound_full, l.published, l.publish_failures, l.dropped_queue_full,
      l.batches, link_->queued());
  for (const auto& [name, n] : ingest_.counters()) {
    if (n) spdlog::info("ingest {}: {}", name, n);
  }
  const auto& c = engine_.counters();
  spdlog::info("engine readings accepted: {}", c.readings_accepted);
  for (std::size_t i = 0; i < c.dropped.size(); ++i) {
    if (c.dropped[i]) {
      spdlog::info("engine dropped {}: {}", core::to_string(static_cast<core::drop_reason>(i)),
                   c.dropped[i]);
    }
  }
  const auto w = store_.counters();
  spdlog::info(
      "store: {} commit(s), {} bed row(s), {} outbox row(s), {} acknowledged, {} failure(s)",
      w.commits, w.bed_rows, w.outbox_rows, w.acknowledged, w.failures);
  if (internal_errors_) spdlog::error("internal errors: {}", internal_errors_);
}

}  // namespace vigil::app
