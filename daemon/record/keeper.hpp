// Turns what the engine emitted into the record's rows (rows.hpp): each alarm event as it is,
// each session's facts whenever its SessionState changes (and its end when the bed goes back
// to IDLE or a new session replaces it), and the trend: HR and arterial readings summarised
// per trend_bucket_ms (aligned to the clock, min/mean/max of the bucket's readings, written
// when the bucket is over), NIBP readings each as they are.
// Pure and single-threaded: the loop thread (vigild) or replay owns it.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/engine.hpp"
#include "record/rows.hpp"

namespace vigil::record {

class keeper {
 public:
  // A bed's id and its session id by the engine's slot (engine_books::state_at).
  struct bed_view {
    const std::string& id;
    const std::string& session_id;
  };
  template <class Books>
  void take(const core::engine_output& out, Books& books, core::time_ms now, rows& into) {
    take(
        out,
        [&books](std::size_t slot) -> bed_view {
          const auto& b = books.state_at(slot);
          return {b.id, b.session_id};
        },
        now, into);
  }

  template <class Lookup>
  void take(const core::engine_output& out, Lookup&& lookup, core::time_ms now, rows& into) {
    for (const auto& r : out.readings) {
      const bed_view v = lookup(r.slot);
      add_reading(r, v, into);
    }
    take_events_and_sessions(out, into);
    close_due(now, into);
  }

  // Closes every open bucket (end of a replay, or shutdown).
  void close_all(rows& into);

 private:
  struct summary {
    std::uint32_t n = 0;
    double lo = 0, sum = 0, hi = 0;
    void add(double v);
  };
  struct bucket {
    // none_open: no bucket open. Not ">= 0": a start before 1970 is negative (a multiple of
    // trend_bucket_ms, never -1).
    static constexpr core::time_ms none_open = -1;
    core::time_ms start = none_open;
    bool open() const { return start != none_open; }
    std::string bed_id;
    std::string session_id;
    summary hr, sys, dia, mean;
    std::optional<core::time_ms> last_nibp_ms;  // the time the bed's last NIBP point was given
  };
  void add_reading(const core::reading_note& r, const bed_view& v, rows& into);
  void take_events_and_sessions(const core::engine_output& out, rows& into);
  void close(bucket& b, rows& into);
  void close_due(core::time_ms now, rows& into);

  std::vector<bucket> buckets_;  // by slot
  struct due {
    core::time_ms ends;
    std::uint32_t slot;
  };
  std::deque<due> due_;  // open buckets by end time (a bucket closed early leaves a stale entry)
  std::unordered_map<std::string, session_info> open_;  // bed id -> its session in progress
};

}  // namespace vigil::record
