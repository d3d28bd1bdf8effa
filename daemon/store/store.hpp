// vigild's durable state (alarms.md section 8) behind one interface: each bed's state, and the
// transactional outbox of what vigild is going to publish. An implementation commits a
// change_set atomically and durably (all or nothing, on stable storage when commit() returns),
// so a message written in the same change as the bed state that caused it is never lost and
// never published for a state a crash could take back.
//
// The tables (the same on every implementation; a row belongs to one topic prefix, so several
// wards can share one database):
//   beds   (prefix, bed_id, state, event_seq, updated_at_ms)   state: a BedState record
//   outbox (prefix, id, topic, payload, qos, retained, created_at_ms)   ids rise in publish order
//   vigil_meta (key, value)                                      schema_version
// and the record's (README "The record"), kept for the retention and pruned:
//   alarm_history (prefix, bed_id, event_seq, session_id, alarm_id, at_ms, event)
//                                                     event: the AlarmEvent as published
//   trend (prefix, bed_id, session_id, at_ms, series, n, lo, mean, hi)
//   sessions (prefix, bed_id, session_id, patient_id, encounter_id, drug, dose_mg_per_kg,
//             planned_minutes, started_ms, stopped_ms, ended_ms, baseline_systolic_mmhg,
//             baseline_diastolic_mmhg, record_written_ms)
//
// Threads: an implementation is used by one thread at a time (vigild's store_thread).
#pragma once

#include <climits>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "codec/outbox.hpp"
#include "core/bed_state.hpp"
#include "core/types.hpp"
#include "record/rows.hpp"

namespace vigil::store {

// A store that cannot be opened, read or written; what() names the database and the cause.
class store_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The store's connection is gone (a shared database: PostgreSQL), and with it the lock that
// made this instance the leader: a commit that threw this may or may not have happened, and
// another instance may already lead. The caller publishes nothing more and steps down.
class fenced_error : public store_error {
 public:
  using store_error::store_error;
};

struct bed_row {
  std::string id;
  std::string state;  // encode_bed()
  std::uint64_t event_seq = 0;
};

// One transaction's worth: applied in this order, all or nothing.
struct change_set {
  std::vector<bed_row> beds;             // inserted or replaced
  std::vector<codec::outgoing> outbox;   // added (each with its outbox_id)
  std::vector<std::uint64_t> published;  // outbox ids the broker acknowledged: removed
  record::rows record;                   // the history, trend and sessions rows: added
  core::time_ms at_ms = 0;               // updated_at_ms / created_at_ms
  bool empty() const {
    return beds.empty() && outbox.empty() && published.empty() && record.empty();
  }
  std::size_t rows() const {
    return beds.size() + outbox.size() + published.size() + record.size();
  }
};

// Which of the record's rows a query wants: at_ms in [since_ms, until_ms], one bed or all (""),
// one session or all (""), at most `limit` rows (the earliest; `truncated` says there are more).
struct record_filter {
  std::string bed_id;
  std::string session_id;
  core::time_ms since_ms = INT64_MIN;
  core::time_ms until_ms = INT64_MAX;
  std::size_t limit = 10'000;
};

template <class T>
struct page {
  std::vector<T> rows;
  bool truncated = false;
  // A query asks for limit + 1 rows to learn whether there are more: keeps `limit` of them.
  void trim(std::size_t limit) {
    if (rows.size() > limit) {
      rows.resize(limit);
      truncated = true;
    }
  }
};

// What prune() removes: history and session rows (with their trend) older than
// `history_before`, and trend rows outside any session older than `idle_trend_before`.
struct prune_limits {
  core::time_ms history_before = 0;
  core::time_ms idle_trend_before = 0;
  std::size_t max_rows = 5'000;  // per call, so a big backlog never holds the store for long
};

struct loaded_state {
  std::vector<core::bed_state> beds;    // sorted by id
  std::vector<codec::outgoing> outbox;  // not yet acknowledged, in id (publish) order
  std::uint64_t next_outbox_id = 1;     // above every id ever used under this prefix
  // Rows that could not be decoded: reported, moved out of `beds` (into `beds_corrupt`), and
  // the bed starts afresh. And beds under other prefixes, which this instance leaves alone.
  std::vector<std::string> problems;
  std::size_t other_prefix_beds = 0;
};

class store {
 public:
  virtual ~store() = default;
  // Everything under this store's prefix. Throws store_error.
  virtual loaded_state load() = 0;
  // Applies the changes, in order, in one durable transaction. Throws store_error (nothing
  // applied). A transaction that only removes acknowledged messages may skip the sync to
  // stable storage (it survives a crash of the process, not necessarily a power cut, which
  // at worst publishes those messages once more).
  virtual void commit(const std::vector<const change_set*>& changes) = 0;
  void commit(const change_set& c) { commit(std::vector<const change_set*>{&c}); }
  // Adds the beds this store does not hold yet, in one transaction; returns how many.
  virtual std::size_t import(const std::vector<bed_row>& beds) = 0;
  // The record (read on the store thread, between transactions). Events by (at_ms,
  // event_seq); sessions that overlap the window by start; trend points by time.
  virtual page<core::alarm_event> history(const record_filter& f) = 0;
  virtual page<record::session_info> sessions(const record_filter& f) = 0;
  virtual page<record::trend_point> trend(const record_filter& f) = 0;
  // Sessions that ended and have no record written yet (at most `limit`), and marking one.
  virtual std::vector<record::session_info> awaiting_record(std::size_t limit) = 0;
  virtual void record_written(const std::string& bed_id, const std::string& session_id,
                              core::time_ms at_ms) = 0;
  // Removes at most limits.max_rows rows past the retention; returns how many it removed.
  virtual std::size_t prune(const prune_limits& limits) = 0;

  // A round trip to the database when it is shared: throws fenced_error once the connection
  // that holds the leader's lock is gone (an idle leader learns it within a check's period).
  // A file of this process alone cannot be taken away: nothing to check.
  virtual void check_fence() {}

  // For the log and errors: e.g. "sqlite:///var/lib/vigil/vigil.db".
  virtual std::string describe() const = 0;
};

bed_row make_row(const core::bed_state& bed);

}  // namespace vigil::store
