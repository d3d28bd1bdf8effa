// alarms.md sections 2, 4 and 6: phases, baseline, technical and procedural conditions, notices.
#include "engine_fixture.hpp"

namespace vigil::core::testing {
namespace {

constexpr time_ms min = 60'000;

using phase_test = engine_test;

TEST_F(phase_test, default_limits_are_the_same_in_every_phase_but_the_recovery_nibp_cycle) {
  const engine_config defaults;
  EXPECT_EQ(defaults.phases[0], defaults.phases[1]);
  phase_config recovery = defaults.phases[1];
  recovery.nibp_interval_ms = 900'000;
  EXPECT_EQ(defaults.phases[2], recovery);
  EXPECT_EQ(defaults.phases[2].limit(condition_id::hr_high).medium, 120);
  EXPECT_EQ(defaults.phases[2].hr_stale_ms, 10'000);
}

TEST_F(phase_test, a_stable_recovery_raises_nothing) {
  bp(0, 120, 80);
  start(min);
  for (time_ms t = min; t <= 106 * min; t += 1'000) {
    hr(t, 80);
    if (t % (5 * min) == 0) bp(t, 125, 82);  // every 5 min: inside both phases' cycles
    if (t == 45 * min) stop(t);
  }
  for (const auto& ev : events) EXPECT_EQ(ev.kind, alarm_kind::notice) << ev.text;
  EXPECT_EQ(e().session(bed).phase, phase::idle);
}

TEST_F(phase_test, started_opens_a_session_and_publishes_it) {
  start(1'000, 45);
  ASSERT_EQ(last_output.sessions_changed, std::vector<std::string>{bed});
  auto s = e().session(bed);
  EXPECT_EQ(s.phase, phase::infusion);
  EXPECT_EQ(s.session_id, "s1");
  EXPECT_EQ(s.infusion_started_at_ms, 1'000);
  EXPECT_EQ(s.planned_minutes, 45u);
  EXPECT_EQ(s.at_ms, 1'000);
}

TEST_F(phase_test, pause_and_resume_stay_in_infusion) {
  start(0);
  infusion(5 * min, infusion_kind::paused);
  EXPECT_TRUE(e().session(bed).paused);
  EXPECT_EQ(e().session(bed).phase, phase::infusion);
  infusion(6 * min, infusion_kind::resumed);
  EXPECT_FALSE(e().session(bed).paused);
}

TEST_F(phase_test, out_of_order_infusion_events_are_ignored_and_counted) {
  infusion(0, infusion_kind::stopped);
  infusion(1, infusion_kind::paused);
  start(2);
  start(3);
  EXPECT_EQ(e().counters().dropped_by(drop_reason::infusion_out_of_order), 3u);
  EXPECT_EQ(e().session(bed).infusion_started_at_ms, 2);
  ASSERT_FALSE(last_output.diagnostics.empty());
  EXPECT_EQ(last_output.diagnostics[0].reason, drop_reason::infusion_out_of_order);
}

TEST_F(phase_test, recovery_lasts_sixty_minutes_then_idle) {
  start(0);
  hr(40 * min, 80);
  bp(40 * min, 120, 80);
  stop(45 * min);
  EXPECT_EQ(e().session(bed).phase, phase::recovery);
  EXPECT_EQ(e().session(bed).recovery_ends_at_ms, 105 * min);
  // keep the technical timers quiet
  for (time_ms t = 45 * min; t < 105 * min; t += 5'000) hr(t, 80);
  for (time_ms t = 50 * min; t < 105 * min; t += 10 * min) bp(t, 120, 80);
  at(105 * min - 1);
  EXPECT_EQ(e().session(bed).phase, phase::recovery);
  at(105 * min);
  EXPECT_EQ(e().session(bed).phase, phase::idle);
  EXPECT_EQ(e().session(bed).session_id, "");
}

TEST_F(phase_test, started_in_recovery_opens_a_new_session) {
  start(0);
  stop(45 * min);
  infusion_event m;
  m.kind = infusion_kind::started;
  m.session_id = "s2";
  m.planned_minutes = 40;
  e().on_infusion(bed, m, 50 * min, out);
  collect(50 * min);
  EXPECT_EQ(e().session(bed).session_id, "s2");
  EXPECT_EQ(e().session(bed).phase, phase::infusion);
}

TEST_F(phase_test, planned_duration_outside_window_is_a_notice) {
  auto step = start(0, 30);
  auto n = of(step, "PLANNED_DURATION_OUTSIDE_WINDOW");
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].transition, transition::notice);
  EXPECT_EQ(n[0].kind, alarm_kind::notice);
  EXPECT_EQ(n[0].priority, priority::low);
  EXPECT_EQ(n[0].alarm_id, "chair-1:PLANNED_DURATION_OUTSIDE_WINDOW:1");
  EXPECT_TRUE(e().active(bed).alarms.empty());
}

TEST_F(phase_test, planned_durations_at_the_window_edges_are_inside) {
  EXPECT_TRUE(of(start(0, 40), "PLANNED_DURATION_OUTSIDE_WINDOW").empty());
  stop(1);
  EXPECT_TRUE(of(start(2, 60), "PLANNED_DURATION_OUTSIDE_WINDOW").empty());
  stop(3);
  EXPECT_EQ(of(start(4, 61), "PLANNED_DURATION_OUTSIDE_WINDOW").size(), 1u);
}

TEST_F(phase_test, planned_duration_reached_fires_at_exactly_planned_minutes) {
  cfg.phases[1].hr_stale_ms = 100 * min;  // keep other timers out of the way
  cfg.phases[1].nibp_interval_ms = 100 * min;
  start(0, 45);
  EXPECT_TRUE(at(45 * min - 1).empty());
  auto step = at(45 * min);
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].condition, "PLANNED_DURATION_REACHED");
  EXPECT_EQ(step[0].at_ms, 45 * min);
  EXPECT_EQ(step[0].infusion_elapsed_ms, 45 * min);
}

using baseline_test = engine_test;

TEST_F(baseline_test, last_nibp_within_thirty_minutes_before_started_is_the_baseline) {
  bp(0, 118, 76);
  bp(10 * min, 122, 78);
  start(40 * min);  // the 10-minute reading is exactly 30 minutes old
  auto s = e().session(bed);
  ASSERT_TRUE(s.baseline_systolic_mmhg);
  EXPECT_EQ(*s.baseline_systolic_mmhg, 122);
  EXPECT_EQ(*s.baseline_diastolic_mmhg, 78);
}

TEST_F(baseline_test, a_reading_older_than_thirty_minutes_is_not_used) {
  bp(0, 122, 78);
  start(30 * min + 1);
  EXPECT_FALSE(e().session(bed).baseline_systolic_mmhg);
  // The first NIBP of the session becomes the baseline and is not tested for a rise.
  auto step = bp(31 * min, 150, 80);
  EXPECT_TRUE(of(step, "SBP_RISE").empty());
  EXPECT_EQ(*e().session(bed).baseline_systolic_mmhg, 150);
  EXPECT_EQ(of(bp(36 * min, 190, 80), "SBP_RISE").size(), 1u);
}

TEST_F(baseline_test, elevated_baseline_is_a_notice_above_140_over_90_only) {
  bp(0, 140, 90);
  EXPECT_TRUE(of(start(min), "BASELINE_BP_ELEVATED").empty());
  stop(2 * min);
  bp(3 * min, 141, 80);
  auto n = of(start(4 * min), "BASELINE_BP_ELEVATED");
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].value, 141);
}

using signal_lost_test = engine_test;

TEST_F(signal_lost_test, raised_ten_seconds_after_started_without_hr) {
  start(0);
  EXPECT_TRUE(at(9'999).empty());
  auto step = at(10'000);
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].condition, "HR_SIGNAL_LOST");
  EXPECT_EQ(step[0].kind, alarm_kind::technical);
  EXPECT_EQ(step[0].priority, priority::medium);
}

TEST_F(signal_lost_test, a_reading_at_the_deadline_instant_is_handled_first) {
  start(0);
  hr(5'000, 80);
  EXPECT_TRUE(hr(15'000, 80).empty());
}

TEST_F(signal_lost_test, counted_from_the_last_valid_hr_and_ended_by_the_next) {
  start(0);
  hr(5'000, 80);
  hr(6'000, 80, validity::invalid);  // does not refresh the timer
  EXPECT_TRUE(at(14'999).empty());
  EXPECT_EQ(at(15'000).size(), 1u);
  auto step = hr(20'000, 82);
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].transition, transition::ended);
  EXPECT_EQ(step[0].value, 82);
}

TEST_F(signal_lost_test, not_evaluated_when_idle) { EXPECT_TRUE(at(10 * min).empty()); }

TEST_F(signal_lost_test, resets_the_hr_runs) {
  start(0);
  hr_run(1'000, 6'000, 130);  // 5 s of HR_HIGH run, then silence
  ASSERT_EQ(of(at(16'000), "HR_SIGNAL_LOST").size(), 1u);
  hr(20'000, 130);
  EXPECT_TRUE(of(hr_run(21'000, 29'000, 130), "HR_HIGH").empty());
  EXPECT_EQ(of(hr(30'000, 130), "HR_HIGH").size(), 1u);
}

// alarms.md section 6: a feed that announces its period (a PCD-01 gateway at one report a
// minute) waits 2 x that period, not hr_stale_s, before HR_SIGNAL_LOST.
TEST_F(signal_lost_test, waits_twice_the_announced_report_interval_when_longer) {
  monitor(0, monitor_state::online, 60'000);
  start(0);
  hr(1'000, 80);
  EXPECT_TRUE(at(120'999).empty()) << "not after hr_stale_s (10 s): the feed reports every 60 s";
  auto step = at(121'000);
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].condition, "HR_SIGNAL_LOST");
  EXPECT_EQ(step[0].text.rfind("No valid HR for 120 s", 0), 0u) << step[0].text;
}

TEST_F(signal_lost_test, a_short_report_interval_keeps_hr_stale_s) {
  monitor(0, monitor_state::online, 3'000);  // 2 x 3 s = 6 s < 10 s
  start(0);
  EXPECT_TRUE(at(9'999).empty());
  EXPECT_EQ(of(at(10'000), "HR_SIGNAL_LOST").size(), 1u);
}

TEST_F(signal_lost_test, the_latest_monitor_status_decides_and_moves_a_pending_deadline) {
  monitor(0, monitor_state::online, 60'000);
  start(0);
  hr(1'000, 80);
  monitor(2'000, monitor_state::online);  // the gateway now forwards continuously
  EXPECT_TRUE(at(10'999).empty());
  EXPECT_EQ(of(at(11'000), "HR_SIGNAL_LOST").size(), 1u) << "10 s after the last HR, at once";
}

TEST_F(signal_lost_test, a_longer_interval_announced_later_postpones_the_deadline) {
  start(0);
  hr(1'000, 80);
  monitor(5'000, monitor_state::online, 30'000);
  EXPECT_TRUE(at(60'999).empty());
  EXPECT_EQ(of(at(61'000), "HR_SIGNAL_LOST").size(), 1u);
}

using nibp_overdue_test = engine_test;

TEST_F(nibp_overdue_test, raised_six_minutes_after_the_last_nibp_in_infusion) {
  cfg.phases[1].hr_stale_ms = 100 * min;
  start(0);
  bp(2 * min, 120, 80);
  EXPECT_TRUE(at(8 * min - 1).empty());
  auto step = at(8 * min);
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].condition, "NIBP_OVERDUE");
  auto end = bp(9 * min, 121, 80);
  ASSERT_EQ(of(end, "NIBP_OVERDUE").size(), 1u);
  EXPECT_EQ(of(end, "NIBP_OVERDUE")[0].transition, transition::ended);
}

TEST_F(nibp_overdue_test, ends_on_entering_recovery_when_the_new_deadline_is_ahead) {
  cfg.phases[1].hr_stale_ms = 100 * min;
  cfg.phases[2].hr_stale_ms = 100 * min;
  start(0);
  at(6 * min);
  ASSERT_EQ(events.back().condition, "NIBP_OVERDUE");
  auto step = of(stop(7 * min), "NIBP_OVERDUE");
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].transition, transition::ended);
  // recovery: 15 min + 1 min counted from STARTED
  EXPECT_TRUE(of(at(16 * min - 1), "NIBP_OVERDUE").empty());
  EXPECT_EQ(of(at(16 * min), "NIBP_OVERDUE").size(), 1u);
}

using monitor_test = engine_test;

TEST_F(monitor_test, offline_when_idle_is_quiet_until_the_infusion_starts_then_high) {
  EXPECT_TRUE(monitor(0, monitor_state::offline).empty());
  auto m = of(start(1'000), "MONITOR_OFFLINE");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].priority, priority::high);
  auto end = of(monitor(2'000, monitor_state::online), "MONITOR_OFFLINE");
  ASSERT_EQ(end.size(), 1u);
  EXPECT_EQ(end[0].transition, transition::ended);
}

TEST_F(monitor_test, offline_in_recovery_is_medium) {
  start(0);
  stop(min);
  auto m = of(monitor(2 * min, monitor_state::offline), "MONITOR_OFFLINE");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].priority, priority::medium);
}

TEST_F(monitor_test, technical_alarms_end_when_the_bed_becomes_idle) {
  cfg.recovery_ms = 10 * min;
  start(0);
  stop(min);
  monitor(2 * min, monitor_state::offline);
  auto step = at(11 * min);
  EXPECT_EQ(of(step, "MONITOR_OFFLINE").back().transition, transition::ended);
  EXPECT_EQ(of(step, "MONITOR_OFFLINE").back().phase, phase::idle);
  EXPECT_EQ(of(step, "HR_SIGNAL_LOST").back().transition, transition::ended);
  EXPECT_TRUE(e().active(bed).alarms.empty());
}

using overrun_test = engine_test;

TEST_F(overrun_test, still_infusing_at_sixty_minutes_is_a_procedural_alarm_ended_by_stop) {
  cfg.phases[1].hr_stale_ms = 100 * min;
  cfg.phases[1].nibp_interval_ms = 100 * min;
  start(0, 45);
  EXPECT_TRUE(of(at(60 * min - 1), "INFUSION_OVERRUN").empty());
  auto o = of(at(60 * min), "INFUSION_OVERRUN");
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0].kind, alarm_kind::procedural);
  EXPECT_EQ(o[0].priority, priority::medium);
  auto end = of(stop(62 * min), "INFUSION_OVERRUN");
  ASSERT_EQ(end.size(), 1u);
  EXPECT_EQ(end[0].transition, transition::ended);
}

}  // namespace
}  // namespace vigil::core::testing
