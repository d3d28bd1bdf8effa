// The alarm burden of the hand-written week (burden_week.hpp). Every expected figure is worked
// out by hand from the alarm list there; the arithmetic is in the comments.
#include <gtest/gtest.h>

#include <algorithm>

#include "burden_expect.hpp"
#include "burden_week.hpp"
#include "record/burden.hpp"

namespace vigil::record::testing {
namespace {

using P = core::priority;

burden_report week() { return compute_burden(week_history(), week_sessions(), T0, week_end, {}); }

TEST(burden_week_test, bed_hours_count_the_sessions_inside_the_week) {
  const auto r = week();
  // S0 1 + S1 2 + S2 2 + S3 1.5 + S4 2 + S5 2 + S6 2 + S7 1.5 + S8 1.5 + S9 2 = 17.5 h; S10
  // and S11 lie outside: 10 sessions.
  EXPECT_DOUBLE_EQ(r.bed_hours, 17.5);
  EXPECT_EQ(r.sessions, 10u);
  EXPECT_EQ(r.since_ms, T0);
  EXPECT_EQ(r.until_ms, week_end);
  EXPECT_FALSE(r.bed.has_value());
}

TEST(burden_week_test, totals) {
  // 22 raised (A2-A16, A18-A24); idle A7, A24: 2; in session 20: 20 / 17.5 = 1.1429 per bed-h.
  // Rose: A4, A13, A14, A16, A23 = 5. Acked 15 of 22 = 0.6818 (not A3 A5 A7 A11 A15 A16 A19).
  // Delays sorted: 15 20 30 35 40 45 50 60 80 90 150 160 180 210 270 (n = 15): median rank
  // ceil(7.5) = 8 -> 60 s; p90 rank ceil(13.5) = 14 -> 210 s.
  // Nuisance A3 A5 A7 A11 A15 A19 = 6 of 22 = 0.2727.
  // Escalations: A1 L2; A4 L1; A9 L1 L2; A13 L1 L2; A14 L0; A16 L1 L2; A23 L1 L2 L3 = 12:
  // L0 1, L1 5, L2 5, L3 1.
  // Minutes: 20+3+10+3+15+5+3+15+4+2+10+2+10+1+5+20+1 = 129, and 20+15+25+10+30+20 s = 2 min:
  // 131. Notices N1 N2 N3 = 3.
  expect_figures(week().total, {22, 20, 2, 5, 15, 6, 12, 3},
                 {20 / 17.5, 15.0 / 22, 60, 210, 6.0 / 22, 131, {1, 5, 5, 1}});
}

TEST(burden_week_test, every_condition_and_priority) {
  const auto r = week();
  ASSERT_EQ(r.cells.size(), 11u);  // by condition name, HIGH first
  const measures none_raised{0 / 17.5, {}, {}, {}, {}, 0, {}};
  // N2
  expect_row(r.cells[0], "BASELINE_BP_ELEVATED", P::low, {0, 0, 0, 0, 0, 0, 0, 1}, none_raised);
  // A9 A14 A16 A22 A24: idle A24; rose A14 A16; acked A9 160, A14 35, A22 80, A24 15: 4 of 5;
  // sorted 15 35 80 160: median rank 2 -> 35, p90 rank ceil(3.6) = 4 -> 160;
  // L0 A14, L1 A9 A16, L2 A9 A16; 5 + 2 + 10 + 5 + 1 = 23 min.
  expect_row(r.cells[1], "HR_HIGH", P::high, {5, 4, 1, 2, 4, 0, 5, 0},
             {4 / 17.5, 0.8, 35, 160, 0, 23, {1, 2, 2}});
  // A2 A3 A7 A10 A11 A18: idle A7; acked A2 45, A10 20, A18 30: 3 of 6; sorted 20 30 45:
  // median rank 2 -> 30, p90 rank 3 -> 45; nuisance A3 A7 A11; 180+20+25+180+10+120 = 535 s.
  expect_row(r.cells[2], "HR_HIGH", P::medium, {6, 5, 1, 0, 3, 3, 0, 0},
             {5 / 17.5, 0.5, 30, 45, 0.5, 535 / 60.0, {}});
  // A5 (nuisance, 15 s) A21 (ack 40 s, 60 s): 75 s.
  expect_row(r.cells[3], "HR_SIGNAL_LOST", P::medium, {2, 2, 0, 0, 1, 1, 0, 0},
             {2 / 17.5, 0.5, 40, 40, 0.5, 1.25, {}});
  // A6: latched, its acknowledgement (ENDED) 180 s after onset; 3 min.
  expect_row(r.cells[4], "MAP_LOW", P::high, {1, 1, 0, 0, 1, 0, 0, 0},
             {1 / 17.5, 1, 180, 180, 0, 3, {}});
  // A19: nuisance, 20 s.
  expect_row(r.cells[5], "MAP_LOW", P::medium, {1, 1, 0, 0, 0, 1, 0, 0},
             {1 / 17.5, 0, {}, {}, 1, 20 / 60.0, {}});
  // A13: rose; L1 L2; ack 210 s; 4 min.
  expect_row(r.cells[6], "NIBP_OVERDUE", P::high, {1, 1, 0, 1, 1, 0, 2, 0},
             {1 / 17.5, 1, 210, 210, 0, 4, {0, 1, 1}});
  // N1 N3
  expect_row(r.cells[7], "PLANNED_DURATION_REACHED", P::low, {0, 0, 0, 0, 0, 0, 0, 2}, none_raised);
  // A4 A20 A23 raised (A1 only in alarm); rose A4 A23; acked 150 50 270: sorted 50 150 270:
  // median rank 2 -> 150, p90 rank 3 -> 270; A1 L2, A4 L1, A23 L1 L2 L3: L1 2, L2 2, L3 1;
  // 20 + 10 + 10 + 20 = 60 min.
  expect_row(r.cells[8], "SBP_HIGH", P::high, {3, 3, 0, 2, 3, 0, 5, 0},
             {3 / 17.5, 1, 150, 270, 0, 60, {0, 2, 2, 1}});
  // A8 (ack 90 s, 15 min) A15 (nuisance at exactly 30 s): 15.5 min.
  expect_row(r.cells[9], "SBP_HIGH", P::medium, {2, 2, 0, 0, 1, 1, 0, 0},
             {2 / 17.5, 0.5, 90, 90, 0.5, 15.5, {}});
  // A12: ack 60 s; 15 min.
  expect_row(r.cells[10], "SBP_RISE", P::medium, {1, 1, 0, 0, 1, 0, 0, 0},
             {1 / 17.5, 1, 60, 60, 0, 15, {}});
}

TEST(burden_week_test, by_condition) {
  const auto r = week();
  ASSERT_EQ(r.by_condition.size(), 8u);
  const auto row = [&](std::size_t i) { return r.by_condition[i]; };
  EXPECT_EQ(row(0).condition, "BASELINE_BP_ELEVATED");
  EXPECT_EQ(row(0).figures.notices, 1u);
  // HR_HIGH: the two cells: 11 raised, idle A7 A24, acked 7 of 11 = 0.6364; delays sorted
  // 15 20 30 35 45 80 160: median rank ceil(3.5) = 4 -> 35, p90 rank ceil(6.3) = 7 -> 160;
  // nuisance 3 of 11 = 0.2727; 23 min + 535 s = 1915 s.
  expect_row(row(1), "HR_HIGH", P::unspecified, {11, 9, 2, 2, 7, 3, 5, 0},
             {9 / 17.5, 7.0 / 11, 35, 160, 3.0 / 11, 1915 / 60.0, {1, 2, 2}});
  EXPECT_EQ(row(2).condition, "HR_SIGNAL_LOST");
  EXPECT_EQ(row(2).figures, r.cells[3].figures);
  // MAP_LOW: A6 (acked 180 s) and A19 (nuisance): 3 min + 20 s.
  expect_row(row(3), "MAP_LOW", P::unspecified, {2, 2, 0, 0, 1, 1, 0, 0},
             {2 / 17.5, 0.5, 180, 180, 0.5, 200 / 60.0, {}});
  EXPECT_EQ(row(4).condition, "NIBP_OVERDUE");
  EXPECT_EQ(row(4).figures, r.cells[6].figures);
  EXPECT_EQ(row(5).condition, "PLANNED_DURATION_REACHED");
  EXPECT_EQ(row(5).figures.notices, 2u);
  // SBP_HIGH: A4 A8 A15 A20 A23; acked 150 90 50 270: sorted 50 90 150 270: median rank 2 ->
  // 90, p90 rank 4 -> 270; 4 of 5 = 0.8; nuisance A15: 1 of 5 = 0.2; 60 + 15.5 min.
  expect_row(row(6), "SBP_HIGH", P::unspecified, {5, 5, 0, 2, 4, 1, 5, 0},
             {5 / 17.5, 0.8, 90, 270, 0.2, 75.5, {0, 2, 2, 1}});
  EXPECT_EQ(row(7).condition, "SBP_RISE");
  EXPECT_EQ(row(7).figures, r.cells[10].figures);
}

TEST(burden_week_test, by_priority) {
  const auto r = week();
  ASSERT_EQ(r.by_priority.size(), 3u);
  // HIGH: 5 + 1 + 1 + 3 = 10 raised, idle A24; rose A4 A13 A14 A16 A23; acked 9 of 10 (not
  // A16); delays sorted 15 35 50 80 150 160 180 210 270: median rank ceil(4.5) = 5 -> 150, p90
  // rank ceil(8.1) = 9 -> 270; every escalation; 23 + 3 + 4 + 60 = 90 min.
  expect_row(r.by_priority[0], "", P::high, {10, 9, 1, 5, 9, 0, 12, 0},
             {9 / 17.5, 0.9, 150, 270, 0, 90, {1, 5, 5, 1}});
  // MEDIUM: 6 + 2 + 1 + 2 + 1 = 12, idle A7; acked 45 20 30 40 90 60: sorted 20 30 40 45 60 90:
  // median rank 3 -> 40, p90 rank ceil(5.4) = 6 -> 90; nuisance all 6: 0.5;
  // 535 + 75 + 20 + 930 + 900 = 2460 s = 41 min.
  expect_row(r.by_priority[1], "", P::medium, {12, 11, 1, 0, 6, 6, 0, 0},
             {11 / 17.5, 0.5, 40, 90, 0.5, 41, {}});
  expect_row(r.by_priority[2], "", P::low, {0, 0, 0, 0, 0, 0, 0, 3},
             {0 / 17.5, {}, {}, {}, {}, 0, {}});
}

TEST(burden_week_test, the_order_of_the_history_does_not_matter) {
  auto history = week_history();
  std::reverse(history.begin(), history.end());
  EXPECT_EQ(compute_burden(history, week_sessions(), T0, week_end, {}), week());
}

TEST(burden_week_test, one_bed) {
  const auto r = compute_burden(week_history(), week_sessions(), T0, week_end, "bay2");
  EXPECT_EQ(r.bed, "bay2");
  // S2 2 + S5 2 + S8 1.5 = 5.5 h (S11 before the week).
  EXPECT_DOUBLE_EQ(r.bed_hours, 5.5);
  EXPECT_EQ(r.sessions, 3u);
  // A10 A11 A12 A13 A14 A15 A16 (A0, HR_LOW, ended before the week): 7, all in session:
  // 7 / 5.5 = 1.2727. Rose A13 A14 A16. Acked A10 20, A12 60, A13 210, A14 35: 4 of 7; sorted
  // 20 35 60 210: median rank 2 -> 35, p90 rank 4 -> 210. Nuisance A11 A15: 2 of 7.
  // A13 L1 L2, A14 L0, A16 L1 L2. 180 + 10 + 900 + 240 + 120 + 30 + 600 = 2080 s. N2.
  expect_figures(r.total, {7, 7, 0, 3, 4, 2, 5, 1},
                 {7 / 5.5, 4.0 / 7, 35, 210, 2.0 / 7, 2080 / 60.0, {1, 2, 2}});
  ASSERT_EQ(r.cells.size(), 6u);
  EXPECT_EQ(r.cells[0].condition, "BASELINE_BP_ELEVATED");
  // A14 (ack 35 s, 2 min, L0) A16 (open at the end, 10 min, L1 L2): 1 + 2 = 3 escalations.
  expect_row(r.cells[1], "HR_HIGH", P::high, {2, 2, 0, 2, 1, 0, 3, 0},
             {2 / 5.5, 0.5, 35, 35, 0, 12, {1, 1, 1}});
  // A10 (ack 20 s, 3 min) A11 (nuisance, 10 s).
  expect_row(r.cells[2], "HR_HIGH", P::medium, {2, 2, 0, 0, 1, 1, 0, 0},
             {2 / 5.5, 0.5, 20, 20, 0.5, 190 / 60.0, {}});
  EXPECT_EQ(r.cells[3].condition, "NIBP_OVERDUE");
  EXPECT_EQ(r.cells[4].condition, "SBP_HIGH");
  EXPECT_EQ(r.cells[5].condition, "SBP_RISE");
  for (const auto& c : r.by_condition) EXPECT_NE(c.condition, "HR_LOW");
}

TEST(burden_week_test, a_day_cuts_an_alarm_open_across_its_start) {
  const auto r = compute_burden(week_history(), week_sessions(), T0, T0 + day_ms, {});
  // S0 1 h + S1 2 h.
  EXPECT_DOUBLE_EQ(r.bed_hours, 3);
  EXPECT_EQ(r.sessions, 2u);
  // A2 A3 A4 raised (A1 before): 3 / 3 h = 1. Rose A4. Acked A2 45, A4 150: 2 of 3; median
  // rank 1 -> 45, p90 rank ceil(1.8) = 2 -> 150. Nuisance A3: 1 of 3. A1 L2 (at T0), A4 L1.
  // 20 (A1) + 3 + 1/3 + 10 min = 2000 s. N1.
  expect_figures(r.total, {3, 3, 0, 1, 2, 1, 2, 1},
                 {1, 2.0 / 3, 45, 150, 1.0 / 3, 2000 / 60.0, {0, 1, 1}});
}

}  // namespace
}  // namespace vigil::record::testing
