// alarms.md section 5: limits, persistence, hysteresis, clear delay, priority, latching.
#include "engine_fixture.hpp"

namespace vigil::core::testing {
namespace {

using hr_high_test = engine_test;

TEST_F(hr_high_test, raises_medium_after_ten_seconds_not_one_ms_before) {
  hr(0, 130);
  EXPECT_TRUE(hr(9'999, 130).empty());
  auto step = hr(10'000, 130);
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].condition, "HR_HIGH");
  EXPECT_EQ(step[0].transition, transition::raised);
  EXPECT_EQ(step[0].priority, priority::medium);
  EXPECT_EQ(step[0].state, alarm_state::active);
  EXPECT_EQ(step[0].value, 130);
  EXPECT_EQ(step[0].limit, 120);
  EXPECT_EQ(step[0].unit, "/min");
  EXPECT_EQ(step[0].onset_ms, 10'000);
  EXPECT_EQ(step[0].alarm_id, "chair-1:HR_HIGH:1");
  EXPECT_EQ(step[0].event_seq, 1u);
  EXPECT_EQ(step[0].kind, alarm_kind::physiological);
}

TEST_F(hr_high_test, limit_is_strict_greater_than) {
  EXPECT_TRUE(hr_run(0, 30'000, 120).empty());
  EXPECT_EQ(of(hr_run(31'000, 41'000, 120.5), "HR_HIGH").size(), 1u);
}

TEST_F(hr_high_test, a_reading_back_inside_restarts_the_persistence_run) {
  hr(0, 130);
  hr(5'000, 110);
  hr(6'000, 130);
  EXPECT_TRUE(hr(15'999, 130).empty());
  EXPECT_EQ(hr(16'000, 130).size(), 1u);
}

TEST_F(hr_high_test, raises_high_directly_when_the_high_run_is_old_enough) {
  hr(0, 160);
  auto step = hr(10'000, 160);
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].priority, priority::high);
  EXPECT_EQ(step[0].limit, 150);
}

TEST_F(hr_high_test, priority_rises_to_high_when_high_run_persists_and_never_falls) {
  hr(0, 130);
  hr(10'000, 130);  // MEDIUM
  hr(11'000, 160);
  EXPECT_TRUE(hr(20'999, 160).empty());
  auto step = hr(21'000, 160);
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].transition, transition::escalated);
  EXPECT_EQ(step[0].priority, priority::high);
  EXPECT_EQ(step[0].escalation_level, 0u);
  EXPECT_EQ(step[0].alarm_id, "chair-1:HR_HIGH:1");
  EXPECT_TRUE(hr(22'000, 130).empty());  // back to MEDIUM range: priority stays HIGH
  EXPECT_EQ(e().active(bed).alarms.at(0).priority, priority::high);
}

TEST_F(hr_high_test, clears_after_five_seconds_at_least_hysteresis_inside) {
  hr(0, 130);
  hr(10'000, 130);
  hr(11'000, 116);  // inside the limit but within 5 of it: only the runs change
  EXPECT_TRUE(hr(20'000, 116).empty());
  hr(21'000, 115);
  EXPECT_TRUE(hr(25'999, 115).empty());
  auto step = hr(26'000, 115);
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].transition, transition::ended);
  EXPECT_EQ(step[0].state, alarm_state::ended);
  EXPECT_TRUE(e().active(bed).alarms.empty());
}

TEST_F(hr_high_test, next_episode_gets_a_new_id) {
  hr(0, 130);
  hr(10'000, 130);
  hr(11'000, 100);
  hr(16'000, 100);
  hr(17'000, 130);
  auto step = hr(27'000, 130);
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].alarm_id, "chair-1:HR_HIGH:2");
}

using hr_low_test = engine_test;

TEST_F(hr_low_test, below_fifty_for_ten_seconds_is_medium_and_fifty_is_not) {
  EXPECT_TRUE(hr_run(0, 20'000, 50).empty());
  auto evs = hr_run(21'000, 31'000, 49);
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].condition, "HR_LOW");
  EXPECT_EQ(evs[0].priority, priority::medium);
  EXPECT_EQ(evs[0].at_ms, 31'000);
}

TEST_F(hr_low_test, below_forty_is_high_and_latches_when_never_acknowledged) {
  hr_run(0, 10'000, 35);
  ASSERT_EQ(events.back().priority, priority::high);
  hr(11'000, 55);  // >= 50 + 5
  EXPECT_TRUE(hr(15'999, 55).empty());
  auto step = hr(16'000, 55);
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].transition, transition::latched);
  EXPECT_EQ(step[0].state, alarm_state::latched);
  EXPECT_EQ(e().active(bed).alarms.size(), 1u);  // a latched alarm stays visible
}

using latch_test = engine_test;

TEST_F(latch_test, acknowledging_a_latched_alarm_ends_it) {
  bp(0, 190, 95);
  bp(60'000, 130, 80);
  ASSERT_EQ(events.back().transition, transition::latched);
  auto step = ack(61'000, "chair-1:SBP_HIGH:1", "nurse.kim");
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].transition, transition::ended);
  EXPECT_EQ(step[0].acknowledged_by, "nurse.kim");
  EXPECT_TRUE(e().active(bed).alarms.empty());
}

TEST_F(latch_test, a_latched_alarm_whose_condition_returns_is_raised_again_with_the_same_id) {
  bp(0, 190, 95);
  bp(60'000, 130, 80);
  auto step = bp(120'000, 165, 80);
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].transition, transition::raised);
  EXPECT_EQ(step[0].alarm_id, "chair-1:SBP_HIGH:1");
  EXPECT_EQ(step[0].priority, priority::high);
  EXPECT_EQ(step[0].state, alarm_state::active);
}

TEST_F(latch_test, a_high_alarm_once_acknowledged_ends_instead_of_latching) {
  bp(0, 190, 95);
  ack(1'000, "chair-1:SBP_HIGH:1");
  auto step = bp(60'000, 130, 80);
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].transition, transition::ended);
}

TEST_F(latch_test, a_medium_alarm_ends_without_latching) {
  bp(0, 165, 80);
  auto step = bp(60'000, 150, 80);
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].transition, transition::ended);
}

using nibp_test = engine_test;

TEST_F(nibp_test, sbp_186_is_high_at_once_because_nibp_has_no_persistence) {
  auto step = bp(0, 186, 95);
  auto sbp = of(step, "SBP_HIGH");
  ASSERT_EQ(sbp.size(), 1u);
  EXPECT_EQ(sbp[0].priority, priority::high);
  EXPECT_EQ(sbp[0].limit, 180);
  EXPECT_EQ(sbp[0].unit, "mm[Hg]");
  EXPECT_TRUE(of(step, "DBP_HIGH").empty());  // 95 < 100
}

TEST_F(nibp_test, sbp_limits_are_at_or_above) {
  EXPECT_TRUE(bp(0, 159, 80).empty());
  auto step = bp(1, 160, 80);
  ASSERT_EQ(of(step, "SBP_HIGH").size(), 1u);
  EXPECT_EQ(of(step, "SBP_HIGH")[0].priority, priority::medium);
}

TEST_F(nibp_test, sbp_high_clears_only_at_five_below_the_limit) {
  bp(0, 165, 80);
  EXPECT_TRUE(bp(1'000, 156, 80).empty());
  EXPECT_EQ(bp(2'000, 155, 80).size(), 1u);
}

TEST_F(nibp_test, dbp_high_and_sbp_low) {
  EXPECT_EQ(of(bp(0, 150, 110), "DBP_HIGH").at(0).priority, priority::high);
  EXPECT_EQ(of(bp(1'000, 89, 60), "SBP_LOW").at(0).priority, priority::medium);
  EXPECT_EQ(of(bp(2'000, 79, 60), "SBP_LOW").at(0).transition, transition::escalated);
}

TEST_F(nibp_test, map_low_uses_the_given_mean_else_derives_it) {
  // derived: (90 + 2*45) / 3 = 60 -> not below 60
  EXPECT_TRUE(of(bp(0, 90, 45), "MAP_LOW").empty());
  auto step = bp(1'000, 95, 60, bp_source::nibp, 55.0);  // derived would be 71.7
  ASSERT_EQ(of(step, "MAP_LOW").size(), 1u);
  EXPECT_EQ(of(step, "MAP_LOW")[0].value, 55);
}

using arterial_test = engine_test;

TEST_F(arterial_test, arterial_readings_use_their_own_conditions_with_continuous_persistence) {
  auto first = bp(0, 190, 80, bp_source::arterial);
  EXPECT_TRUE(first.empty());
  EXPECT_TRUE(bp(9'999, 190, 80, bp_source::arterial).empty());
  auto step = bp(10'000, 190, 80, bp_source::arterial);
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].condition, "ART_SBP_HIGH");
  EXPECT_EQ(step[0].priority, priority::high);
  EXPECT_TRUE(of(events, "SBP_HIGH").empty());
}

TEST_F(arterial_test, arterial_clear_delay_is_five_seconds) {
  bp(0, 100, 60, bp_source::arterial, 55.0);
  bp(10'000, 100, 60, bp_source::arterial, 55.0);
  ASSERT_EQ(events.back().condition, "ART_MAP_LOW");
  bp(11'000, 100, 70, bp_source::arterial, 65.0);
  EXPECT_TRUE(bp(15'999, 100, 70, bp_source::arterial, 65.0).empty());
  EXPECT_EQ(bp(16'000, 100, 70, bp_source::arterial, 65.0).at(0).transition, transition::ended);
}

using rise_test = engine_test;

TEST_F(rise_test, rise_of_forty_over_baseline_during_infusion_alarms) {
  bp(0, 120, 80);
  start(60'000);
  auto step = bp(300'000, 160, 90);
  auto rise = of(step, "SBP_RISE");
  ASSERT_EQ(rise.size(), 1u);
  EXPECT_EQ(rise[0].value, 40);
  EXPECT_EQ(rise[0].limit, 40);
  EXPECT_EQ(rise[0].phase, phase::infusion);
  EXPECT_TRUE(of(step, "DBP_RISE").empty());  // +10 < 25
}

TEST_F(rise_test, dbp_rise_of_twenty_five) {
  bp(0, 120, 70);
  start(60'000);
  EXPECT_TRUE(of(bp(300'000, 130, 94), "DBP_RISE").empty());
  EXPECT_EQ(of(bp(600'000, 130, 95), "DBP_RISE").size(), 1u);
}

TEST_F(rise_test, rises_are_not_evaluated_when_idle) {
  bp(0, 100, 60);
  EXPECT_TRUE(of(bp(60'000, 150, 95), "SBP_RISE").empty());
}

}  // namespace
}  // namespace vigil::core::testing
