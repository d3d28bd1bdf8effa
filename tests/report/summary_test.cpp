// record::summarize against hand-built records whose figures are worked out by hand in the
// comments: peaks and their minute, the alarm rows, clipped episodes, time in each condition.
#include "record/summary.hpp"

#include <gtest/gtest.h>

#include "ketamine_session.hpp"

namespace vigil::record {
namespace {

using core::alarm_kind;
using core::priority;
using core::transition;

constexpr core::time_ms t0 = 1'000'000'000;  // the infusion start
constexpr core::time_ms min = 60'000;

core::alarm_event ev(std::string id, std::string condition, alarm_kind k, priority p, transition t,
                     core::time_ms onset, core::time_ms at_ms, std::string text = {},
                     std::string by = {}, std::uint32_t level = 0) {
  core::alarm_event e;
  e.alarm_id = std::move(id);
  e.condition = std::move(condition);
  e.kind = k;
  e.priority = p;
  e.transition = t;
  e.onset_ms = onset;
  e.at_ms = at_ms;
  e.text = std::move(text);
  e.acknowledged_by = std::move(by);
  e.escalation_level = level;
  return e;
}

trend_point point(series s, core::time_ms at_ms, double lo, double mean, double hi) {
  return {.at_ms = at_ms, .series = s, .n = 1, .lo = lo, .mean = mean, .hi = hi};
}

session_record base() {
  session_record r;
  r.info.bed_id = "b1";
  r.info.session_id = "s1";
  r.info.planned_minutes = 45;
  r.info.started_ms = t0;
  r.until_ms = t0 + 90 * min;
  return r;
}

TEST(summary, infusion_minutes_planned_and_actual) {
  auto r = base();
  EXPECT_EQ(summarize(r).planned_minutes, 45u);
  EXPECT_FALSE(summarize(r).actual_minutes.has_value()) << "not stopped";
  r.info.stopped_ms = t0 + 47 * min + 30'000;  // 47:30
  ASSERT_TRUE(summarize(r).actual_minutes.has_value());
  EXPECT_DOUBLE_EQ(*summarize(r).actual_minutes, 47.5);
}

TEST(summary, peak_pressures_from_nibp_readings_and_arterial_bucket_highs) {
  auto r = base();
  r.trend = {
      point(series::nibp_sys, t0 + 5 * min, 150, 150, 150),
      point(series::nibp_dia, t0 + 5 * min, 99, 99, 99),
      // The arterial bucket's mean is lower than the NIBP reading, its hi higher: hi counts.
      point(series::art_sys, t0 + 12 * min + 40'000, 140, 148, 171),
      point(series::art_dia, t0 + 12 * min + 40'000, 80, 85, 92),
      point(series::nibp_sys, t0 + 20 * min + 59'000, 171, 171, 171),  // a tie: the first stays
      point(series::nibp_mean, t0 + 21 * min, 300, 300, 300),          // MAP is not a peak
  };
  const auto s = summarize(r);
  ASSERT_TRUE(s.peak_systolic && s.peak_diastolic);
  EXPECT_EQ(
      *s.peak_systolic,
      (bp_peak{
          .mmhg = 171, .at_ms = t0 + 12 * min + 40'000, .minute = 12, .source = series::art_sys}));
  EXPECT_EQ(*s.peak_diastolic,
            (bp_peak{.mmhg = 99, .at_ms = t0 + 5 * min, .minute = 5, .source = series::nibp_dia}));
}

TEST(summary, no_blood_pressure_no_peaks) {
  auto r = base();
  r.trend = {point(series::hr, t0, 60, 70, 80)};
  EXPECT_FALSE(summarize(r).peak_systolic);
  EXPECT_FALSE(summarize(r).peak_diastolic);
}

TEST(summary, one_row_per_alarm_with_highest_priority_first_ack_and_end) {
  auto r = base();
  const auto a = "b1:SBP_HIGH:1";
  r.events = {
      ev(a, "SBP_HIGH", alarm_kind::physiological, priority::medium, transition::raised,
         t0 + 10 * min, t0 + 10 * min, "SBP 165 raised"),
      ev("b1:HR_HIGH:1", "HR_HIGH", alarm_kind::physiological, priority::medium, transition::raised,
         t0 + 11 * min, t0 + 11 * min, "HR 125"),
      ev(a, "SBP_HIGH", alarm_kind::physiological, priority::high, transition::escalated,
         t0 + 10 * min, t0 + 12 * min, "SBP 183", {}, 0),
      ev(a, "SBP_HIGH", alarm_kind::physiological, priority::high, transition::escalated,
         t0 + 10 * min, t0 + 14 * min, "to charge nurse", {}, 1),
      ev(a, "SBP_HIGH", alarm_kind::physiological, priority::high, transition::acknowledged,
         t0 + 10 * min, t0 + 15 * min, "ack", "nurse Ada", 1),
      ev(a, "SBP_HIGH", alarm_kind::physiological, priority::high, transition::acknowledged,
         t0 + 10 * min, t0 + 16 * min, "ack again", "nurse Ben", 1),
      ev(a, "SBP_HIGH", alarm_kind::physiological, priority::high, transition::ended, t0 + 10 * min,
         t0 + 20 * min, "ended", "nurse Ben", 1),
      ev("b1:PLANNED_DURATION_REACHED:1", "PLANNED_DURATION_REACHED", alarm_kind::notice,
         priority::low, transition::notice, t0 + 45 * min, t0 + 45 * min, "Planned 45 min reached"),
  };
  const auto s = summarize(r);
  ASSERT_EQ(s.alarms.size(), 2u) << "the notice is not an alarm row";
  EXPECT_EQ(s.alarms[0], (alarm_row{.alarm_id = a,
                                    .condition = "SBP_HIGH",
                                    .kind = alarm_kind::physiological,
                                    .priority = priority::high,
                                    .raised_ms = t0 + 10 * min,
                                    .text = "SBP 165 raised",
                                    .acknowledged_by = "nurse Ada",
                                    .acknowledged_ms = t0 + 15 * min,
                                    .ended_ms = t0 + 20 * min,
                                    .escalation_level = 1}));
  EXPECT_EQ(s.alarms[1].condition, "HR_HIGH");
  EXPECT_EQ(s.alarms[1].priority, priority::medium);
  EXPECT_FALSE(s.alarms[1].acknowledged_ms);
  EXPECT_FALSE(s.alarms[1].ended_ms);
  ASSERT_EQ(s.notices.size(), 1u);
  EXPECT_EQ(s.notices[0], (notice_row{.condition = "PLANNED_DURATION_REACHED",
                                      .at_ms = t0 + 45 * min,
                                      .text = "Planned 45 min reached"}));
}

TEST(summary, time_in_condition_sums_spans_clipped_to_the_record) {
  auto r = base();  // the record: [t0, t0 + 90 min]
  r.events = {
      // Raised 2 min before the start, ended at 3:00: counts 3:00 from the start.
      ev("b1:MONITOR_OFFLINE:1", "MONITOR_OFFLINE", alarm_kind::technical, priority::low,
         transition::raised, t0 - 2 * min, t0 - 2 * min),
      ev("b1:MONITOR_OFFLINE:1", "MONITOR_OFFLINE", alarm_kind::technical, priority::low,
         transition::ended, t0 - 2 * min, t0 + 3 * min),
      // Two HR_HIGH alarms: 10:00-12:30 (2:30) and 80:00 open to the end (10:00): 12:30.
      ev("b1:HR_HIGH:1", "HR_HIGH", alarm_kind::physiological, priority::medium, transition::raised,
         t0 + 10 * min, t0 + 10 * min),
      ev("b1:HR_HIGH:1", "HR_HIGH", alarm_kind::physiological, priority::medium, transition::ended,
         t0 + 10 * min, t0 + 12 * min + 30'000),
      ev("b1:HR_HIGH:2", "HR_HIGH", alarm_kind::physiological, priority::high, transition::raised,
         t0 + 80 * min, t0 + 80 * min),
      // Wholly before the start: no time, no episode, but its row is in the table.
      ev("b1:SBP_LOW:1", "SBP_LOW", alarm_kind::physiological, priority::medium, transition::raised,
         t0 - 9 * min, t0 - 9 * min),
      ev("b1:SBP_LOW:1", "SBP_LOW", alarm_kind::physiological, priority::medium, transition::ended,
         t0 - 9 * min, t0 - 8 * min),
  };
  const auto s = summarize(r);
  EXPECT_EQ(s.time_in_condition,
            (std::vector<condition_time>{
                {"HR_HIGH", 12 * min + 30'000}, {"MONITOR_OFFLINE", 3 * min}, {"SBP_LOW", 0}}));
  ASSERT_EQ(s.episodes.size(), 3u);
  EXPECT_EQ(s.episodes[0], (episode{.alarm_id = "b1:MONITOR_OFFLINE:1",
                                    .condition = "MONITOR_OFFLINE",
                                    .priority = priority::low,
                                    .begin_ms = t0,
                                    .end_ms = t0 + 3 * min,
                                    .ended = true}));
  EXPECT_EQ(s.episodes[2], (episode{.alarm_id = "b1:HR_HIGH:2",
                                    .condition = "HR_HIGH",
                                    .priority = priority::high,
                                    .begin_ms = t0 + 80 * min,
                                    .end_ms = t0 + 90 * min,
                                    .ended = false}));
  EXPECT_EQ(s.alarms.front().condition, "SBP_LOW") << "rows by onset";
}

TEST(summary, minute_of_rounds_down_before_and_after_the_start) {
  session_info info;
  info.started_ms = t0;
  EXPECT_EQ(minute_of(info, t0), 0);
  EXPECT_EQ(minute_of(info, t0 + min - 1), 0);
  EXPECT_EQ(minute_of(info, t0 + 40 * min + 20'000), 40);
  EXPECT_EQ(minute_of(info, t0 - 1), -1);
  EXPECT_EQ(minute_of(info, t0 - min), -1);
  EXPECT_EQ(minute_of(info, t0 - min - 1), -2);
}

// The figures of the session the PDF test renders (ketamine_session.hpp).
TEST(summary, the_hand_written_ketamine_session) {
  const auto r = test::ketamine_session();
  const auto s = summarize(r);
  EXPECT_DOUBLE_EQ(*s.actual_minutes, 41.5);
  ASSERT_TRUE(s.peak_systolic && s.peak_diastolic);
  EXPECT_EQ(s.peak_systolic->mmhg, 186);
  EXPECT_EQ(s.peak_systolic->minute, 40);
  EXPECT_EQ(s.peak_systolic->at_ms, test::at(40, 20));
  // 96 at 38:20, 40:20 and 42:20: the first.
  EXPECT_EQ(s.peak_diastolic->mmhg, 96);
  EXPECT_EQ(s.peak_diastolic->minute, 38);
  ASSERT_EQ(s.alarms.size(), 3u);
  EXPECT_EQ(s.alarms[0].condition, "SBP_HIGH");
  EXPECT_EQ(s.alarms[0].priority, priority::high);
  EXPECT_EQ(s.alarms[0].acknowledged_by, "nurse Ada");
  EXPECT_EQ(s.alarms[0].acknowledged_ms, test::at(37, 5));
  EXPECT_EQ(s.alarms[0].ended_ms, test::at(55, 20));
  EXPECT_EQ(s.alarms[0].text, "SBP 164 mmHg \u2265 160 at 30:20 into infusion");
  EXPECT_EQ(s.time_in_condition,
            (std::vector<condition_time>{
                {"HR_SIGNAL_LOST", 40'000}, {"SBP_HIGH", 25 * min}, {"SBP_RISE", 17 * min}}));
  ASSERT_EQ(s.notices.size(), 1u);
}

}  // namespace
}  // namespace vigil::record
