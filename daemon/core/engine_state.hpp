// The engine's private state: its parts, the clock, and the one path every input takes. Included
// only by engine.cpp and engine_books.cpp.
#pragma once

#include <algorithm>
#include <cassert>
#include <limits>
#include <string_view>

#include "core/bed_table.hpp"
#include "core/config.hpp"
#include "core/deadlines.hpp"
#include "core/engine.hpp"
#include "core/instant.hpp"

namespace vigil::core {

struct engine::impl {
  engine_config cfg;
  engine_counters counters;
  detail::bed_table beds;
  detail::deadline_schedule deadlines;
  time_ms clock = std::numeric_limits<time_ms>::min();

  detail::instant at(time_ms now, engine_output& out) { return {cfg, counters, beds, out, now}; }
  void schedule(bed_state& b) { deadlines.schedule(b, beds.slot_of(b), cfg); }

  // A message at `now`: every deadline before it fires first (alarms.md section 1).
  time_ms begin(time_ms now, engine_output& out) {
    if (now > std::numeric_limits<time_ms>::min() && deadlines.due_by(now - 1))
      run_deadlines(now - 1, out);
    clock = std::max(clock, now);
    return clock;
  }
  void run_deadlines(time_ms limit, engine_output& out);

  // Whether a message for a bed not seen before adds it: an ack names an alarm, so it cannot.
  enum class new_bed : bool { add, unknown };

  // The one path of every message: the deadlines before it fire, its bed is found, `rules`
  // (given null for an unknown bed) apply alarms.md, dropping and counting the message, and say
  // whether the bed needs rescheduling.
  template <class Rules>
  void handle(std::string_view bed_id, time_ms now, engine_output& out, new_bed nb, Rules&& rules) {
    detail::instant in = at(begin(now, out), out);
    bed_state* b = nb == new_bed::add ? &beds.get(bed_id) : beds.find(bed_id);
    if (rules(in, b) == detail::after::reschedule) schedule(*b);
    assert(!b || deadlines.in_time(*b, cfg));
  }

  // The snapshots engine_output carries: each changed bed's, taken now.
  void take_snapshots(engine_output& out) const;
  session_state session(std::string_view bed_id) const;
  active_alarms active(std::string_view bed_id) const;
};

}  // namespace vigil::core
