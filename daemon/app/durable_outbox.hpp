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
// Threads: the loop thread only (the store thread's callbacks are posted to the loop).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
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

  // Commits the beds and the messages together, then publishes the messages in order.
  void submit(std::vector<store::bed_row> beds, std::vector<codec::outgoing> messages,
              core::time_ms now);
  // The broker acknowledged these: removed from the store with the next change (or within
  // prune_delay if none comes).
  void published(std::span<const std::uint64_t> ids);
  // Runs `done` on the loop once everything submitted so far is committed and published.
  void drain(std::function<void()> done);

  std::size_t changes_waiting() const { return in_store_; }  // submitted, not yet published

  // Test hook (VIGILD_TEST_KILL_AFTER_COMMIT=1 in the environment): SIGKILL right after the
  // first commit that holds an alarm event, before anything of it is published.
  void kill_after_first_alarm_commit() { kill_after_commit_ = true; }

  static constexpr std::chrono::milliseconds prune_delay{1000};

 private:
  void commit(store::change_set change, std::function<void(store::change_set&&)> then);
  void prune_soon();

  boost::asio::io_context& loop_;
  store::store_thread& store_;
  publisher publish_;
  std::uint64_t next_id_;
  std::vector<std::uint64_t> acknowledged_;  // not yet removed from the store
  boost::asio::steady_timer prune_timer_;
  bool prune_armed_ = false;
  std::size_t in_store_ = 0;
  bool kill_after_commit_ = false;
};

}  // namespace vigil::app
