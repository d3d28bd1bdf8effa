// alarms.md sections 7 and 8: acknowledgement, reminders, escalation, identity.
#include "engine_fixture.hpp"

namespace vigil::core::testing {
namespace {

using escalation_test = engine_test;

// An NIBP MEDIUM alarm in IDLE: no technical timers interfere.
TEST_F(escalation_test, medium_escalates_after_120_s_then_high_every_60_s_up_to_level_3) {
  bp(0, 165, 80);
  EXPECT_TRUE(at(119'999).empty());
  auto s1 = at(120'000);
  ASSERT_EQ(s1.size(), 1u);
  EXPECT_EQ(s1[0].transition, transition::escalated);
  EXPECT_EQ(s1[0].priority, priority::high);
  EXPECT_EQ(s1[0].escalation_level, 1u);
  EXPECT_TRUE(at(179'999).empty());
  EXPECT_EQ(at(180'000).at(0).escalation_level, 2u);
  EXPECT_EQ(at(240'000).at(0).escalation_level, 3u);
  EXPECT_TRUE(at(3'600'000).empty());  // capped: HIGH and quiet
  EXPECT_FALSE(e().next_deadline().has_value());
}

TEST_F(escalation_test, acknowledged_alarm_does_not_escalate_and_is_reminded_after_120_s) {
  bp(0, 165, 80);
  auto a = ack(30'000, "chair-1:SBP_HIGH:1", "nurse.kim");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].transition, transition::acknowledged);
  EXPECT_EQ(a[0].state, alarm_state::acknowledged);
  EXPECT_EQ(a[0].acknowledged_by, "nurse.kim");
  EXPECT_TRUE(at(149'999).empty());
  auto r = at(150'000);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].transition, transition::reminded);
  EXPECT_EQ(r[0].state, alarm_state::active);
  // escalation restarts from the reminder
  EXPECT_TRUE(at(269'999).empty());
  EXPECT_EQ(at(270'000).at(0).transition, transition::escalated);
}

TEST_F(escalation_test, a_worse_reading_reactivates_an_acknowledged_medium_alarm_as_high) {
  bp(0, 165, 80);
  ack(1'000, "chair-1:SBP_HIGH:1");
  auto step = of(bp(60'000, 185, 80), "SBP_HIGH");
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].transition, transition::escalated);
  EXPECT_EQ(step[0].state, alarm_state::active);
  EXPECT_EQ(step[0].escalation_level, 0u);
  EXPECT_TRUE(at(119'999).empty());  // HIGH: next escalation 60 s after the ESCALATED
  EXPECT_EQ(at(120'000).at(0).escalation_level, 1u);
}

TEST_F(escalation_test, high_alarm_escalates_after_60_s) {
  bp(0, 190, 80);
  EXPECT_TRUE(at(59'999).empty());
  EXPECT_EQ(at(60'000).at(0).escalation_level, 1u);
}

TEST_F(escalation_test, latched_alarms_do_not_escalate) {
  bp(0, 190, 80);
  bp(30'000, 130, 80);
  EXPECT_TRUE(at(600'000).empty());
}

TEST_F(escalation_test, max_level_zero_disables_escalation) {
  cfg.escalation_max_level = 0;
  bp(0, 165, 80);
  EXPECT_TRUE(at(600'000).empty());
}

using ack_test = engine_test;

TEST_F(ack_test, later_transitions_repeat_why_the_alarm_was_raised) {
  bp(0, 165, 80);
  const std::string reason = "SBP 165 mmHg \u2265 160";
  EXPECT_EQ(events.back().text, reason);
  EXPECT_EQ(ack(1'000, "chair-1:SBP_HIGH:1", "kim").at(0).text, reason + "; acknowledged by kim");
  EXPECT_EQ(at(121'000).at(0).text, reason + "; still present 120 s after acknowledgement by kim");
  EXPECT_EQ(at(241'000).at(0).text, reason + "; unanswered, escalated to level 1");
}

TEST_F(ack_test, acks_that_match_nothing_change_nothing_and_are_counted) {
  bp(0, 165, 80);
  EXPECT_TRUE(ack(1'000, "chair-1:SBP_HIGH:9").empty());  // unknown id
  EXPECT_TRUE(ack(1'000, "chair-2:SBP_HIGH:1").empty());  // another bed's id
  ack(2'000, "chair-1:SBP_HIGH:1");
  EXPECT_TRUE(ack(3'000, "chair-1:SBP_HIGH:1").empty());  // repeat
  bp(4'000, 120, 80);                                     // MEDIUM, acked: ends
  EXPECT_TRUE(ack(5'000, "chair-1:SBP_HIGH:1").empty());  // ended
  EXPECT_EQ(e().counters().dropped_by(drop_reason::ack_rejected), 4u);
  // an ack on a bed the engine never saw
  e().on_ack("nowhere", alarm_ack{"nowhere:X:1", "kim", 6'000}, 6'000, out);
  EXPECT_EQ(e().counters().dropped_by(drop_reason::ack_rejected), 5u);
}

using identity_test = engine_test;

TEST_F(identity_test, event_seq_counts_every_event_of_a_bed) {
  bp(0, 190, 80);                    // SBP_HIGH raised
  bp(1'000, 130, 80);                // latched
  ack(2'000, "chair-1:SBP_HIGH:1");  // ended
  ASSERT_EQ(events.size(), 3u);
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].event_seq, i + 1);
}

TEST_F(identity_test, beds_are_independent) {
  bp(0, 190, 80);
  bed = "chair-2";
  auto step = bp(0, 190, 80);
  EXPECT_EQ(step.at(0).alarm_id, "chair-2:SBP_HIGH:1");
  EXPECT_EQ(step.at(0).event_seq, 1u);
  EXPECT_EQ(e().beds(), (std::vector<std::string>{"chair-1", "chair-2"}));
}

TEST_F(identity_test, active_snapshot_holds_the_latest_event_of_each_open_alarm) {
  bp(0, 190, 105);
  ack(1'000, "chair-1:DBP_HIGH:1");
  auto act = e().active(bed);
  ASSERT_EQ(act.alarms.size(), 2u);
  EXPECT_EQ(act.at_ms, 1'000);
  EXPECT_EQ(of(act.alarms, "DBP_HIGH").at(0).state, alarm_state::acknowledged);
  EXPECT_EQ(of(act.alarms, "SBP_HIGH").at(0).state, alarm_state::active);
}

}  // namespace
}  // namespace vigil::core::testing
