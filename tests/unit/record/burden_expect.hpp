// Expectations on one row of burden figures, written out in full by the tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "record/burden.hpp"

namespace vigil::record::testing {

struct counts {
  std::uint32_t alarms;
  std::uint32_t in_session;
  std::uint32_t idle;
  std::uint32_t rose;
  std::uint32_t acked;
  std::uint32_t nuisance;
  std::uint32_t escalations;
  std::uint32_t notices;
};

struct measures {
  std::optional<double> per_bed_hour;
  std::optional<double> share_acked;
  std::optional<double> ack_median_s;
  std::optional<double> ack_p90_s;
  std::optional<double> share_nuisance;
  double minutes;
  std::vector<std::uint32_t> levels;
};

inline void expect_near(const std::optional<double>& actual, const std::optional<double>& want,
                        const char* what) {
  SCOPED_TRACE(what);
  ASSERT_EQ(actual.has_value(), want.has_value());
  if (want) {
    EXPECT_NEAR(*actual, *want, 1e-9);
  }
}

inline void expect_figures(const burden_figures& f, const counts& c, const measures& m) {
  EXPECT_EQ(f.alarms, c.alarms);
  EXPECT_EQ(f.in_session, c.in_session);
  EXPECT_EQ(f.idle, c.idle);
  EXPECT_EQ(f.priority_rose, c.rose);
  EXPECT_EQ(f.acknowledged, c.acked);
  EXPECT_EQ(f.nuisance, c.nuisance);
  EXPECT_EQ(f.escalations, c.escalations);
  EXPECT_EQ(f.notices, c.notices);
  expect_near(f.per_bed_hour, m.per_bed_hour, "per_bed_hour");
  expect_near(f.share_acknowledged, m.share_acked, "share_acknowledged");
  expect_near(f.ack_median_s, m.ack_median_s, "ack_median_s");
  expect_near(f.ack_p90_s, m.ack_p90_s, "ack_p90_s");
  expect_near(f.share_nuisance, m.share_nuisance, "share_nuisance");
  EXPECT_NEAR(f.minutes_in_alarm, m.minutes, 1e-9);
  EXPECT_EQ(f.escalations_by_level, m.levels);
}

inline void expect_row(const burden_row& row, const std::string& condition, core::priority p,
                       const counts& c, const measures& m) {
  SCOPED_TRACE(condition + " " + std::to_string(static_cast<int>(p)));
  EXPECT_EQ(row.condition, condition);
  EXPECT_EQ(row.priority, p);
  expect_figures(row.figures, c, m);
}

}  // namespace vigil::record::testing
