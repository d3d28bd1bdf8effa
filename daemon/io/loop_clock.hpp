// The live loop's one clock, read once per loop turn. The engine's time is the wall clock
// (contract.md stamps events with the Unix receive time, and the store keeps wall times across
// restarts), but its delays must be monotonic: an NTP step forward would fire every bed's
// deadlines early, a step back would hold them late. So each reading also takes the steady
// clock, and when the wall clock moved more than the steady one by over `step_tolerance`, the
// difference is reported as a step: the caller moves the engine's timers by it (engine
// rebase), keeping every delay and every elapsed time, and later stamps follow the corrected
// wall clock. Slewing (adjtime, chrony's normal mode) stays below the tolerance and passes
// through.
// Not thread-safe: the loop thread owns it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace vigil::io {

struct clock_reading {
  std::int64_t wall_ms = 0;    // Unix ms (system_clock)
  std::int64_t steady_ms = 0;  // monotonic ms (steady_clock), any origin
};

// system_clock and steady_clock, now.
clock_reading read_system_clocks();

class loop_clock {
 public:
  using source = std::function<clock_reading()>;
  static constexpr std::int64_t default_step_tolerance_ms = 250;

  explicit loop_clock(source read = read_system_clocks,
                      std::int64_t step_tolerance_ms = default_step_tolerance_ms);

  struct turn {
    std::int64_t now_ms = 0;      // wall time of this turn
    std::int64_t stepped_ms = 0;  // how far the wall clock jumped since the last turn, or 0
  };
  // Reads both clocks once. The first reading is never a step.
  turn read();
  // The wall time now, for a stamp outside a turn (the daemon's status, a recording's end):
  // reads the clocks but is no turn, so a step is still reported by the next read().
  std::int64_t wall_now() const { return read_().wall_ms; }
  std::uint64_t steps() const { return steps_; }

 private:
  source read_;
  std::int64_t tolerance_ms_;
  clock_reading last_;
  bool first_ = true;
  std::uint64_t steps_ = 0;
};

}  // namespace vigil::io
