// Saves beds on a thread of its own, so the loop thread never waits for a disk.
//
// Group commit: commit() queues a group of serialized beds with a callback. The writer takes
// everything queued at once, writes each bed once (its latest bytes: a bed changed by several
// queued groups is written once), syncs the directory once, then runs the callbacks in the order
// their groups were committed. A callback therefore runs only when its beds, and those of every
// group before it, are on disk: vigild publishes what a group's change caused from its callback,
// so nothing is published that a crash could take back.
//
// Threads: commit(), start() and stop() from one owner thread; callbacks run on the writer
// thread (post them elsewhere if they touch the owner's objects).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/state_store.hpp"

namespace vigil::store {

struct state_writer_counters {
  std::uint64_t groups = 0;     // commit() calls whose callback has run
  std::uint64_t writes = 0;     // directory syncs: writer wake-ups that saved something
  std::uint64_t files = 0;      // bed files handed to the store (after coalescing)
  std::uint64_t failures = 0;   // errors the store reported
};

class state_writer {
 public:
  using callback = std::function<void()>;
  // Gets each save error (it names the file), on the writer thread, before the callbacks of
  // the pass: a bed that could not be saved still lets its group's callback run, because an
  // alarm that cannot be made durable must still be published.
  using error_handler = std::function<void(const std::string& error)>;

  // `store` must outlive the writer. Nothing is written before start().
  state_writer(state_store& store, error_handler on_error);
  // Stops (see stop()).
  ~state_writer();
  state_writer(const state_writer&) = delete;
  state_writer& operator=(const state_writer&) = delete;

  void start();
  // `beds` may be empty: the callback then still waits for every group before it.
  void commit(std::vector<serialized_bed> beds, callback done);
  // Saves what is queued, runs its callbacks and joins the thread. Idempotent.
  void stop();

  // A copy taken under the lock; for tests and the counter log.
  state_writer_counters counters() const;

 private:
  struct group {
    std::vector<serialized_bed> beds;
    callback done;
  };

  void run();

  state_store& store_;
  const error_handler on_error_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<group> queue_;
  state_writer_counters counters_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace vigil::store
