// engine::rebase: an NTP step of the wall clock moves every time the engine holds, so every
// remaining delay and every elapsed duration is unchanged. Each case steps the clock forward
// and back by an hour in the middle of a delay and checks 1 ms either side of its end.
#include <gtest/gtest.h>

#include "core/bed_state.hpp"
#include "engine_fixture.hpp"

namespace vigil::core::testing {
namespace {

constexpr time_ms hour = 3'600'000;
constexpr time_ms base = 10 * hour;  // far enough from 0 that a step back stays positive

class rebase_test : public engine_test, public ::testing::WithParamInterface<time_ms> {
 protected:
  time_ms by() const { return GetParam(); }
};

TEST_P(rebase_test, a_persistence_run_keeps_its_remaining_delay) {
  hr_run(base, base + 4'000, 130);  // HR_HIGH's run starts at base: raised at base + 10 s
  e().rebase(by());
  EXPECT_TRUE(hr_run(base + by() + 5'000, base + by() + 9'000, 130).empty());
  EXPECT_TRUE(hr(base + by() + 9'999, 130).empty());
  const auto raised = hr(base + by() + 10'000, 130);
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].condition, "HR_HIGH");
  EXPECT_EQ(raised[0].at_ms, base + by() + 10'000);
  EXPECT_EQ(raised[0].onset_ms, base + by() + 10'000);
}

TEST_P(rebase_test, an_escalation_keeps_its_remaining_delay) {
  bp(base, 165, 80);  // SBP_HIGH MEDIUM: escalates at base + 120 s
  at(base + 50'000);
  e().rebase(by());
  EXPECT_EQ(e().next_deadline(), base + by() + 120'000);
  EXPECT_TRUE(at(base + by() + 119'999).empty());
  const auto esc = at(base + by() + 120'000);
  ASSERT_EQ(esc.size(), 1u);
  EXPECT_EQ(esc[0].transition, transition::escalated);
  EXPECT_EQ(esc[0].onset_ms, base + by());
  EXPECT_EQ(e().active(bed).alarms.at(0).onset_ms, base + by());
}

TEST_P(rebase_test, a_reminder_keeps_its_remaining_delay) {
  bp(base, 165, 80);
  ack(base + 1'000, "chair-1:SBP_HIGH:1");  // reminder at base + 121 s
  e().rebase(by());
  EXPECT_TRUE(at(base + by() + 120'999).empty());
  const auto reminded = at(base + by() + 121'000);
  ASSERT_EQ(reminded.size(), 1u);
  EXPECT_EQ(reminded[0].transition, transition::reminded);
}

TEST_P(rebase_test, an_infusion_keeps_its_timers_and_elapsed_time) {
  bp(base - 60'000, 120, 80);  // the baseline
  start(base, 45);             // HR signal lost at +10 s, NIBP overdue at +6 min
  at(base + 5'000);
  e().rebase(by());
  EXPECT_EQ(e().session(bed).infusion_started_at_ms, base + by());
  EXPECT_TRUE(at(base + by() + 9'999).empty());
  const auto lost = at(base + by() + 10'000);
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_EQ(lost[0].condition, "HR_SIGNAL_LOST");
  EXPECT_EQ(lost[0].infusion_elapsed_ms, 10'000);
  EXPECT_EQ(lost[0].text, "No valid HR for 10 s at 0:10 into infusion");
  EXPECT_TRUE(of(at(base + by() + 359'999), "NIBP_OVERDUE").empty());
  EXPECT_EQ(of(at(base + by() + 360'000), "NIBP_OVERDUE").size(), 1u);
  EXPECT_TRUE(of(at(base + by() + 45 * 60'000 - 1), "PLANNED_DURATION_REACHED").empty());
  EXPECT_EQ(of(at(base + by() + 45 * 60'000), "PLANNED_DURATION_REACHED").size(), 1u);
  EXPECT_TRUE(of(at(base + by() + hour - 1), "INFUSION_OVERRUN").empty());
  EXPECT_EQ(of(at(base + by() + hour), "INFUSION_OVERRUN").size(), 1u);
}

TEST_P(rebase_test, recovery_ends_after_its_remaining_time) {
  start(base, 45);
  stop(base + 40 * 60'000);  // recovery ends at base + 100 min
  at(base + 50 * 60'000);
  e().rebase(by());
  const time_ms end = base + by() + 100 * 60'000;
  EXPECT_EQ(e().session(bed).infusion_stopped_at_ms, base + by() + 40 * 60'000);
  EXPECT_EQ(e().session(bed).recovery_ends_at_ms, end);
  at(end - 1);
  EXPECT_EQ(e().session(bed).phase, phase::recovery);
  at(end);
  EXPECT_EQ(e().session(bed).phase, phase::idle);
  EXPECT_EQ(e().session(bed).at_ms, end);
}

INSTANTIATE_TEST_SUITE_P(forward_and_back, rebase_test, ::testing::Values(hour, -hour));

// The one list of a bed's times: every time field, set, is handed to for_each_time once. A time
// field added to bed_state must be set here and counted (bed_state.hpp's size checks point here).
TEST(for_each_time_test, hands_over_every_time_of_a_bed_in_recovery) {
  bed_state b;
  b.phase = phase::recovery;
  b.started_at = 1;
  b.stopped_at = 2;
  b.recovery_ends_at = 3;
  b.last_valid_hr = 4;
  b.scheduled = 5;
  auto& a = b.open[0].emplace();
  a.onset_ms = 6;
  a.escalate_at = 7;
  a.remind_at = 8;
  a.last.onset_ms = 9;
  a.last.at_ms = 10;
  b.runs[0] = {11, 12, 13};
  b.baseline = nibp_sample{14, 120, 80};
  b.last_nibp = nibp_sample{15, 120, 80};
  b.session_changed_at = 16;
  b.alarms_changed_at = 17;
  int seen = 0;
  for_each_time(b, [&seen](time_ms& t) {
    ++seen;
    t += 100;
  });
  EXPECT_EQ(seen, 17);
  EXPECT_EQ(b.started_at, 101);
  EXPECT_EQ(b.stopped_at, 102);
  EXPECT_EQ(b.recovery_ends_at, 103);
  EXPECT_EQ(b.last_valid_hr, 104);
  EXPECT_EQ(b.scheduled, 105);
  EXPECT_EQ(a.onset_ms, 106);
  EXPECT_EQ(a.escalate_at, 107);
  EXPECT_EQ(a.remind_at, 108);
  EXPECT_EQ(a.last.onset_ms, 109);
  EXPECT_EQ(a.last.at_ms, 110);
  EXPECT_EQ(b.runs[0].medium, 111);
  EXPECT_EQ(b.runs[0].high, 112);
  EXPECT_EQ(b.runs[0].clear, 113);
  EXPECT_EQ(b.baseline->at, 114);
  EXPECT_EQ(b.last_nibp->at, 115);
  EXPECT_EQ(b.session_changed_at, 116);
  EXPECT_EQ(b.alarms_changed_at, 117);
}

// An idle bed's session times mean "none" (0): they stay 0, so its SessionState is unchanged.
TEST(for_each_time_test, leaves_an_idle_beds_empty_session_times_alone) {
  bed_state b;
  int seen = 0;
  for_each_time(b, [&seen](time_ms&) { ++seen; });
  EXPECT_EQ(seen, 0);
}

}  // namespace
}  // namespace vigil::core::testing
