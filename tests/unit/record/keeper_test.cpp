// record::keeper by hand: engine outputs in, the record's rows out. HR and arterial buckets of
// trend_bucket_ms aligned to the clock (closed by a later bucket's reading, by `now` passing
// their end, or by close_all), every NIBP reading as three points, the alarm events as they
// are, and a session row whenever a session's facts change and once more when it ends.
#include "record/keeper.hpp"

#include <gtest/gtest.h>

#include <map>

namespace vigil::record {
namespace {

using core::phase;

// Beds by slot, as engine_books would hold them; the keeper keeps references only for a call.
class keeper_test : public ::testing::Test {
 protected:
  struct bed {
    std::string id;
    std::string session_id;
  };
  std::map<std::uint32_t, bed> beds_{{0, {"chair-1", "s1"}}, {1, {"chair-2", ""}}};
  keeper k_;

  rows take(const core::engine_output& out, core::time_ms now) {
    rows r;
    k_.take(
        out,
        [this](std::size_t slot) -> keeper::bed_view {
          const auto& b = beds_.at(static_cast<std::uint32_t>(slot));
          return {b.id, b.session_id};
        },
        now, r);
    return r;
  }
  // One reading alone, taken at its own time.
  rows reading(std::uint32_t slot, core::feed f, core::time_ms at_ms, double value,
               double diastolic = 0, double mean = 0) {
    core::engine_output out;
    const bool in_session = !beds_.at(slot).session_id.empty();
    out.readings.push_back({slot, f, in_session, at_ms, value, diastolic, mean});
    return take(out, at_ms);
  }
  rows hr(std::uint32_t slot, core::time_ms at_ms, double bpm) {
    return reading(slot, core::feed::hr, at_ms, bpm);
  }
  rows idle_until(core::time_ms now) { return take({}, now); }

