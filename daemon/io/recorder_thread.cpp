#include "io/recorder_thread.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>
#include <vector>

namespace vigil::io {

namespace {
// Bounds what a power cut can take to about a second of frames.
constexpr auto sync_every = std::chrono::seconds(1);
// Beyond this many errors only the count is reported (at stop), so a full disk cannot flood
// the journal.
constexpr std::uint64_t logged_errors = 5;
}  // namespace

recorder_thread::recorder_thread(std::filesystem::path dir, std::string source,
                                 std::size_t max_queued)
    : recorder_(std::move(dir), std::move(source)),
      max_queued_(max_queued),
      thread_([this] { run(); }) {}

recorder_thread::~recorder_thread() {
  if (thread_.joinable()) stop(0);
}

void recorder_thread::record(std::string bed, core::time_ms received_at, std::string topic,
                             std::string payload) {
  {
    std::lock_guard lock(mutex_);
    if (stop_requested_) return;
    if (queue_.size() >= max_queued_) {
      ++dropped_;
      return;
    }
    queue_.push_back({std::move(bed), received_at, std::move(topic), std::move(payload)});
  }
  wake_.notify_one();
}

void recorder_thread::stop(core::time_ms now) {
  {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
    stop_at_ = now;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void recorder_thread::note_error(const char* what, const std::error_code& ec) {
  if (++counters_.failed <= logged_errors) {
    spdlog::error("recording: {} failed: {}", what, ec.message());
  }
}

void recorder_thread::run() {
  auto next_sync = std::chrono::steady_clock::now() + sync_every;
  std::vector<frame> batch;
  bool dirty = false;
  for (;;) {
    bool stopping = false;
    core::time_ms stop_at = 0;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, next_sync, [this] { return stop_requested_ || !queue_.empty(); });
      batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
      queue_.clear();
      counters_.dropped_queue_full = dropped_;
      stopping = stop_requested_;
      stop_at = stop_at_;
    }
    for (const auto& f : batch) {
      if (auto ec = recorder_.append(f.bed, f.time, f.topic, f.payload)) {
        note_error("append", ec);
      } else {
        ++counters_.written;
        dirty = true;
      }
    }
    batch.clear();
    if (stopping) {
      // stop_at 0 comes from the destructor alone (an error path): end frames need a time.
      if (stop_at > 0) {
        if (auto ec = recorder_.close_all(stop_at)) note_error("close", ec);
      }
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= next_sync) {
      if (dirty) {
        if (auto ec = recorder_.sync()) note_error("sync", ec);
        dirty = false;
      }
      next_sync = now + sync_every;
    }
  }
}

}  // namespace vigil::io
