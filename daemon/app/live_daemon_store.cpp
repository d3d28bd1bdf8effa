// live_daemon's side facing the store (live_daemon.hpp): opening it and restoring every bed
// (with the outbox a crash left), seeding the trends, pruning the record past its retention,
// and, on a pair's shared store, the periodic fence check and stepping down once fenced.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "app/live_daemon.hpp"
#include "record/book.hpp"
#include "store/legacy_files.hpp"
#include "store/sqlite_store.hpp"

namespace vigil::app {

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

void live_daemon::open_store_and_restore(store::store_thread::opener open) {
  // Opened, migrated and read on the store's own thread; the loop is not running yet.
  const std::string url = settings_.store.url_or_default(settings_.state_dir);
  face_.opening_state(url);
  const std::filesystem::path dir = settings_.state_dir;
  std::filesystem::create_directories(dir);
  if (!open) {
    open = [file = url.substr(std::string_view("sqlite://").size()),
            prefix = settings_.mqtt.prefix] { return store::open_sqlite_store(file, prefix); };
  }
  store::loaded_state loaded;
  std::string from;
  store_.start(std::move(open), [&](store::store& opened) {
    from = opened.describe();
    log_migration(store::legacy::migrate(dir, opened), from);
    loaded = opened.load();
  });
  outbox_.emplace(
      loop_, store_, [this](codec::outgoing msg) { publish(std::move(msg)); },
      loaded.next_outbox_id);
  if (const char* hook = std::getenv("VIGILD_TEST_KILL_AFTER_COMMIT"); hook && hook[0] == '1') {
    spdlog::warn("test hook: SIGKILL after the first commit of an alarm event");
    outbox_->kill_after_first_alarm_commit();
  }
  live_.emplace(loop_, ward_, *outbox_, recorder_.get(), settings_.mqtt.prefix);
  history_.emplace(loop_, store_, settings_.mqtt.prefix,
                   [this](codec::outgoing msg) { link_->publish(std::move(msg)); });
  trend_.emplace(
      loop_, settings_.mqtt.prefix,
      [this](codec::outgoing msg) { link_->publish(std::move(msg), io::publish_priority::bulk); },
      [this] { return clock_.wall_now(); });
  live_->on_record([this](const record::rows& rows, core::time_ms now) { on_record(rows, now); });
  if (const auto records_dir = settings_.record.dir_or_default(settings_.state_dir);
      !records_dir.empty()) {
    records_ =
        std::make_unique<record_writer>(store_, records_dir, record::limits_of(settings_.engine),
                                        std::string("vigild ") + VIGIL_VERSION);
    records_->session_ended();  // what a crash or a full disk left due
  }

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
  for (auto& msg : loaded.outbox) publish(std::move(msg));
  const std::size_t beds = loaded.beds.size();
  std::vector<std::string> in_session;
  for (const auto& b : loaded.beds)
    if (core::in_session(b.phase)) in_session.push_back(b.id);
  seed_trends(std::move(in_session));
  live_->restore(std::move(loaded.beds), [this](codec::outgoing msg) {
    publish(std::move(msg), io::publish_priority::bulk);
  });
  spdlog::info("state: {} bed(s) restored from {}", beds, from);
}

void live_daemon::seed_trends(std::vector<std::string> beds) {
  // In pieces, each a store job between commits; each piece's trends go back to the loop.
  constexpr std::size_t per_job = 100;
  const core::time_ms now = clock_.wall_now();
  for (std::size_t i = 0; i < beds.size(); i += per_job) {
    std::vector<std::string> piece(
        beds.begin() + static_cast<std::ptrdiff_t>(i),
        beds.begin() + static_cast<std::ptrdiff_t>(std::min(beds.size(), i + per_job)));
    store_.post([this, piece = std::move(piece), now](store::store& s) {
      using seeded = std::pair<record::session_info, std::vector<record::trend_point>>;
      std::vector<seeded> out;
      for (const auto& id : piece) {
        store::record_filter f;
        f.bed_id = id;
        f.since_ms = now;
        f.until_ms = now;
        auto sessions = s.sessions(f).rows;
        std::erase_if(sessions, [](const auto& x) { return x.ended_ms != 0; });
        if (sessions.empty()) continue;
        f.since_ms = sessions.back().started_ms;
        f.limit = record::trend_window::max_points * 6;
        out.emplace_back(sessions.back(), s.trend(f).rows);
      }
      boost::asio::post(loop_, [this, out = std::move(out), now] {
        for (const auto& [info, points] : out) trend_->seed(info, points, now);
      });
    });
  }
}

void live_daemon::stop_store() {
  if (records_) records_->stop();
  store_.stop();
}

namespace {
constexpr auto prune_interval = std::chrono::minutes(10);

// One batch; another right after it (queued behind the commits meanwhile) while there is more.
void prune_some(store::store_thread& st, store::prune_limits limits) {
  st.post([&st, limits](store::store& s) {
    const std::size_t removed = s.prune(limits);
    if (removed > 0) spdlog::debug("record: pruned {} row(s) past the retention", removed);
    if (removed >= limits.max_rows) prune_some(st, limits);
  });
}
}  // namespace

void live_daemon::on_prune_timer() {
  const core::time_ms now = clock_.wall_now();
  store::prune_limits limits;
  limits.history_before =
      now - static_cast<core::time_ms>(settings_.record.retention_days) * 86'400'000;
  limits.idle_trend_before =
      now - static_cast<core::time_ms>(settings_.record.idle_trend_minutes) * 60'000;
  prune_some(store_, limits);
  prune_timer_.expires_after(prune_interval);
  prune_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_prune_timer();
  });
}

void live_daemon::on_fence_timer() {
  constexpr auto fence_check = std::chrono::seconds(1);
  store_.post([](store::store& s) { s.check_fence(); });
  fence_timer_.expires_after(fence_check);
  fence_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_fence_timer();
  });
}

void live_daemon::step_down(const std::string& why) {
  if (stepped_down_) return;
  spdlog::error("store: {}: stepping down, publishing nothing more", why);
  stepped_down_ = true;
  if (!stopping_) {  // else shutdown() stopped these already
    stopping_ = true;
    face_.stopping();
    live_->stop();
    status_timer_.cancel();
    prune_timer_.cancel();
    trend_->stop();
    reloader_.stop();
    metrics_.stop();
  }
  fence_timer_.cancel();
  signals_.cancel();
  // Paho's queue and ours are dropped: they hold only committed messages, which the next
  // leader publishes from the outbox.
  link_->abandon([this] { loop_.stop(); });
}

}  // namespace vigil::app
