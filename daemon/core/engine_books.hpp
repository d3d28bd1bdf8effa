// The shell's bookkeeping on the engine's beds: persistence (alarms.md section 8: which beds
// changed, their state, putting a saved bed back) and per-bed data of the shell's own, kept by
// slot (vigild's rate limit). A narrow seam the shell reaches explicitly, apart from the
// engine's API for the rules' users:
//
//   core::engine_books(engine).take_dirty()
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/bed_state.hpp"
#include "core/engine.hpp"

namespace vigil::core {

class engine_books {
 public:
  explicit engine_books(engine& e) : e_(&e) {}

  // The bed's index, adding the bed if it is new. Beds are never removed, so the index is
  // stable for the engine's life and a caller can keep per-bed data of its own in a vector
  // instead of hashing the id again. An on_*() call for the same bed right after this one
  // finds the bed without hashing either.
  std::size_t bed_slot(std::string_view bed);
  // Beds seen so far; slots 0 .. bed_count() - 1, a new bed taking the next.
  std::size_t bed_count() const;
  const bed_state& state_at(std::size_t slot) const;

  // A bed is dirty when something a restart must keep changed: phase, session, baseline,
  // alarms, monitor state, NIBP time, counters. HR and arterial readings alone do not dirty a
  // bed (they arrive every second). The dirty beds' ids, each once, and none is dirty after.
  std::vector<std::string> take_dirty();
  const bed_state* state_of(std::string_view bed) const;  // null for an unknown bed
  // Before any message: put a saved bed back. Persistence runs restart (a condition must be
  // seen again for its delay) and the HR signal-lost timer counts from `now` at the latest,
  // since vigild heard nothing while it was down. Overdue reminders and escalations fire at
  // the first advance().
  void restore(bed_state saved, time_ms now);
  // The same, and the bed's ActiveAlarms and SessionState go to `republish` (its
  // alarms_changed, sessions_changed and snapshots), for the broker that may have lost them.
  void restore(bed_state saved, time_ms now, engine_output& republish);

 private:
  engine* e_;
};

}  // namespace vigil::core
