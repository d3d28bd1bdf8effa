// The live loop's work on the engine, one turn at a time, with no Asio: each turn reads the
// loop's clock once (a wall-clock step moves the engine's timers with it, so no deadline fires
// early or late), a batch of received messages goes through the feed into the engine at the
// turn's time, the deadlines that fell due fire, and take() hands back what the turn changed: the
// bed rows a restart needs and the messages to publish, for durable_outbox to commit before
// publishing. Drops are logged (rate-limited) as they happen; events are logged as they are taken.
// Not thread-safe: the loop thread owns it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "codec/outbox.hpp"
#include "core/engine.hpp"
#include "core/engine_books.hpp"
#include "core/names.hpp"
#include "feed/ingest.hpp"
#include "io/logging.hpp"
#include "io/loop_clock.hpp"
#include "io/mqtt_link.hpp"
#include "metrics/exposition.hpp"
#include "record/keeper.hpp"
#include "store/store.hpp"

namespace vigil::app {

class ward {
 public:
  // `clock` must outlive this object.
  ward(const core::engine_config& cfg, std::string prefix, io::loop_clock& clock);

  struct turn {
    core::time_ms now = 0;  // the engine's time for everything of this turn
    bool stepped = false;   // the wall clock stepped since the last turn: timers were rebased
  };
  // Reads the clock for a new turn; on a step, rebases the engine's timers first.
  turn begin_turn();

  // Puts the saved beds back at `now`, before any message. Returns their retained snapshots
  // (ActiveAlarms, SessionState), to republish behind anything new: the broker may have lost
  // them, and they come from committed state, so they need no commit of their own.
  std::vector<codec::outgoing> restore(std::vector<core::bed_state> beds, core::time_ms now);

  // Every message of the batch at `now`, then the deadlines <= now.
  void handle(std::span<const io::inbound_message> batch, core::time_ms now);
  // The deadlines <= now.
  void advance(core::time_ms now);
  void reconfigure(const core::engine_config& cfg);
  std::optional<core::time_ms> next_deadline() const { return engine_.next_deadline(); }

  struct changes {
    std::vector<store::bed_row> beds;
    std::vector<codec::outgoing> messages;
    record::rows record;  // the history, trend and session rows (README "The record")
  };
  // What the turns since the last take() changed; trend buckets over by the last turn's time
  // are closed.
  changes take();

  std::size_t beds() { return core::engine_books(engine_).bed_count(); }
  // One line for each kind of line the log limits held back in windows that have ended.
  void log_suppressed();
  // The exit lines: the feed's and the engine's counters.
  void log_counters() const;
  // Its Prometheus families (ward_metrics.cpp): inputs received and dropped, readings, alarm
  // events, open alarms, beds by phase. A scan of every bed: for a scrape, not per message.
  void write_metrics(metrics::exposition& out);

 private:
  void log_drop(std::string_view reason, std::string_view detail);
  void write_input_metrics(metrics::exposition& out) const;
  void write_event_metrics(metrics::exposition& out) const;
  void write_state_metrics(metrics::exposition& out);
  std::vector<store::bed_row> take_changed_beds();

  const std::string prefix_;
  io::loop_clock& clock_;
  core::engine engine_;
  core::engine_output out_;  // reused: what the engine emitted since the last take()
  feed::ingest ingest_;
  record::keeper keeper_;
  core::time_ms last_turn_ = 0;  // the time of the latest handle() or advance()
  io::log_limiter drop_log_;
  // Alarm events are published and stored whatever the log says; their lines are limited so
  // that a sender flapping a cuff on many beds cannot flood the journal. 600 a minute is more
  // than a ward of 100 beds makes.
  io::log_limiter event_log_{600, std::chrono::minutes(1)};
  std::size_t beds_stored_ = 0;  // engine slots below this have their row in the store
  std::uint64_t internal_errors_ = 0;
  // Alarm events published, by condition, transition and priority (enum values as indexes).
  using by_priority = std::array<std::uint64_t, core::priority_count>;
  std::array<std::array<by_priority, core::transition_count>, core::condition_count> events_{};
};

}  // namespace vigil::app
