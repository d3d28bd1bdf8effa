// The deadline schedule: when each bed next needs the engine (alarms.md sections 1, 2, 6, 7),
// and a heap of those times across beds.
//
// The heap holds at most one live entry per bed, lazily: a deadline that moves later (the
// common case: a reading pushes a timer back) is re-queued only when its early entry pops.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <queue>
#include <vector>

#include "core/bed_state.hpp"
#include "core/bed_table.hpp"
#include "core/config.hpp"

namespace vigil::core::detail {

enum class timer : std::uint8_t {
  recovery_end,
  overrun,
  planned_reached,
  hr_lost,
  nibp_overdue,
  escalate,
  remind
};

struct due {
  time_ms at;
  timer kind;
  condition_id cond;
};

// HR_SIGNAL_LOST and NIBP_OVERDUE: counted from the last valid reading or the session's start.
// hr_stale_s of the bed's phase, or 2 x the bed's announced report interval when that is longer.
time_ms hr_stale_ms(const bed_state& b, const engine_config& cfg);
time_ms hr_deadline(const bed_state& b, const engine_config& cfg);
time_ms nibp_deadline(const bed_state& b, const engine_config& cfg);
// The bed's earliest timer, if any.
std::optional<due> earliest(const bed_state& b, const engine_config& cfg);

class deadline_schedule {
 public:
  // After every change to a bed: make sure the heap has an entry no later than its deadline.
  void schedule(bed_state& b, std::size_t slot, const engine_config& cfg);
  // What schedule() keeps true: the heap holds an entry for the bed no later than its deadline.
  bool in_time(const bed_state& b, const engine_config& cfg) const;
  // Whether run(limit) has anything to do: checked inline before calling it, since the engine
  // is advanced around every message and almost always nothing is due.
  bool due_by(time_ms limit) const { return !heap_.empty() && heap_.top().at <= limit; }
  std::optional<time_ms> next() const;

  // Every bed's earliest deadline <= limit, earliest first: `fire(bed, due)` for each, then the
  // bed's next deadline is scheduled.
  template <class Fire>
  void run(time_ms limit, bed_table& beds, const engine_config& cfg, Fire&& fire) {
    while (due_by(limit)) {
      const entry e = heap_.top();
      heap_.pop();
      bed_state& b = beds.at(e.bed);
      if (b.scheduled != e.at) continue;  // superseded by an earlier entry
      b.scheduled.reset();
      if (const auto d = earliest(b, cfg); d && d->at <= limit) fire(b, *d);
      schedule(b, e.bed, cfg);
    }
  }

  // Start over from the beds' state (a new configuration); stale entries are skipped.
  void reschedule_all(bed_table& beds, const engine_config& cfg);
  // Every entry moves by `by` (the beds' `scheduled` move with the beds' other times).
  void rebase(time_ms by);

 private:
  struct entry {
    time_ms at;
    std::size_t bed;
    bool operator>(const entry& o) const { return at != o.at ? at > o.at : bed > o.bed; }
  };
  std::priority_queue<entry, std::vector<entry>, std::greater<>> heap_;
};

}  // namespace vigil::core::detail