  static core::session_state state(const std::string& bed, const std::string& session, phase p,
                                   core::time_ms at_ms) {
    core::session_state s;
    s.bed_id = bed;
    s.session_id = session;
    s.phase = p;
    s.infusion_started_at_ms = 1'000;
    s.planned_minutes = 40;
    s.baseline_systolic_mmhg = 120;
    s.baseline_diastolic_mmhg = 80;
    s.at_ms = at_ms;
    s.patient_id = "MRN-7";
    s.encounter_id = "ENC-9";
    s.drug = "ketamine";
    s.dose_mg_per_kg = 0.5;
    return s;
  }
  rows sessions(std::vector<core::session_state> s, core::time_ms now) {
    core::engine_output out;
    out.sessions = std::move(s);
    return take(out, now);
  }
  static session_info info(const std::string& bed, const std::string& session,
                           core::time_ms ended_ms = 0, core::time_ms stopped_ms = 0) {
    session_info i;
    i.bed_id = bed;
    i.session_id = session;
    i.patient_id = "MRN-7";
    i.encounter_id = "ENC-9";
    i.drug = "ketamine";
    i.dose_mg_per_kg = 0.5;
    i.planned_minutes = 40;
    i.started_ms = 1'000;
    i.stopped_ms = stopped_ms;
    i.ended_ms = ended_ms;
    i.baseline_systolic_mmhg = 120;
    i.baseline_diastolic_mmhg = 80;
    return i;
  }
  static trend_row row(const std::string& bed, const std::string& session, core::time_ms at_ms,
                       series s, std::uint32_t n, double lo, double mean, double hi) {
    return {bed, session, {at_ms, s, n, lo, mean, hi}};
  }
};

TEST_F(keeper_test, hr_is_summarised_per_clock_aligned_bucket_closed_by_the_next_bucket) {
  EXPECT_TRUE(hr(0, 12'000, 70).trend.empty());
  EXPECT_TRUE(hr(0, 15'000, 80).trend.empty());
  EXPECT_TRUE(hr(0, 19'999, 60).trend.empty());  // still [10'000, 20'000)
  const auto next = hr(0, 20'000, 90);
  ASSERT_EQ(next.trend.size(), 1u);
  EXPECT_EQ(next.trend[0], row("chair-1", "s1", 10'000, series::hr, 3, 60, 70, 80));
  EXPECT_TRUE(next.history.empty());
  EXPECT_TRUE(next.sessions.empty());
}

TEST_F(keeper_test, a_bucket_closes_when_now_passes_its_end_without_another_reading) {
  hr(0, 21'000, 90);
  hr(0, 22'000, 100);
  EXPECT_TRUE(idle_until(29'999).trend.empty());
  const auto closed = idle_until(30'000);
  ASSERT_EQ(closed.trend.size(), 1u);
  EXPECT_EQ(closed.trend[0], row("chair-1", "s1", 20'000, series::hr, 2, 90, 95, 100));
  EXPECT_TRUE(idle_until(60'000).trend.empty()) << "closed once";
  // A bucket closed early by a later reading is not closed again when its old end passes.
  hr(0, 65'000, 70);
  ASSERT_EQ(hr(0, 71'000, 75).trend.size(), 1u);  // closes [60'000, 70'000)
  EXPECT_TRUE(idle_until(79'999).trend.empty());
  EXPECT_EQ(idle_until(80'000).trend,
            (std::vector<trend_row>{row("chair-1", "s1", 70'000, series::hr, 1, 75, 75, 75)}));
}

TEST_F(keeper_test, buckets_before_1970_are_floored_too) {
  hr(0, -1, 50);
  const auto next = hr(0, 0, 60);
  ASSERT_EQ(next.trend.size(), 1u);
  EXPECT_EQ(next.trend[0].point.at_ms, -10'000);
}

TEST_F(keeper_test, each_bed_has_its_bucket_with_the_session_of_its_first_reading) {
  hr(0, 10'500, 70);
  hr(1, 11'000, 100);
  beds_[0].session_id = "s2";  // a new session in the middle of the bucket
  hr(0, 12'000, 80);
  const auto closed = idle_until(20'000);
  EXPECT_EQ(closed.trend,
            (std::vector<trend_row>{row("chair-1", "s1", 10'000, series::hr, 2, 70, 75, 80),
                                    row("chair-2", "", 10'000, series::hr, 1, 100, 100, 100)}));
}

TEST_F(keeper_test, every_nibp_reading_is_kept_as_three_points_at_once) {
  const auto r = reading(0, core::feed::nibp, 12'345, 130, 85, 100);
  EXPECT_EQ(r.trend, (std::vector<trend_row>{
                         row("chair-1", "s1", 12'345, series::nibp_sys, 1, 130, 130, 130),
                         row("chair-1", "s1", 12'345, series::nibp_dia, 1, 85, 85, 85),
                         row("chair-1", "s1", 12'345, series::nibp_mean, 1, 100, 100, 100)}));
  EXPECT_TRUE(idle_until(100'000).trend.empty()) << "no bucket was opened";
}

// Two cuff readings of a bed handled in one batch share its receive time; as points of the same
// time and series the store would merge them, so the later one is kept 1 ms later.
TEST_F(keeper_test, two_nibp_readings_of_one_bed_at_the_same_time_stay_two_points) {
  core::engine_output out;
  out.readings = {{0, core::feed::nibp, true, 5'000, 120, 80, 93},
                  {0, core::feed::nibp, true, 5'000, 186, 95, 125},
                  {1, core::feed::nibp, false, 5'000, 110, 70, 83}};
  const auto r = take(out, 5'000);
  ASSERT_EQ(r.trend.size(), 9u);
  EXPECT_EQ(r.trend[0], row("chair-1", "s1", 5'000, series::nibp_sys, 1, 120, 120, 120));
  EXPECT_EQ(r.trend[3], row("chair-1", "s1", 5'001, series::nibp_sys, 1, 186, 186, 186));
  EXPECT_EQ(r.trend[6], row("chair-2", "", 5'000, series::nibp_sys, 1, 110, 110, 110));
  // A later reading at its own time again.
  EXPECT_EQ(reading(0, core::feed::nibp, 9'000, 130, 85, 100).trend[0].point.at_ms, 9'000);
}

// A baseline cuff and STARTED handled in one batch: at the end of the turn the bed is in the
// session, but the cuff came before it and is no part of it.
TEST_F(keeper_test,
       a_reading_taken_before_its_session_started_in_the_same_batch_is_not_the_sessions) {
  core::engine_output out;
  out.readings = {{0, core::feed::nibp, false, 5'000, 120, 80, 93},
                  {0, core::feed::nibp, true, 5'000, 150, 90, 110}};
  const auto r = take(out, 5'000);
  ASSERT_EQ(r.trend.size(), 6u);
  EXPECT_EQ(r.trend[0], row("chair-1", "", 5'000, series::nibp_sys, 1, 120, 120, 120));
  EXPECT_EQ(r.trend[3], row("chair-1", "s1", 5'001, series::nibp_sys, 1, 150, 150, 150));
}

TEST_F(keeper_test, arterial_readings_are_bucketed_as_systolic_diastolic_and_mean) {
  reading(0, core::feed::arterial, 10'000, 120, 80, 93);
  reading(0, core::feed::arterial, 11'000, 140, 70, 90);
  hr(0, 12'000, 66);  // HR shares the bed's bucket
  const auto closed = idle_until(20'000);
  EXPECT_EQ(closed.trend, (std::vector<trend_row>{
                              row("chair-1", "s1", 10'000, series::hr, 1, 66, 66, 66),
                              row("chair-1", "s1", 10'000, series::art_sys, 2, 120, 130, 140),
                              row("chair-1", "s1", 10'000, series::art_dia, 2, 70, 75, 80),
                              row("chair-1", "s1", 10'000, series::art_mean, 2, 90, 91.5, 93)}));
}

TEST_F(keeper_test, close_all_closes_every_open_bucket) {
  hr(0, 10'000, 70);
  hr(1, 15'000, 90);
  rows r;
  k_.close_all(r);
  EXPECT_EQ(r.trend,
            (std::vector<trend_row>{row("chair-1", "s1", 10'000, series::hr, 1, 70, 70, 70),
                                    row("chair-2", "", 10'000, series::hr, 1, 90, 90, 90)}));
  EXPECT_TRUE(idle_until(100'000).trend.empty()) << "nothing left to close";
  rows again;
  k_.close_all(again);
  EXPECT_TRUE(again.empty());
}

TEST_F(keeper_test, alarm_events_are_kept_as_emitted) {
  core::engine_output out;
  core::alarm_event a;
  a.alarm_id = "chair-1:HR_HIGH:1";
  a.event_seq = 4;
  a.bed_id = "chair-1";
  auto b = a;
  b.event_seq = 5;
  b.transition = core::transition::ended;
  out.events = {a, b};
  EXPECT_EQ(take(out, 1'000).history, out.events);
}

TEST_F(keeper_test, a_session_row_on_start_on_each_change_and_with_its_end_back_in_idle) {
  const auto started = sessions({state("chair-1", "s1", phase::infusion, 1'000)}, 1'000);
  EXPECT_EQ(started.sessions, (std::vector<session_info>{info("chair-1", "s1")}));
  // The same facts again (a restart's snapshots, a pause that changes nothing kept): no row.
  EXPECT_TRUE(sessions({state("chair-1", "s1", phase::infusion, 2'000)}, 2'000).sessions.empty());

  auto stopped = state("chair-1", "s1", phase::recovery, 3'000);
  stopped.infusion_stopped_at_ms = 3'000;
  EXPECT_EQ(sessions({stopped}, 3'000).sessions,
            (std::vector<session_info>{info("chair-1", "s1", 0, 3'000)}));

  auto idle = state("chair-1", "", phase::idle, 9'000);
  const auto ended = sessions({idle}, 9'000);
  EXPECT_EQ(ended.sessions, (std::vector<session_info>{info("chair-1", "s1", 9'000, 3'000)}));
  EXPECT_TRUE(sessions({idle}, 10'000).sessions.empty()) << "ended once";
}

TEST_F(keeper_test, a_new_session_replacing_one_ends_it_and_starts_its_own) {
  sessions({state("chair-1", "s1", phase::recovery, 1'000),
            state("chair-2", "t1", phase::infusion, 1'000)},
           1'000);
  auto next = state("chair-1", "s2", phase::infusion, 5'000);
  next.infusion_started_at_ms = 5'000;
  const auto r = sessions({next}, 5'000);
  auto second = info("chair-1", "s2");
  second.started_ms = 5'000;
  EXPECT_EQ(r.sessions, (std::vector<session_info>{info("chair-1", "s1", 5'000), second}));
  // The other bed's session goes on untouched.
  const auto other = sessions({state("chair-2", "", phase::idle, 6'000)}, 6'000);
  EXPECT_EQ(other.sessions, (std::vector<session_info>{info("chair-2", "t1", 6'000)}));
}

TEST_F(keeper_test, a_bed_idle_from_the_start_has_no_session_row_and_the_default_drug) {
  EXPECT_TRUE(sessions({state("chair-2", "", phase::idle, 1'000)}, 1'000).sessions.empty());
  auto no_drug = state("chair-2", "t9", phase::infusion, 2'000);
  no_drug.drug.clear();
  const auto r = sessions({no_drug}, 2'000);
  ASSERT_EQ(r.sessions.size(), 1u);
  EXPECT_EQ(r.sessions[0].drug, "ketamine");
}

}  // namespace
}  // namespace vigil::record
