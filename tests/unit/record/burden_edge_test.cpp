// The alarm burden's edges: an empty window, no sessions, a bed with nothing, the nearest-rank
// percentiles with few samples, alarms known only by their later events, the nuisance limit.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "burden_expect.hpp"
#include "burden_week.hpp"
#include "record/burden.hpp"
#include "record/burden_format.hpp"

namespace vigil::record::testing {
namespace {

using P = core::priority;

const measures nothing{{}, {}, {}, {}, {}, 0, {}};

TEST(burden_edge_test, an_empty_or_reversed_window_has_no_figures) {
  const std::vector<std::pair<time_ms, time_ms>> windows{{at(1, 10, 0), at(1, 10, 0)},
                                                         {week_end, T0}};
  for (const auto& [since, until] : windows) {
    const auto r = compute_burden(week_history(), week_sessions(), since, until, {});
    EXPECT_EQ(r.bed_hours, 0);
    EXPECT_EQ(r.sessions, 0u);
    EXPECT_TRUE(r.cells.empty());
    EXPECT_TRUE(r.by_condition.empty());
    EXPECT_TRUE(r.by_priority.empty());
    expect_figures(r.total, {0, 0, 0, 0, 0, 0, 0, 0}, nothing);
  }
}

TEST(burden_edge_test, without_sessions_the_rate_is_absent_not_infinite) {
  const auto r = compute_burden(week_history(), {}, T0, week_end, {});
  EXPECT_EQ(r.bed_hours, 0);
  // The rest as in the week: 22 raised, 15 acked (median 60 s, p90 210 s), 6 nuisance, 131 min.
  expect_figures(r.total, {22, 20, 2, 5, 15, 6, 12, 3},
                 {{}, 15.0 / 22, 60, 210, 6.0 / 22, 131, {1, 5, 5, 1}});
  for (const auto* rows : {&r.cells, &r.by_condition, &r.by_priority})
    for (const auto& row : *rows) EXPECT_FALSE(row.figures.per_bed_hour) << row.condition;
  for (const auto& text : {format_json(r), format_csv(r)}) {
    EXPECT_EQ(text.find("inf"), std::string::npos);
    EXPECT_EQ(text.find("nan"), std::string::npos);
  }
  EXPECT_NE(format_json(r).find("\"per_bed_hour\":null"), std::string::npos);
}

TEST(burden_edge_test, a_bed_with_nothing) {
  const auto r = compute_burden(week_history(), week_sessions(), T0, week_end, "bay9");
  EXPECT_EQ(r.bed_hours, 0);
  EXPECT_TRUE(r.cells.empty());
  expect_figures(r.total, {0, 0, 0, 0, 0, 0, 0, 0}, nothing);
}

TEST(burden_edge_test, nearest_rank_with_few_samples) {
  EXPECT_FALSE(nearest_rank({}, 50));
  EXPECT_EQ(nearest_rank({7}, 50), 7);            // rank ceil(0.5) = 1
  EXPECT_EQ(nearest_rank({7}, 90), 7);            // rank ceil(0.9) = 1
  EXPECT_EQ(nearest_rank({10, 20}, 50), 10);      // rank ceil(1.0) = 1: no averaging
  EXPECT_EQ(nearest_rank({10, 20}, 90), 20);      // rank ceil(1.8) = 2
  EXPECT_EQ(nearest_rank({10, 20, 30}, 50), 20);  // rank ceil(1.5) = 2
  EXPECT_EQ(nearest_rank({10, 20, 30}, 90), 30);  // rank ceil(2.7) = 3
  const std::vector<double> ten{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_EQ(nearest_rank(ten, 50), 5);  // rank 5
  EXPECT_EQ(nearest_rank(ten, 90), 9);  // rank 9
  EXPECT_EQ(nearest_rank(ten, 1), 1);   // rank ceil(0.1) = 1
  EXPECT_EQ(nearest_rank(ten, 100), 10);
  std::vector<double> twenty;
  for (int i = 1; i <= 20; ++i) twenty.push_back(i);
  EXPECT_EQ(nearest_rank(twenty, 90), 18);  // rank 18
  EXPECT_EQ(nearest_rank(twenty, 50), 10);  // rank 10
}

TEST(burden_edge_test, one_acknowledged_alarm_is_its_own_median_and_p90) {
  history_builder h;
  h.raise("bay1:HR_HIGH:1", at(0, 9, 30), P::medium).ack(at(0, 9, 30, 12)).end(at(0, 9, 35));
  const auto r =
      compute_burden(h.events, {session("bay1", at(0, 9, 0), at(0, 11, 0))}, T0, T0 + day_ms, {});
  // 1 in 2 h = 0.5 per bed-h; acked at 12 s; 5 min.
  expect_figures(r.total, {1, 1, 0, 0, 1, 0, 0, 0}, {0.5, 1, 12, 12, 0, 5, {}});
}

TEST(burden_edge_test, an_alarm_known_only_by_its_later_events) {
  // Raised (HIGH) 10 min before the window; the history holds its later events only.
  history_builder h;
  h.raise("bay1:HR_HIGH:7", T0 - 10 * 60'000, P::medium)
      .escalate(T0 + 60'000, 1)
      .ack(T0 + 120'000)
      .end(T0 + 300'000);
  h.events.erase(h.events.begin());
  const auto r = compute_burden(h.events, {session("bay1", T0 - hour_ms, T0 + 2 * hour_ms)}, T0,
                                T0 + hour_ms, {});
  // Not raised in the window: no alarm, no acknowledgement; in alarm T0 .. T0 + 5 min; its L1.
  ASSERT_EQ(r.cells.size(), 1u);
  expect_row(r.cells[0], "HR_HIGH", P::high, {0, 0, 0, 0, 0, 0, 1, 0},
             {0.0, {}, {}, {}, {}, 5, {0, 1}});
}

TEST(burden_edge_test, a_latched_alarm_returning_in_the_window_is_not_raised_in_it) {
  history_builder h;
  h.raise("bay1:HR_LOW:1", T0 - 5 * 60'000, P::high)
      .latch(T0 - 4 * 60'000)
      .raise_again(T0 + 60'000)
      .latch(T0 + 90'000)
      .end_by_ack(T0 + 180'000);
  const auto r = compute_burden(h.events, {}, T0, T0 + hour_ms, {});
  // Its RAISED at T0 + 1 min is a return, not an onset: 0 raised; in alarm T0 .. T0 + 3 min.
  expect_figures(r.total, {0, 0, 0, 0, 0, 0, 0, 0}, {{}, {}, {}, {}, {}, 3, {}});
}

TEST(burden_edge_test, nuisance_is_at_most_30_s_and_never_acknowledged) {
  history_builder h;
  h.raise("bay1:HR_HIGH:1", at(0, 9, 10), P::medium).end(at(0, 9, 10, 30) + 1);  // 30.001 s
  h.raise("bay1:HR_HIGH:2", at(0, 9, 20), P::medium)                             // acked
      .ack(at(0, 9, 20, 10))
      .end(at(0, 9, 20, 20));
  h.raise("bay1:HR_HIGH:3", at(0, 9, 30), P::medium).end(at(0, 9, 30, 29));  // nuisance
  h.raise("bay1:HR_HIGH:4", at(0, 9, 40), P::high)  // latched, acknowledged 25 s in
      .latch(at(0, 9, 40, 5))
      .end_by_ack(at(0, 9, 40, 25));
  const auto r =
      compute_burden(h.events, {session("bay1", at(0, 9, 0), at(0, 10, 0))}, T0, T0 + day_ms, {});
  // 4 in 1 h; acked :2 (10 s) and :4 (25 s): median rank 1 -> 10, p90 rank 2 -> 25; nuisance
  // :3 only, 1 of 4; 30.001 + 20 + 29 + 25 s = 104.001 s.
  expect_figures(r.total, {4, 4, 0, 0, 2, 1, 0, 0}, {4, 0.5, 10, 25, 0.25, 104.001 / 60, {}});
}

TEST(burden_edge_test, notices_are_never_alarms) {
  history_builder h;
  h.notice("bay1:PLANNED_DURATION_REACHED:1", at(0, 9, 45));
  h.notice("bay1:BASELINE_BP_ELEVATED:1", at(0, 9, 0));
  h.events.back().kind = core::alarm_kind::unspecified;  // a NOTICE transition is enough
  const auto r = compute_burden(h.events, {}, T0, T0 + day_ms, {});
  expect_figures(r.total, {0, 0, 0, 0, 0, 0, 0, 2}, nothing);
  ASSERT_EQ(r.cells.size(), 2u);
  EXPECT_EQ(r.cells[0].priority, P::low);
}

}  // namespace
}  // namespace vigil::record::testing
