// The store on a thread of its own, so the loop thread never waits for a disk.
//
// Group commit: commit() queues a change_set with a callback. The thread takes what is queued
// (whole change sets, up to max_rows rows unless one alone is larger), applies them in one
// transaction (one sync), then runs their callbacks in the order they were queued, each with
// its change set back. A callback therefore runs only when its change, and every change queued
// before it, is durable: vigild publishes a change's messages from its callback, so nothing is
// published that a crash could take back, and a bed's messages leave in the order they were
// made. A change waits for at most the transaction in progress and its own.
//
// Threads: start(), commit() and stop() from one owner thread; the store is opened, used and
// closed on the store thread only; callbacks run there (post them elsewhere if they touch the
// owner's objects).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/store.hpp"

#include "metrics/histogram.hpp"

namespace vigil::store {

struct store_thread_counters {
  std::uint64_t commits = 0;       // transactions committed
  std::uint64_t changes = 0;       // commit() calls whose callback has run
  std::uint64_t bed_rows = 0;      // bed rows written
  std::uint64_t outbox_rows = 0;   // messages added to the outbox
  std::uint64_t acknowledged = 0;  // messages removed from the outbox
  std::uint64_t failures = 0;      // transactions that failed (rolled back)
  std::uint64_t dropped = 0;       // changes dropped unpublished once the store was fenced
  bool last_failed = false;        // the latest transaction failed
  // How long each transaction took, from its first statement to its sync.
  metrics::histogram commit_seconds = metrics::duration_histogram();
};

class store_thread {
 public:
  using opener = std::function<std::unique_ptr<store>()>;
  using callback = std::function<void(change_set&&)>;
  // Gets each failed transaction's error (it names the database), on the store thread, before
  // the callbacks of its changes: they still run, because an alarm that cannot be made durable
  // must still be published.
  using error_handler = std::function<void(const std::string& error)>;

  static constexpr std::size_t max_rows = 8192;

  // Gets the error of a commit or job that found the leader's lock gone (fenced_error), once,
  // on the store thread. From then on nothing is committed and no callback runs: the changes
  // queued and to come are dropped, so nothing they carry is published by this instance.
  using fenced_handler = std::function<void(const std::string& error)>;

  explicit store_thread(error_handler on_error, fenced_handler on_fenced = {});
  ~store_thread();  // stop()
  store_thread(const store_thread&) = delete;
  store_thread& operator=(const store_thread&) = delete;

  // Starts the thread, which opens the store with `open` and then calls `first` with it (load,
  // migrate); returns when both are done, rethrowing what either threw (the thread has then
  // ended). Call once.
  void start(opener open, std::function<void(store&)> first);
  void commit(change_set change, callback done);
  // Runs `job` on the store thread, in order with the commits queued before and after it, never
  // inside their transactions: the record's reads, pruning, marking records written. What it
  // throws is reported to the error handler.
  using job = std::function<void(store&)>;
  void post(job j);
  // Commits what is queued, runs its callbacks, closes the store and joins. Idempotent.
  void stop();

  // A copy taken under the lock.
  store_thread_counters counters() const;

 private:
  struct queued {
    change_set change;
    callback done;
    job work;  // set: a job, not a change
  };

  void run(std::unique_ptr<store> s);
  // Takes the next transaction's worth; false when stopping with nothing left.
  bool take(std::vector<queued>& batch);

  // A fenced_error ends every commit and job from here on; false when fenced.
  bool report(const std::exception& e);

  const error_handler on_error_;
  const fenced_handler on_fenced_;
  bool fenced_ = false;  // store thread only
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<queued> queue_;
  store_thread_counters counters_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace vigil::store
