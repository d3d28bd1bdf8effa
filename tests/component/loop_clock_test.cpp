#include "io/loop_clock.hpp"

#include <gtest/gtest.h>

namespace vigil::io {
namespace {

// A manual pair of clocks: the test moves each as it likes.
struct manual_clocks {
  clock_reading now{1'700'000'000'000, 5'000};
  void pass(std::int64_t ms) {
    now.wall_ms += ms;
    now.steady_ms += ms;
  }
  loop_clock::source source() {
    return [this] { return now; };
  }
};

TEST(loop_clock_test, time_passing_is_no_step) {
  manual_clocks c;
  loop_clock clock(c.source());
  EXPECT_EQ(clock.read().now_ms, 1'700'000'000'000);
  c.pass(60'000);
  const auto t = clock.read();
  EXPECT_EQ(t.now_ms, 1'700'000'060'000);
  EXPECT_EQ(t.stepped_ms, 0);
  EXPECT_EQ(clock.steps(), 0u);
}

TEST(loop_clock_test, reports_a_forward_step_once) {
  manual_clocks c;
  loop_clock clock(c.source());
  clock.read();
  c.pass(1'000);
  c.now.wall_ms += 3'600'000;  // NTP steps the wall clock an hour forward
  const auto t = clock.read();
  EXPECT_EQ(t.stepped_ms, 3'600'000);
  EXPECT_EQ(t.now_ms, 1'700'000'000'000 + 1'000 + 3'600'000);
  c.pass(1'000);
  EXPECT_EQ(clock.read().stepped_ms, 0);
  EXPECT_EQ(clock.steps(), 1u);
}

TEST(loop_clock_test, reports_a_backward_step) {
  manual_clocks c;
  loop_clock clock(c.source());
  clock.read();
  c.pass(500);
  c.now.wall_ms -= 3'600'000;
  EXPECT_EQ(clock.read().stepped_ms, -3'600'000);
}

TEST(loop_clock_test, slewing_within_the_tolerance_is_no_step) {
  manual_clocks c;
  loop_clock clock(c.source(), 250);
  clock.read();
  c.pass(1'000);
  c.now.wall_ms += 250;  // at the tolerance: time passing, slewed
  EXPECT_EQ(clock.read().stepped_ms, 0);
  c.pass(1'000);
  c.now.wall_ms -= 251;  // one past it: a step
  EXPECT_EQ(clock.read().stepped_ms, -251);
}

TEST(loop_clock_test, a_stamp_outside_a_turn_leaves_the_step_to_the_next_turn) {
  manual_clocks c;
  loop_clock clock(c.source());
  clock.read();
  c.now.wall_ms += 3'600'000;
  EXPECT_EQ(clock.wall_now(), 1'700'000'000'000 + 3'600'000);
  EXPECT_EQ(clock.read().stepped_ms, 3'600'000);
}

}  // namespace
}  // namespace vigil::io
