// vigild's live recording ([recording] enabled): every message vigild receives for a bed goes
// to a daily_recorder, on a thread of its own so that no disk write ever blocks the
// loop. The loop only moves a copy into a small queue; the thread appends (each frame flushed
// to the kernel), fdatasyncs about once a second, and closes every file on stop().
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include "core/types.hpp"
#include "io/daily_recorder.hpp"

namespace vigil::io {

class recorder_thread {
 public:
  struct counters {
    std::uint64_t written = 0;
    std::uint64_t failed = 0;              // append or sync errors (logged, first few)
    std::uint64_t dropped_queue_full = 0;  // the disk could not keep up
  };

  recorder_thread(std::filesystem::path dir, std::string source, std::size_t max_queued = 10'000);
  ~recorder_thread();  // stop() if not yet stopped
  recorder_thread(const recorder_thread&) = delete;
  recorder_thread& operator=(const recorder_thread&) = delete;

  // Loop thread: hands one received message over; never waits for the disk.
  void record(std::string bed, core::time_ms received_at, std::string topic, std::string payload);
  // Writes what is queued, closes every file with an end frame at `now`, joins the thread.
  void stop(core::time_ms now);
  // Valid after stop().
  counters final_counters() const { return counters_; }

 private:
  struct frame {
    std::string bed;
    core::time_ms time;
    std::string topic;
    std::string payload;
  };
  void run();
  void note_error(const char* what, const std::error_code& ec);

  daily_recorder recorder_;  // the thread's alone
  const std::size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<frame> queue_;      // guarded by mutex_
  std::uint64_t dropped_ = 0;    // guarded by mutex_
  bool stop_requested_ = false;  // guarded by mutex_
  core::time_ms stop_at_ = 0;    // guarded by mutex_
  counters counters_;            // the thread's until joined
  std::thread thread_;           // last: starts once everything above exists
};

}  // namespace vigil::io
