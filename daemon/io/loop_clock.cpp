#include "io/loop_clock.hpp"

#include <cstdlib>

namespace vigil::io {

namespace {

template <typename Clock>
std::int64_t ms_of(typename Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

clock_reading read_system_clocks() {
  return {ms_of<std::chrono::system_clock>(std::chrono::system_clock::now()),
          ms_of<std::chrono::steady_clock>(std::chrono::steady_clock::now())};
}

loop_clock::loop_clock(source read, std::int64_t step_tolerance_ms)
    : read_(std::move(read)), tolerance_ms_(step_tolerance_ms) {}

loop_clock::turn loop_clock::read() {
  const clock_reading r = read_();
  turn t{r.wall_ms, 0};
  if (!first_) {
    const std::int64_t jump = (r.wall_ms - last_.wall_ms) - (r.steady_ms - last_.steady_ms);
    if (std::llabs(jump) > tolerance_ms_) {
      t.stepped_ms = jump;
      ++steps_;
    }
  }
  first_ = false;
  last_ = r;
  return t;
}

}  // namespace vigil::io
