#include "app/live_daemon.hpp"

#include <mqtt/async_client.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <csignal>

#include "app/daemon_metrics.hpp"
#include "codec/json_view.hpp"
#include "codec/topics.hpp"
#include "io/connect_options.hpp"
#include "io/recorder_thread.hpp"
#include "io/tcp_nodelay.hpp"
#include "metrics/process_stats.hpp"

namespace vigil::app {

namespace {

void log_store_failure(std::uint64_t failures, const std::string& error) {
  // A full or failing disk fails every commit: the first, then one in a hundred.
  if (failures % 100 == 1) {
    spdlog::error("state: cannot commit ({} failure(s) so far): {}; publishing anyway", failures,
                  error);
  }
}

std::unique_ptr<io::mqtt_link> make_link(boost::asio::io_context& loop,
                                         const settings::mqtt_settings& m,
                                         const std::string& client_id, codec::outgoing will,
                                         io::mqtt_link_handlers handlers) {
  // Paho refuses a publish once 100 are waiting unsent (its default), and a refused alarm would
  // be dropped: after a restart with thousands of beds the retained snapshots alone exceed it.
  // Our own outbox already bounds what is queued, so let Paho hold as many as it hands it.
  constexpr int paho_max_buffered = 1'000'000;
  auto client = std::make_unique<mqtt::async_client>(
      m.broker_uri, client_id, mqtt::create_options(MQTTVERSION_5, paho_max_buffered));
  io::mqtt_link_config cfg;
  cfg.subscriptions = codec::subscription_filters(m.prefix);
  cfg.retry_min = std::chrono::seconds(m.reconnect_min_s);
  cfg.retry_max = std::chrono::seconds(m.reconnect_max_s);
  return std::make_unique<io::mqtt_link>(loop, std::move(client), io::make_connect_options(m, will),
                                         std::move(cfg), std::move(handlers));
}

}  // namespace

live_daemon::live_daemon(settings::daemon_settings s, settings_loader reload,
                         io::sd_notifier notifier, io::loop_clock::source clock,
                         store::store_thread::opener open_store)
    : settings_(std::move(s)),
      clock_(std::move(clock)),
      started_at_ms_(clock_.wall_now()),
      signals_(loop_, SIGINT, SIGTERM),
      face_(loop_, std::move(notifier), settings_.mqtt.broker_uri),
      ward_(settings_.engine, settings_.mqtt.prefix, clock_),
      store_([failures = std::uint64_t{0}](
                 const std::string& error) mutable { log_store_failure(++failures, error); },
             [this](const std::string& error) {
               boost::asio::post(loop_, [this, error] { step_down(error); });
             }),
      reloader_(
          loop_, std::move(reload), settings_,
          [this](const settings::daemon_settings& next) { return apply(next); }, face_,
          [this] { return link_->connected(); }),
      metrics_(
          loop_, [this] { return metrics_page(); }, [this] { return not_ready(); }),
      status_timer_(loop_),
      prune_timer_(loop_),
      fence_timer_(loop_) {
  const auto& m = settings_.mqtt;
  if (settings_.recording.enabled) {
    recorder_ = std::make_unique<io::recorder_thread>(settings_.recording.dir,
                                                      "vigild instance " + m.instance);
  }
  // at_ms 0: a Last Will cannot know when the broker will publish it.
  link_ = make_link(loop_, m, settings::leader_client_id(settings_),
                    codec::daemon_status_message(
                        m.prefix, {m.instance, codec::daemon_state::offline, VIGIL_VERSION,
                                   started_at_ms_, 0, codec::daemon_role::leader}),
                    io::mqtt_link_handlers{
                        [this](std::span<io::inbound_message> batch) { on_messages(batch); },
                        [this] {
                          // Paho made a new socket: without this an alarm can wait 40 ms for a
                          // delayed ACK.
                          spdlog::debug("TCP_NODELAY set on {} socket(s)",
                                        io::disable_nagle_on_tcp_sockets());
                          publish_status(codec::daemon_state::online);
                          face_.connected(ward_.beds());
                        },
                        [this] { face_.disconnected(); },
                        [this](std::span<const std::uint64_t> ids) { outbox_->published(ids); }});
  open_store_and_restore(std::move(open_store));
  metrics_.start(settings_.metrics.listen);  // a port in use is a start-up error
}

void live_daemon::on_messages(std::span<io::inbound_message> batch) {
  const auto is_request = [this](const io::inbound_message& m) { return history_->is_request(m); };
  if (std::none_of(batch.begin(), batch.end(), is_request)) {
    live_->on_messages(batch);  // almost every batch: readings only, handled in place
    return;
  }
  // The readings keep their order; the requests go after them.
  const auto split = std::stable_partition(batch.begin(), batch.end(),
                                           [&](const auto& m) { return !is_request(m); });
  live_->on_messages(batch.first(static_cast<std::size_t>(split - batch.begin())));
  const core::time_ms now = clock_.wall_now();
  for (auto it = split; it != batch.end(); ++it) history_->handle(*it, now);
}

void live_daemon::on_record(const record::rows& rows, core::time_ms now) {
  trend_->add(rows, now);
  if (records_ && std::any_of(rows.sessions.begin(), rows.sessions.end(),
                              [](const record::session_info& s) { return s.ended_ms != 0; })) {
    // Once the turn's rows are submitted (after this handler) and committed: the writer reads
    // the ended session from the store.
    boost::asio::post(loop_, [this] { outbox_->drain([this] { records_->session_ended(); }); });
  }
}

live_daemon::~live_daemon() {
  stop_store();  // its callbacks use outbox_, which goes first
  if (recorder_) recorder_->stop(clock_.wall_now());
}

int live_daemon::run() {
  spdlog::info("vigild {} starting: broker {}, prefix \"{}\", instance \"{}\"", VIGIL_VERSION,
               settings_.mqtt.broker_uri, settings_.mqtt.prefix, settings_.mqtt.instance);
  signals_.async_wait([this](boost::system::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: stopping", sig);
    shutdown();
  });
  reloader_.start();
  face_.connecting();
  link_->start();
  on_status_timer();
  on_prune_timer();
  if (settings_.store.shared()) on_fence_timer();
  trend_->start();
  face_.start_watchdog();
  loop_.run();
  if (recorder_) {
    recorder_->stop(clock_.wall_now());
    const auto c = recorder_->final_counters();
    spdlog::info("recording: {} frame(s) written to {}, {} failed, {} dropped (queue full)",
                 c.written, settings_.recording.dir, c.failed, c.dropped_queue_full);
  }
  stop_store();  // whatever a second signal cut short is still committed
  log_counters();
  spdlog::info("vigild stopped");
  return 0;
}

std::vector<std::string> live_daemon::apply(const settings::daemon_settings& next) {
  std::vector<std::string> applied;
  if (next.log_level != settings_.log_level) {
    spdlog::default_logger()->set_level(io::to_spdlog(next.log_level));
    settings_.log_level = next.log_level;
    applied.emplace_back("daemon.log_level");
  }
  if (next.status_interval_ms != settings_.status_interval_ms) {
    settings_.status_interval_ms = next.status_interval_ms;  // from the next status on
    applied.emplace_back("daemon.status_interval_s");
  }
  if (!(next.engine == settings_.engine)) {
    live_->reconfigure(next.engine);
    settings_.engine = next.engine;
    applied.emplace_back("alarm limits and timers");
  }
  return applied;
}

void live_daemon::publish(codec::outgoing msg, io::publish_priority priority) {
  // The JSON twin first: it is not kept in the outbox, so the protobuf message's PUBACK, which
  // removes the row, comes after both were handed over.
  if (settings_.mqtt.json_view) {
    if (auto json = codec::json_view_of(settings_.mqtt.prefix, msg)) {
      link_->publish(std::move(*json), priority);
    }
  }
  link_->publish(std::move(msg), priority);
}

void live_daemon::publish_status(codec::daemon_state state) {
  const auto& m = settings_.mqtt;
  publish(codec::daemon_status_message(m.prefix, {m.instance, state, VIGIL_VERSION, started_at_ms_,
                                                  clock_.wall_now(), codec::daemon_role::leader}));
}

void live_daemon::on_status_timer() {
  if (stopping_) return;
  if (link_->connected()) publish_status(codec::daemon_state::online);
  ward_.log_suppressed();
  status_timer_.expires_after(std::chrono::milliseconds(settings_.status_interval_ms));
  status_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_status_timer();
  });
}

