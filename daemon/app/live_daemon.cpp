#include "app/live_daemon.hpp"

#include <mqtt/async_client.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <exception>
#include <stdexcept>

#include "app/connect_options.hpp"
#include "app/recorder_thread.hpp"
#include "codec/outbox.hpp"
#include "codec/topics.hpp"

namespace vigil::app {

namespace asio = boost::asio;

core::time_ms wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

spdlog::level::level_enum to_spdlog(settings::log_level l) {
  using settings::log_level;
  switch (l) {
    case log_level::trace:
      return spdlog::level::trace;
    case log_level::debug:
      return spdlog::level::debug;
    case log_level::info:
      return spdlog::level::info;
    case log_level::warn:
      return spdlog::level::warn;
    case log_level::error:
      return spdlog::level::err;
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
      store_(settings_.state_dir),
      writer_(store_,
              [](const std::string& error) { spdlog::error("state: cannot save: {}", error); }),
      ingest_(engine_, settings_.mqtt.prefix),
      deadline_timer_(loop_),
      status_timer_(loop_),
      watchdog_timer_(loop_) {
  const auto& m = settings_.mqtt;
  if (settings_.recording.enabled) {
    recorder_ = std::make_unique<recorder_thread>(settings_.recording.dir,
                                                  "vigild instance " + m.instance);
  }
  // at_ms 0: a Last Will cannot know when the broker will publish it.
  const auto will = codec::daemon_status_message(
      m.prefix, {m.instance, codec::daemon_state::offline, VIGIL_VERSION, started_at_ms_, 0});
  // Paho refuses a publish once 100 are waiting unsent (its default), and a refused alarm would
  // be dropped: after a restart with thousands of beds the retained snapshots alone exceed it.
  // Our own outbox already bounds what is queued, so let Paho hold as many as it hands it.
  constexpr int paho_max_buffered = 1'000'000;
  auto client = std::make_unique<mqtt::async_client>(
      m.broker_uri, m.client_id_or_default(),
      mqtt::create_options(MQTTVERSION_5, paho_max_buffered));
  io::mqtt_link_config cfg;
  cfg.subscriptions = codec::subscription_filters(m.prefix);
  cfg.retry_min = std::chrono::seconds(m.reconnect_min_s);
  cfg.retry_max = std::chrono::seconds(m.reconnect_max_s);
  link_ = std::make_unique<io::mqtt_link>(
      loop_, std::move(client), make_connect_options(m, will), std::move(cfg),
      io::mqtt_link_handlers{[this](io::inbound_message msg) { on_message(std::move(msg)); },
                             [this] { on_connected(); }, [this] { on_disconnected(); }});
}

live_daemon::~live_daemon() {
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
  notifier_.notify("STATUS=Restoring state from " + settings_.state_dir);
  writer_.start();
  restore_state();
  notifier_.notify("STATUS=Connecting to " + settings_.mqtt.broker_uri);
  link_->start();
  on_status_timer();
  on_watchdog_timer();
  arm_deadline();
  loop_.run();
  if (recorder_) {
    recorder_->stop(wall_clock_ms());
    const auto c = recorder_->final_counters();
    spdlog::info("recording: {} frame(s) written to {}, {} failed, {} dropped (queue full)",
                 c.written, settings_.recording.dir, c.failed, c.dropped_queue_full);
  }
  writer_.stop();  // whatever a second signal cut short is still saved
  log_counters();
  spdlog::info("vigild stopped");
  return 0;
}

void live_daemon::restore_state() {
  auto report = store_.load_all();
  for (const auto& problem : report.problems) spdlog::error("state: {}", problem);
  for (const auto& warning : report.warnings) spdlog::warn("state: {}", warning);
  const core::time_ms now = wall_clock_ms();
  core::engine_output out;
  for (auto& bed : report.beds) {
    // Republish each restored bed's retained snapshots: the broker may have lost them.
    out.alarms_changed.push_back(bed.id);
    out.sessions_changed.push_back(bed.id);
    engine_.restore(std::move(bed), now);
  }
  beds_with_files_ = engine_.bed_count();
  spdlog::info("state: {} bed(s) restored from {}", report.beds.size(), store_.dir().string());
  engine_.advance(now, out);  // reminders and escalations that fell due while down
  emit(out);
}

std::vector<store::serialized_bed> live_daemon::take_dirty_beds() {
  std::vector<store::serialized_bed> beds;
  for (auto& id : engine_.take_dirty()) {
    if (const auto* bed = engine_.state_of(id)) {
      beds.push_back({std::move(id), store::state_store::serialize(*bed)});
    }
  }
  // A bed new to the engine gets its file at its first message (usually a heart rate, which
  // would not make it dirty): making a file costs a create, an fsync, a rename and a directory
  // fsync, and that belongs here rather than in front of the bed's first alarm, which then
  // costs one in-place write. Beds the engine restored already have theirs.
  for (; beds_with_files_ < engine_.bed_count(); ++beds_with_files_) {
    const auto& bed = engine_.state_at(beds_with_files_);
    const bool queued = std::any_of(beds.begin(), beds.end(),
                                    [&](const store::serialized_bed& b) { return b.id == bed.id; });
    if (!queued) beds.push_back({bed.id, store::state_store::serialize(bed)});
  }
  return beds;
}

void live_daemon::publish_all(std::vector<codec::outgoing> messages) {
  for (auto& msg : messages) link_->publish(std::move(msg));
}

void live_daemon::on_message(io::inbound_message m) {
  if (stopping_) return;
  const core::time_ms now = wall_clock_ms();
  core::engine_output out;
  // Nothing from the network may unwind the loop: an exception here is a bug, logged and
  // counted, and the daemon carries on with the next message.
  try {
    if (auto drop = ingest_.handle(m.topic, m.payload, now, out)) {
      log_drop(codec::to_string(drop->reason), drop->detail);
    }
    engine_.advance(now, out);
  } catch (const std::exception& e) {
    ++internal_errors_;
    spdlog::error("internal error handling a message on {}: {}", m.topic, e.what());
  }
  emit(out);
  arm_deadline();
  // Recorded as received, dropped inputs too (a replay must see what vigild saw); only a
  // topic with no bed in it has no file to go to.
  if (recorder_) {
    auto t = codec::parse_input_topic(settings_.mqtt.prefix, m.topic);
    if (t) {
      recorder_->record(std::move(t).value().bed, now, std::move(m.topic), std::move(m.payload));
    }
  }
}

void live_daemon::on_deadline() {
  if (stopping_) return;
  core::engine_output out;
  engine_.advance(wall_clock_ms(), out);
  emit(out);
  arm_deadline();
}

void live_daemon::emit(const core::engine_output& out) {
  for (const auto& d : out.diagnostics) {
    log_drop(core::to_string(d.reason), d.bed_id + ": " + d.detail);
  }
  for (const auto& e : out.events) {
    spdlog::info("event #{} {}: {}", e.event_seq, e.alarm_id, e.text);
  }
  auto messages = codec::to_outgoing(settings_.mqtt.prefix, out, engine_);
  auto beds = take_dirty_beds();
  if (beds.empty() && groups_in_writer_ == 0) {
    publish_all(std::move(messages));  // nothing to make durable, nothing to keep order behind
    return;
  }
  // Published once the beds are on disk: what is published must survive a crash right after
  // it. Groups publish in commit order, so a message never overtakes an earlier one.
  ++groups_in_writer_;
  writer_.commit(std::move(beds), [this, messages = std::move(messages)]() mutable {
    asio::post(loop_, [this, messages = std::move(messages)]() mutable {
      --groups_in_writer_;
      publish_all(std::move(messages));
    });
  });
}

void live_daemon::arm_deadline() {
  const auto deadline = engine_.next_deadline();
  if (!deadline) {
    deadline_timer_.cancel();
    return;
  }
  // The engine's clock is the wall clock; the timer's is steady: wait for the difference.
  const auto wait =
      std::chrono::milliseconds(std::max<core::time_ms>(0, *deadline - wall_clock_ms()));
  deadline_timer_.expires_after(wait);
  deadline_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_deadline();
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
  // OFFLINE and the disconnect wait for what the writer still holds to be saved and published.
  ++groups_in_writer_;
  writer_.commit({}, [this] {
    asio::post(loop_, [this] {
      --groups_in_writer_;
      publish_status(codec::daemon_state::offline);
      link_->stop([this] { loop_.stop(); });
    });
  });
}

void live_daemon::log_counters() const {
  const auto& l = link_->counters();
  spdlog::info(
      "mqtt: {} received, {} dropped with the loop behind, {} published, {} publish failures, "
      "{} dropped while offline",
      l.received, l.dropped_inbound_full, l.published, l.publish_failures, l.dropped_queue_full);
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
  const auto w = writer_.counters();
  spdlog::info("state: {} bed file(s) saved in {} directory sync(s), {} error(s)", w.files,
               w.writes, w.failures);
  if (internal_errors_) spdlog::error("internal errors: {}", internal_errors_);
}

}  // namespace vigil::app
