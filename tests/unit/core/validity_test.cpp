// alarms.md section 3 and the clock rules of section 1.
#include "engine_fixture.hpp"

#include <cmath>
#include <limits>

namespace vigil::core::testing {
namespace {

using validity_test = engine_test;

TEST_F(validity_test, invalid_flag_neither_raises_nor_clears) {
  hr(0, 130);
  for (time_ms t = 1'000; t <= 20'000; t += 1'000) hr(t, 200, validity::invalid);
  EXPECT_TRUE(events.empty());
  EXPECT_EQ(e().counters().dropped_by(drop_reason::reading_invalid_flag), 20u);
  // The run that began at 0 was not interrupted by the ignored readings.
  EXPECT_EQ(of(hr(21'000, 130), "HR_HIGH").size(), 1u);
}

TEST_F(validity_test, questionable_is_evaluated_and_counted) {
  hr(0, 130, validity::questionable);
  EXPECT_EQ(hr(10'000, 130, validity::questionable).size(), 1u);
  EXPECT_EQ(e().counters().readings_questionable, 2u);
}

TEST_F(validity_test, implausible_values_are_dropped) {
  hr(0, 19.9);
  hr(1, 300.1);
  hr(2, std::numeric_limits<double>::quiet_NaN());
  hr(3, std::numeric_limits<double>::infinity());
  bp(4, 301, 80);
  bp(5, 120, 14);
  bp(6, 120, 120);  // DBP must be below SBP
  bp(7, 120, 80, bp_source::nibp, 19.0);
  EXPECT_EQ(e().counters().dropped_by(drop_reason::reading_implausible), 8u);
  EXPECT_EQ(e().counters().readings_accepted, 0u);
  EXPECT_TRUE(events.empty());
}

TEST_F(validity_test, plausible_edges_are_accepted) {
  hr(0, 20);
  hr(1, 300);
  bp(2, 300, 250);
  bp(3, 40, 15);
  EXPECT_EQ(e().counters().readings_accepted, 4u);
}

TEST_F(validity_test, monitor_status_without_state_is_dropped) {
  monitor(0, monitor_state::unspecified);
  EXPECT_EQ(e().counters().dropped_by(drop_reason::monitor_unspecified), 1u);
}

using clock_test = engine_test;

TEST_F(clock_test, next_deadline_is_the_earliest_timer) {
  EXPECT_FALSE(e().next_deadline());
  start(1'000);
  ASSERT_TRUE(e().next_deadline());
  EXPECT_EQ(*e().next_deadline(), 11'000);  // HR_SIGNAL_LOST
  hr(5'000, 80);
  // May be early (lazy), never late; advancing to it fires nothing early.
  EXPECT_LE(*e().next_deadline(), 15'000);
  EXPECT_TRUE(at(*e().next_deadline()).empty() || events.back().at_ms >= 15'000);
  EXPECT_EQ(of(at(15'000), "HR_SIGNAL_LOST").size(), 1u);
}

TEST_F(clock_test, deadlines_before_a_message_fire_before_it_in_time_order) {
  start(0);
  // NIBP overdue at 6 min and HR lost at 10 s: a reading at 7 min finds both already fired
  auto step = hr(7 * 60'000, 80);
  ASSERT_GE(step.size(), 3u);
  EXPECT_EQ(step[0].condition, "HR_SIGNAL_LOST");
  EXPECT_EQ(step[0].at_ms, 10'000);
  EXPECT_EQ(step[0].transition, transition::raised);
  std::vector<time_ms> times;
  for (const auto& ev : step) times.push_back(ev.at_ms);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
}

TEST_F(clock_test, a_clock_that_steps_back_does_not_move_time_backwards) {
  hr(10'000, 130);
  hr(5'000, 130);  // the wall clock stepped back: treated as 10 000
  EXPECT_TRUE(hr(19'999, 130).empty());
  EXPECT_EQ(hr(20'000, 130).size(), 1u);
}

}  // namespace
}  // namespace vigil::core::testing
