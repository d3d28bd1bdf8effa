#include "ctl/lines.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

namespace vigil::ctl {
namespace {

// Unix ms of a time of day on 1970-01-01; the tests read local time in UTC.
constexpr core::time_ms at(int h, int m, int s) { return ((h * 60LL + m) * 60 + s) * 1000; }

class lines_test : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
  }

  static core::alarm_event event(core::priority p, core::transition t, std::string condition) {
    core::alarm_event e;
    e.bed_id = "chair-1";
    e.condition = condition;
    e.alarm_id = "chair-1:" + condition + ":1";
    e.priority = p;
    e.transition = t;
    e.state = core::alarm_state::active;
    e.at_ms = at(12, 5, 30);
    return e;
  }

  static core::session_state infusion(core::time_ms started, std::uint32_t planned) {
    core::session_state s;
    s.bed_id = "chair-1";
    s.phase = core::phase::infusion;
    s.infusion_started_at_ms = started;
    s.planned_minutes = planned;
    s.at_ms = started;
    return s;
  }
};

TEST_F(lines_test, event_line_shows_time_bed_priority_transition_condition_text_and_id) {
  auto e = event(core::priority::high, core::transition::raised, "SBP_HIGH");
  e.text = "SBP 186 mmHg \u2265 180 at 41:20 into infusion";
  EXPECT_EQ(event_line(e),
            "12:05:30 chair-1 HIGH   RAISED       SBP_HIGH SBP 186 mmHg \u2265 180 at 41:20 into "
            "infusion [chair-1:SBP_HIGH:1]");
}

TEST_F(lines_test, event_lines_align_conditions_whatever_the_priority_and_transition) {
  const auto a = event_line(event(core::priority::low, core::transition::notice, "X"));
  const auto b = event_line(event(core::priority::medium, core::transition::acknowledged, "X"));
  EXPECT_EQ(a.find(" X "), b.find(" X "));
}

TEST_F(lines_test, bed_line_shows_infusion_progress_and_every_open_alarm_with_its_id) {
  bed_view v;
  v.session = infusion(at(12, 0, 0), 40);
  v.active.emplace();
  v.active->alarms.push_back(event(core::priority::high, core::transition::raised, "SBP_HIGH"));
  auto acked = event(core::priority::medium, core::transition::acknowledged, "HR_HIGH");
  acked.state = core::alarm_state::acknowledged;
  v.active->alarms.push_back(acked);
  EXPECT_EQ(bed_line("chair-1", v, at(12, 12, 5)),
            "bed chair-1: INFUSION 12:05 of 40 min, 2 open alarms: HIGH SBP_HIGH "
            "[chair-1:SBP_HIGH:1], MEDIUM HR_HIGH ACKNOWLEDGED [chair-1:HR_HIGH:1]");
}

TEST_F(lines_test, bed_line_says_so_when_nothing_is_open) {
  bed_view v;
  v.session.emplace();
  v.session->phase = core::phase::idle;
  EXPECT_EQ(bed_line("chair-2", v, at(12, 0, 0)), "bed chair-2: IDLE, no open alarms");
}

TEST_F(lines_test, bed_line_without_a_session_lists_the_alarms_alone) {
  bed_view v;
  v.active.emplace();
  v.active->alarms.push_back(event(core::priority::low, core::transition::raised, "HR_LOW"));
  EXPECT_EQ(bed_line("chair-1", v, at(12, 0, 0)),
            "bed chair-1: 1 open alarm: LOW HR_LOW [chair-1:HR_LOW:1]");
}

TEST_F(lines_test, phase_summary_shows_pause_and_time_since_the_infusion_stopped) {
  auto s = infusion(at(12, 0, 0), 0);
  s.paused = true;
  EXPECT_EQ(phase_summary(s, at(12, 5, 0)), "INFUSION 5:00, paused");
  s.phase = core::phase::recovery;
  s.infusion_stopped_at_ms = at(12, 40, 0);
  EXPECT_EQ(phase_summary(s, at(12, 43, 10)), "RECOVERY 3:10 after infusion");
}

TEST_F(lines_test, session_line_is_stamped_with_the_change_and_counts_from_it) {
  EXPECT_EQ(session_line(infusion(at(12, 0, 0), 40)),
            "12:00:00 chair-1 session: INFUSION 0:00 of 40 min");
}

TEST_F(lines_test, status_line_shows_state_version_start_and_heartbeat_age) {
  codec::daemon_status s{"ward-a", codec::daemon_state::online, "0.1.0", at(11, 0, 0),
                         at(12, 0, 0)};
  EXPECT_EQ(status_line(s, at(12, 0, 3)),
            "ward-a: ONLINE, version 0.1.0, started 1970-01-01 11:00:00, last heartbeat 3 s ago");
  EXPECT_TRUE(status_line(s, at(12, 5, 0)).ends_with("last heartbeat 5 min ago"));
  EXPECT_TRUE(status_line(s, at(11, 59, 58)).ends_with("last heartbeat 2 s ahead of this clock"));
}

}  // namespace
}  // namespace vigil::ctl
