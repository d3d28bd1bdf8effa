// Writes each ended session's record (README "The record") to [record] dir as
// {bed}_{session}.pdf and {bed}_{session}.fhir.json: when the loop sees a session end, a store
// job reads the sessions whose record is due (ended, not yet written: also those a crash or a
// full disk left behind) with their trend and events, and hands them to this writer's own
// thread, which renders them (cairo takes tens of milliseconds a page: never on the loop or
// the store thread), writes each file whole (a temporary name, then rename) and marks the
// session written in the store. A failure is logged and the session stays due for the next
// start.
// Threads: session_ended() on the loop; the rest on the store and writer threads.
#pragma once

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "record/session_record.hpp"
#include "store/store_thread.hpp"

namespace vigil::app {

struct record_writer_counters {
  std::uint64_t written = 0;
  std::uint64_t failed = 0;
};

class record_writer {
 public:
  // `store` must outlive this object; `limits` are the infusion's (record::limits_of).
  record_writer(store::store_thread& store, std::filesystem::path dir,
                std::vector<record::limit_line> limits, std::string generator);
  ~record_writer();  // stop()
  record_writer(const record_writer&) = delete;
  record_writer& operator=(const record_writer&) = delete;

  // A session ended (or vigild started): write every record that is due.
  void session_ended();
  // Writes what is queued, then joins.
  void stop();
  record_writer_counters counters() const;  // a copy, under the lock

 private:
  void run();
  bool write(const record::session_record& r);  // false: failed, logged

  store::store_thread& store_;
  const std::filesystem::path dir_;
  const std::vector<record::limit_line> limits_;
  const std::string generator_;
  mutable std::mutex mutex_;
  record_writer_counters counters_;
  std::condition_variable wake_;
  std::deque<record::session_record> queue_;
  std::set<std::pair<std::string, std::string>> queued_;  // bed, session: queued or writing
  bool more_due_ = false;   // the last read found a full batch: read again once these are done
  bool wrote_any_ = false;  // since that read (a disk that fails every write stops the reading)
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace vigil::app
