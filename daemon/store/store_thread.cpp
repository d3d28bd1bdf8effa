#include "store/store_thread.hpp"

#include <pthread.h>

#include <chrono>
#include <exception>
#include <future>
#include <optional>
#include <utility>

namespace vigil::store {

store_thread::store_thread(error_handler on_error, fenced_handler on_fenced)
    : on_error_(std::move(on_error)), on_fenced_(std::move(on_fenced)) {}

bool store_thread::report(const std::exception& e) {
  if (dynamic_cast<const fenced_error*>(&e) != nullptr) {
    fenced_ = true;
    if (on_fenced_) on_fenced_(e.what());
    return false;
  }
  if (on_error_) on_error_(e.what());
  return true;
}

store_thread::~store_thread() { stop(); }

void store_thread::start(opener open, std::function<void(store&)> first) {
  std::promise<void> opened;
  auto ready = opened.get_future();
  thread_ = std::thread([this, open = std::move(open), first = std::move(first),
                         opened = std::move(opened)]() mutable {
    ::pthread_setname_np(::pthread_self(), "vigil-store");
    std::unique_ptr<store> s;
    try {
      s = open();
      first(*s);
    } catch (...) {
      opened.set_exception(std::current_exception());
      return;
    }
    opened.set_value();
    run(std::move(s));
  });
  try {
    ready.get();
  } catch (...) {
    thread_.join();
    throw;
  }
}

void store_thread::commit(change_set change, callback done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(change), std::move(done), {}});
  }
  wake_.notify_one();
}

void store_thread::post(job j) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({{}, {}, std::move(j)});
  }
  wake_.notify_one();
}

void store_thread::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

store_thread_counters store_thread::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

bool store_thread::take(std::vector<queued>& batch) {
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
  if (queue_.empty()) return false;  // stopping, and everything is committed
  std::size_t rows = 0, n = 0;
  for (; n < queue_.size(); ++n) {
    if (queue_[n].work) {  // alone, or ends the batch before it
      if (n == 0) n = 1;
      break;
    }
    const auto& c = queue_[n].change;
    const std::size_t r = c.rows();
    if (n > 0 && rows + r > max_rows) break;
    rows += r;
  }
  batch.assign(std::make_move_iterator(queue_.begin()),
               std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(n)));
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  return true;
}

void store_thread::run(std::unique_ptr<store> s) {
  std::vector<queued> batch;
  std::vector<const change_set*> changes;
  while (take(batch)) {
    if (fenced_) {
      std::lock_guard lock(mutex_);
      for (const auto& q : batch) counters_.dropped += q.done ? 1 : 0;
      batch.clear();
      continue;
    }
    if (batch.front().work) {
      try {
        batch.front().work(*s);
      } catch (const std::exception& e) {
        report(e);
      }
      batch.clear();
      continue;
    }
    changes.clear();
    store_thread_counters add;
    for (const auto& q : batch) {
      if (q.change.empty()) continue;
      changes.push_back(&q.change);
      add.bed_rows += q.change.beds.size();
      add.outbox_rows += q.change.outbox.size();
      add.acknowledged += q.change.published.size();
    }
    std::optional<double> took;  // seconds, when a transaction ran
    bool failed = false;
    if (!changes.empty()) {
      const auto start = std::chrono::steady_clock::now();
      try {
        s->commit(changes);
        add.commits = 1;
      } catch (const std::exception& e) {
        // A plain failure is reported before the callbacks, which still publish (an alarm
        // that cannot be made durable must still be heard); a fenced one drops them.
        report(e);
        failed = true;
        add = {};
        add.failures = 1;
      }
      took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    {
      std::lock_guard lock(mutex_);
      counters_.commits += add.commits;
      counters_.bed_rows += add.bed_rows;
      counters_.outbox_rows += add.outbox_rows;
      counters_.acknowledged += add.acknowledged;
      counters_.failures += add.failures;
      if (took) {
        counters_.commit_seconds.observe(*took);
        counters_.last_failed = failed;
      }
      if (fenced_) {
        for (const auto& q : batch) counters_.dropped += q.done ? 1 : 0;
      }
    }
    if (fenced_) {
      batch.clear();
      continue;
    }
    for (auto& q : batch) {
      if (q.done) q.done(std::move(q.change));
      std::lock_guard lock(mutex_);
      ++counters_.changes;
    }
    batch.clear();
  }
  s.reset();  // closed on this thread, where it was opened
}

}  // namespace vigil::store
