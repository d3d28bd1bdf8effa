// What the rules work with while the engine handles one message or one deadline at `now`: the
// configuration, the counters, the beds and the output. Passed to every part of the engine that
// applies alarms.md's rules, so none of them takes `now` and `out` as positional arguments.
#pragma once

#include <string>
#include <string_view>

#include "core/bed_state.hpp"
#include "core/bed_table.hpp"
#include "core/config.hpp"
#include "core/engine.hpp"
#include "core/text.hpp"

namespace vigil::core::detail {

// What the engine does with a bed's deadlines after a message's rules ran.
enum class after : bool {
  reschedule,     // something changed: make sure the bed's deadline is in the heap in time
  keep_schedule,  // dropped, or only a deadline moved later: the heap's entry is early enough
};

struct instant {
  const engine_config& cfg;
  engine_counters& counters;
  bed_table& beds;
  engine_output& out;
  time_ms now;

  const phase_config& limits(const bed_state& b) const { return cfg.phases[phase_index(b.phase)]; }
  // " at 41:20 into infusion", or "" when idle.
  std::string when(const bed_state& b) const {
    return text::when(b.phase, now, b.started_at, b.stopped_at);
  }
  // Set an input aside: its counter and a diagnostic.
  after drop(std::string_view bed_id, drop_reason r, std::string detail) {
    ++counters.dropped[static_cast<std::size_t>(r)];
    out.diagnostics.push_back({std::string(bed_id), r, std::move(detail)});
    return after::keep_schedule;
  }
};

// Add `id` to a list of changed beds unless it is there already.
void mark(std::vector<std::string>& beds, const std::string& id);

}  // namespace vigil::core::detail
