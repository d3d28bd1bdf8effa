#include "app/ward.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>

#include "core/engine_books.hpp"

namespace vigil::app {

ward::ward(const core::engine_config& cfg, std::string prefix, io::loop_clock& clock)
    : prefix_(std::move(prefix)), clock_(clock), engine_(cfg), ingest_(engine_, prefix_) {}

std::vector<codec::outgoing> ward::restore(std::vector<core::bed_state> beds, core::time_ms now) {
  core::engine_books books(engine_);
  for (auto& bed : beds) books.restore(std::move(bed), now, out_);
  auto snapshots = codec::to_outgoing(prefix_, out_);
  record::rows known;  // the sessions in progress, as the store has them already
  keeper_.take(out_, books, now, known);
  out_.clear();
  beds_stored_ = books.bed_count();
  engine_.advance(now, out_);  // reminders and escalations that fell due while down
  last_turn_ = now;
  return snapshots;
}

void ward::handle(std::span<const io::inbound_message> batch, core::time_ms now) {
  for (const auto& m : batch) {
    // Nothing from the network may unwind the loop: an exception here is a bug, logged and
    // counted, and the daemon carries on with the next message.
    try {
      if (auto drop = ingest_.handle(m.topic, m.payload, now, out_)) {
        log_drop(feed::to_string(drop->reason), drop->detail);
      }
    } catch (const std::exception& e) {
      ++internal_errors_;
      log_drop("internal_error", "a bug handling a message: " + std::string(e.what()));
    }
  }
  engine_.advance(now, out_);
  last_turn_ = now;
}

void ward::advance(core::time_ms now) {
  engine_.advance(now, out_);
  last_turn_ = now;
}

ward::turn ward::begin_turn() {
  const auto t = clock_.read();
  if (t.stepped_ms == 0) return {t.now_ms, false};
  spdlog::warn(
      "clock: the wall clock stepped by {} ms; every timer keeps its remaining time, and events "
      "are stamped with the new time",
      t.stepped_ms);
  engine_.rebase(t.stepped_ms);
  return {t.now_ms, true};
}

void ward::reconfigure(const core::engine_config& cfg) { engine_.reconfigure(cfg); }

ward::changes ward::take() {
  for (const auto& d : out_.diagnostics) {
    log_drop(core::to_string(d.reason), d.bed_id + ": " + d.detail);
  }
  for (const auto& e : out_.events) {
    if (event_log_.admit("event", std::chrono::steady_clock::now())) {
      spdlog::info("event #{} {}: {}", e.event_seq, e.alarm_id, e.text);
    }
    if (const auto c = core::condition_named(e.condition)) {
      ++events_[core::index(*c)][static_cast<std::size_t>(e.transition)]
               [static_cast<std::size_t>(e.priority)];
    }
  }
  changes c{{}, codec::to_outgoing(prefix_, out_), {}};
  core::engine_books books(engine_);
  keeper_.take(out_, books, last_turn_, c.record);
  out_.clear();
  c.beds = take_changed_beds();
  return c;
}

std::vector<store::bed_row> ward::take_changed_beds() {
  std::vector<store::bed_row> rows;
  core::engine_books books(engine_);
  const std::size_t first_new = beds_stored_;
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

void ward::log_drop(std::string_view reason, std::string_view detail) {
  if (drop_log_.admit(reason, std::chrono::steady_clock::now())) {
    spdlog::warn("dropped input ({}): {}", reason, detail);
  }
}

void ward::log_suppressed() {
  const auto now = std::chrono::steady_clock::now();
  for (const auto& s : drop_log_.take_summaries(now)) {
    spdlog::warn("dropped input: {} more of {} not logged", s.suppressed, s.key);
  }
  for (const auto& s : event_log_.take_summaries(now)) {
    spdlog::warn("event: {} more event line(s) not logged (published and stored as always)",
                 s.suppressed);
  }
}

void ward::log_counters() const {
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
  if (internal_errors_) spdlog::error("internal errors: {}", internal_errors_);
}

}  // namespace vigil::app
