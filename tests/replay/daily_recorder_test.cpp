// vigild's live recording: one file per bed per UTC day, restarts never append.
#include <gtest/gtest.h>

#include "io/daily_recorder.hpp"
#include "temp_dir.hpp"

namespace vigil::io {
namespace {

constexpr core::time_ms nov_14_2023_22h13 = 1'700'000'000'000;  // 2023-11-14T22:13:20Z
constexpr core::time_ms nov_15_2023 = 1'700'006'400'000;        // 2023-11-15T00:00:00Z

struct summary {
  std::vector<core::time_ms> times;
  std::optional<core::time_ms> end;
  std::string source;
  bool ok = false;
};

summary read_summary(const std::filesystem::path& p) {
  summary s;
  recording_reader r;
  if (!r.open(p)) return s;
  s.source = r.header().source;
  while (auto f = r.next()) {
    if (f->kind == frame_kind::end) {
      s.end = f->time;
    } else {
      s.times.push_back(f->time);
    }
  }
  s.ok = !r.error();
  return s;
}

TEST(daily_recorder_test, path_is_dir_then_utc_date_then_bed) {
  EXPECT_EQ(daily_recorder::path_for("/rec", "bed-7", nov_14_2023_22h13),
            std::filesystem::path("/rec/2023-11-14/bed-7.rec"));
  EXPECT_EQ(daily_recorder::path_for("/rec", "bed-7", nov_15_2023 - 1),
            std::filesystem::path("/rec/2023-11-14/bed-7.rec"));
  EXPECT_EQ(daily_recorder::path_for("/rec", "bed-7", nov_15_2023),
            std::filesystem::path("/rec/2023-11-15/bed-7.rec"));
}

TEST(daily_recorder_test, each_bed_gets_its_own_file) {
  test::temp_dir dir;
  {
    daily_recorder rec(dir.path(), "test");
    ASSERT_FALSE(rec.append("a", nov_14_2023_22h13, "clinic/beds/a/vitals/heart_rate", "1"));
    ASSERT_FALSE(rec.append("b", nov_14_2023_22h13 + 1, "clinic/beds/b/vitals/heart_rate", "2"));
    ASSERT_FALSE(rec.append("a", nov_14_2023_22h13 + 2, "clinic/beds/a/vitals/heart_rate", "3"));
    ASSERT_FALSE(rec.close_all(nov_14_2023_22h13 + 10));
  }
  const auto a = read_summary(daily_recorder::path_for(dir.path(), "a", nov_14_2023_22h13));
  const auto b = read_summary(daily_recorder::path_for(dir.path(), "b", nov_14_2023_22h13));
  ASSERT_TRUE(a.ok && b.ok);
  EXPECT_EQ(a.times, (std::vector<core::time_ms>{nov_14_2023_22h13, nov_14_2023_22h13 + 2}));
  EXPECT_EQ(b.times, (std::vector<core::time_ms>{nov_14_2023_22h13 + 1}));
  EXPECT_EQ(a.end, nov_14_2023_22h13 + 10);
  EXPECT_EQ(a.source, "test bed a");
}

TEST(daily_recorder_test, a_new_utc_day_ends_the_old_file_at_its_last_millisecond) {
  test::temp_dir dir;
  daily_recorder rec(dir.path(), "test");
  ASSERT_FALSE(rec.append("a", nov_15_2023 - 5, "t", "late"));
  ASSERT_FALSE(rec.append("a", nov_15_2023 + 5, "t", "early"));
  const auto old_day = read_summary(daily_recorder::path_for(dir.path(), "a", nov_15_2023 - 5));
  ASSERT_TRUE(old_day.ok);
  EXPECT_EQ(old_day.times, (std::vector<core::time_ms>{nov_15_2023 - 5}));
  EXPECT_EQ(old_day.end, nov_15_2023 - 1);
  // The new day's file is open, every frame already on disk, no end frame yet.
  const auto new_day = read_summary(daily_recorder::path_for(dir.path(), "a", nov_15_2023));
  ASSERT_TRUE(new_day.ok);
  EXPECT_EQ(new_day.times, (std::vector<core::time_ms>{nov_15_2023 + 5}));
  EXPECT_FALSE(new_day.end);
}

TEST(daily_recorder_test, restart_on_the_same_day_starts_a_new_part_and_keeps_the_first) {
  test::temp_dir dir;
  {
    daily_recorder first(dir.path(), "run 1");
    ASSERT_FALSE(first.append("a", nov_14_2023_22h13, "t", "1"));
  }  // a crash: no close
  {
    daily_recorder second(dir.path(), "run 2");
    ASSERT_FALSE(second.append("a", nov_14_2023_22h13 + 60'000, "t", "2"));
  }
  const auto day = daily_recorder::path_for(dir.path(), "a", nov_14_2023_22h13);
  auto part1 = day;
  part1.replace_filename("a+1.rec");
  const auto first = read_summary(day);
  const auto second = read_summary(part1);
  ASSERT_TRUE(first.ok && second.ok);
  EXPECT_EQ(first.times, (std::vector<core::time_ms>{nov_14_2023_22h13}));
  EXPECT_EQ(second.times, (std::vector<core::time_ms>{nov_14_2023_22h13 + 60'000}));
  EXPECT_EQ(second.source, "run 2 bed a");
}

TEST(daily_recorder_test, refuses_a_bed_id_that_would_escape_the_directory) {
  test::temp_dir dir;
  daily_recorder rec(dir.path(), "test");
  EXPECT_EQ(rec.append("../x", nov_14_2023_22h13, "t", "p"),
            std::make_error_code(std::errc::invalid_argument));
  EXPECT_EQ(rec.append("", nov_14_2023_22h13, "t", "p"),
            std::make_error_code(std::errc::invalid_argument));
}

}  // namespace
}  // namespace vigil::io
