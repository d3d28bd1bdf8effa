// io::log_limiter: a flood of one kind of bad input logs a few lines and then a count.
#include <gtest/gtest.h>

#include "io/logging.hpp"

namespace vigil::io {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

TEST(log_limiter_test, logs_the_first_burst_of_a_window_then_suppresses) {
  log_limiter limiter(3, 60s);
  const clock::time_point t0{};
  EXPECT_TRUE(limiter.admit("bad_topic", t0));
  EXPECT_TRUE(limiter.admit("bad_topic", t0 + 1s));
  EXPECT_TRUE(limiter.admit("bad_topic", t0 + 2s));
  EXPECT_FALSE(limiter.admit("bad_topic", t0 + 3s));
  EXPECT_FALSE(limiter.admit("bad_topic", t0 + 59'999ms));
}

TEST(log_limiter_test, keys_are_limited_independently) {
  log_limiter limiter(1, 60s);
  const clock::time_point t0{};
  EXPECT_TRUE(limiter.admit("bad_topic", t0));
  EXPECT_FALSE(limiter.admit("bad_topic", t0));
  EXPECT_TRUE(limiter.admit("oversized", t0));
}

TEST(log_limiter_test, new_window_starts_after_the_window_length) {
  log_limiter limiter(1, 60s);
  const clock::time_point t0{};
  EXPECT_TRUE(limiter.admit("k", t0));
  EXPECT_FALSE(limiter.admit("k", t0 + 59'999ms));
  EXPECT_TRUE(limiter.admit("k", t0 + 60s));
}

TEST(log_limiter_test, summary_counts_suppressed_messages_once_the_window_ended) {
  log_limiter limiter(1, 60s);
  const clock::time_point t0{};
  limiter.admit("k", t0);
  limiter.admit("k", t0 + 1s);
  limiter.admit("k", t0 + 2s);
  EXPECT_TRUE(limiter.take_summaries(t0 + 59s).empty()) << "summarised a window still open";
  const auto s = limiter.take_summaries(t0 + 60s);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].key, "k");
  EXPECT_EQ(s[0].suppressed, 2u);
  EXPECT_TRUE(limiter.take_summaries(t0 + 200s).empty()) << "reported twice";
}

TEST(log_limiter_test, quiet_keys_give_no_summary) {
  log_limiter limiter(5, 60s);
  const clock::time_point t0{};
  limiter.admit("k", t0);
  EXPECT_TRUE(limiter.take_summaries(t0 + 120s).empty());
}

}  // namespace
}  // namespace vigil::io
