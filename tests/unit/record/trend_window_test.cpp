// record::trend_window: a bed's trend for a central station's tile, by hand.
#include <gtest/gtest.h>

#include "record/trend_window.hpp"

namespace vigil::record {
namespace {

constexpr core::time_ms t0 = 1'764'583'200'000;  // 2025-12-01 10:00:00 UTC, a whole minute

trend_point hr(core::time_ms at, std::uint32_t n, double lo, double mean, double hi) {
  return {at, series::hr, n, lo, mean, hi};
}
trend_point sys(core::time_ms at, double v) { return {at, series::nibp_sys, 1, v, v, v}; }

session_info session_from(core::time_ms started) {
  session_info s;
  s.bed_id = "b1";
  s.session_id = "s1";
  s.started_ms = started;
  return s;
}

TEST(trend_window, ten_second_buckets_merge_into_their_minute) {
  trend_window w;
  w.session(session_from(t0), t0);
  w.add(hr(t0 + 0, 10, 60, 70, 80), "s1");
  w.add(hr(t0 + 10'000, 10, 65, 76, 90), "s1");
  w.add(hr(t0 + 60'000, 5, 50, 55, 58), "s1");  // the next minute
  const auto points = w.points();               // a copy, unpacked
  ASSERT_EQ(points.size(), 2u);
  const auto& m = points[0];
  EXPECT_EQ(m.at_ms, t0);
  EXPECT_EQ(m.n, 20u);
  EXPECT_DOUBLE_EQ(m.lo, 60);
  EXPECT_DOUBLE_EQ(m.hi, 90);
  EXPECT_DOUBLE_EQ(m.mean, 73);  // (70*10 + 76*10) / 20
  EXPECT_EQ(points[1].at_ms, t0 + 60'000);
}

TEST(trend_window, nibp_readings_stay_as_they_are_in_time_order) {
  trend_window w;
  w.session(session_from(t0), t0);
  w.add(hr(t0 + 120'000, 1, 70, 70, 70), "s1");
  w.add(sys(t0 + 90'000, 150), "s1");  // written after a later bucket: sorted in
  w.add(sys(t0 + 95'000, 152), "s1");
  ASSERT_EQ(w.points().size(), 3u);
  EXPECT_EQ(w.points()[0].at_ms, t0 + 90'000);
  EXPECT_EQ(w.points()[1].at_ms, t0 + 95'000);
  EXPECT_EQ(w.points()[2].series, series::hr);
}

TEST(trend_window, a_session_starts_empty_and_idle_keeps_the_last_hour) {
  trend_window w;
  w.add(sys(t0 - 10 * 60'000, 120), "");  // before the session: the baseline cuff
  w.add(hr(t0 - 60'000, 6, 70, 70, 70), "");
  w.session(session_from(t0 - 20'000), t0);
  EXPECT_EQ(w.from_ms(), t0 - 20'000);
  EXPECT_EQ(w.session_id(), "s1");
  EXPECT_EQ(w.size(), 0u);  // IDLE's points are not the session's
  w.add(hr(t0, 6, 72, 72, 72), "s1");
  w.session(session_from(t0 - 20'000), t0 + 1);  // the same session again (a restart's rows)
  EXPECT_EQ(w.size(), 1u);

  auto ended = session_from(t0 - 20'000);
  ended.ended_ms = t0 + 90 * 60'000;
  w.add(sys(t0 + 30 * 60'000, 180), "s1");
  w.session(ended, t0 + 90 * 60'000);
  EXPECT_EQ(w.session_id(), "");
  EXPECT_EQ(w.from_ms(), t0 + 30 * 60'000);   // 60 min before now
  ASSERT_EQ(w.points().size(), 1u);           // only the NIBP of minute 30 is in the last hour
  EXPECT_DOUBLE_EQ(w.points()[0].mean, 180);  // (the HR of minute 0 went: older than an hour)
  w.trim(t0 + 91 * 60'000);
  EXPECT_TRUE(w.points().empty());
}

TEST(trend_window, a_session_takes_only_its_own_points) {
  trend_window w;
  w.session(session_from(t0), t0);
  w.add(sys(t0 + 1, 120), "");       // the baseline cuff, handled before STARTED in its batch
  w.add(sys(t0 + 2, 150), "other");  // not this session's
  w.add(sys(t0 + 3, 160), "s1");
  const auto points = w.points();
  ASSERT_EQ(points.size(), 1u);
  EXPECT_DOUBLE_EQ(points[0].mean, 160);
}

TEST(trend_window, holds_at_most_max_points) {
  trend_window w;
  w.session(session_from(t0), t0);
  for (std::size_t i = 0; i < trend_window::max_points + 10; ++i) {
    w.add(sys(t0 + static_cast<core::time_ms>(i) * 1000, 100), "s1");
  }
  EXPECT_EQ(w.points().size(), trend_window::max_points);
  EXPECT_EQ(w.points().front().at_ms, t0 + 10'000);  // the oldest went
}

}  // namespace
}  // namespace vigil::record
