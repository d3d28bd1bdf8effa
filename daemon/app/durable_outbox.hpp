// Durable before published (alarms.md section 8): what one loop turn changed (the beds' state
// and the messages it caused) goes to the store in one change, and the messages are handed to
// MQTT only once that change is committed. A crash after the commit loses nothing: the
// messages are still in the store's outbox and are published again at the next start, before
// anything new (at least once; event_seq lets a consumer drop a repeat). A message leaves the
// outbox when the broker acknowledges it.
//
// Ordering: changes commit, and their messages are published, in submit order, so a bed's
// events leave in event_seq order; a change waits for the transaction in progress and its own,
// never for a queue of other beds' work.
//
// A change that publishes nothing (a new bed's first reading, a cuff within limits) has no
// one waiting for it: its rows are held back for up to defer_for and committed together with
// others like them (5,000 beds new in the same second: a handful of commits), unless a later
// change of the same bed supersedes them first.
//
// Threads: the loop thread only (the store thread's callbacks are posted to the loop).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "codec/outbox.hpp"
#include "io/asio.hpp"
#include "store/store_thread.hpp"

namespace vigil::app {

class durable_outbox {
 public:
  using publisher = std::function<void(codec::outgoing)>;

  // `store` and `loop` must outlive this object; `next_id` is the store's next outbox id.
  durable_outbox(boost::asio::io_context& loop, store::store_thread& store, publisher publish,
                 std::uint64_t next_id);

  // Commits the beds, the messages and the record's rows together, then publishes the
  // messages in order. Without messages, the rows are held back like the beds'.
  void submit(std::vector<store::bed_row> beds, std::vector<codec::outgoing> messages,
              record::rows record, core::time_ms now);
  // The broker acknowledged these: removed from the store at once (in a transaction that
  // needs no sync: should a power cut undo it, they are published again, at least once).
  void published(std::span<const std::uint64_t> ids);
  // Runs `done` on the loop once everything submitted so far is committed and published.
  void drain(std::function<void()> done);

  // Test hook (VIGILD_TEST_KILL_AFTER_COMMIT=1 in the environment): SIGKILL right after the
  // first commit that holds an alarm event, before anything of it is published.
  void kill_after_first_alarm_commit() { kill_after_commit_ = true; }

  static constexpr std::chrono::milliseconds defer_for{1000};
  static constexpr std::size_t max_deferred = 4096;

 private:
  void commit(store::change_set change, std::function<void(store::change_set&&)> then);
  void defer(std::vector<store::bed_row> beds, record::rows record, core::time_ms now);
  void commit_deferred();

  boost::asio::io_context& loop_;
  store::store_thread& store_;
  publisher publish_;
  std::uint64_t next_id_;
  store::change_set deferred_;                                // bed rows no message waits for
  std::unordered_map<std::string, std::size_t> deferred_at_;  // bed id -> its row there
  boost::asio::steady_timer defer_timer_;
  bool defer_armed_ = false;
  bool kill_after_commit_ = false;
};

}  // namespace vigil::app