void live_daemon::stop_at_once() {
  boost::asio::post(loop_, [this] {
    spdlog::info("a signal came while taking over: stopping");
    shutdown();
  });
}

void live_daemon::shutdown() {
  if (stopping_) return;
  stopping_ = true;
  face_.stopping();
  live_->stop();
  status_timer_.cancel();
  prune_timer_.cancel();
  fence_timer_.cancel();
  trend_->stop();
  reloader_.stop();
  metrics_.stop();
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

std::optional<std::string> live_daemon::not_ready() const {
  if (stopping_) return "stopping";
  if (!link_->connected()) return "not connected to " + settings_.mqtt.broker_uri;
  if (store_.counters().last_failed) return "the latest state commit failed";
  return std::nullopt;
}

std::string live_daemon::metrics_page() {
  metrics::exposition out;
  write_daemon_metrics(out,
                       {.version = VIGIL_VERSION,
                        .prefix = settings_.mqtt.prefix,
                        .leader = true,
                        .connected = link_->connected(),
                        .ready = !not_ready(),
                        .link = link_->counters(),
                        .waiting = link_->queued() + link_->in_flight(),
                        .store = store_.counters(),
                        .loop_lag = &metrics_.loop_lag(),
                        .history = history_->counters(),
                        .records = records_ ? records_->counters() : record_writer_counters{}});
  ward_.write_metrics(out);
  if (const auto p = metrics::read_process_stats()) metrics::write_process_stats(out, *p);
  return out.take();
}

void live_daemon::log_counters() const {
  const auto& l = link_->counters();
  spdlog::info(
      "mqtt: {} received, {} dropped with the loop behind, {} published, {} publish failures, "
      "{} dropped while offline, {} batch(es), {} unsent at exit",
      l.received, l.dropped_inbound_full, l.published, l.publish_failures, l.dropped_queue_full,
      l.batches, link_->queued());
  ward_.log_counters();
  if (clock_.steps()) spdlog::info("clock: {} wall-clock step(s) rebased", clock_.steps());
  if (const auto n = codec::protobuf_log_lines()) {
    spdlog::info("protobuf: {} line(s) of its own log silenced (invalid UTF-8 in inputs)", n);
  }
  const auto w = store_.counters();
  spdlog::info(
      "store: {} commit(s), {} bed row(s), {} outbox row(s), {} acknowledged, {} failure(s)",
      w.commits, w.bed_rows, w.outbox_rows, w.acknowledged, w.failures);
}

}  // namespace vigil::app
