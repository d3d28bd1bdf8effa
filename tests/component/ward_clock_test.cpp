// vigild's loop turns against a manual clock: an NTP step of the wall clock neither fires a
// deadline early (step forward) nor holds it late (step back); the stamps follow the new time.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "app/ward.hpp"
#include "codec/codec.hpp"
#include "codec/topics.hpp"

namespace vigil::app {
namespace {

constexpr std::int64_t t0 = 1'700'000'000'000;
constexpr std::int64_t hour = 3'600'000;
constexpr std::int64_t persistence = 10'000;  // HR_HIGH's continuous persistence, the default

struct ward_clock_test : ::testing::Test {
  io::clock_reading now{t0, 50'000};
  io::loop_clock clock{[this] { return now; }};
  ward w{core::engine_config{}, "clinic", clock};

  void pass(std::int64_t ms) {
    now.wall_ms += ms;
    now.steady_ms += ms;
  }
  template <typename Message>
  void turn_with(codec::input_kind kind, const Message& m) {
    const auto t = w.begin_turn();
    const std::vector<io::inbound_message> batch{
        {codec::input_topic_name("clinic", "bed-1", kind), codec::encode(m)}};
    w.handle(batch, t.now);
  }
  // One turn with a heart rate of 160/min (HR_HIGH's limit is 120).
  void heart_rate_turn() {
    turn_with(codec::input_kind::heart_rate,
              core::heart_rate{"mon-1", now.wall_ms, 1, 160, core::validity::valid});
  }
  void infusion_started_turn() {
    core::infusion_event started;
    started.kind = core::infusion_kind::started;
    started.at_ms = now.wall_ms;
    started.session_id = "s-1";
    started.planned_minutes = 45;
    turn_with(codec::input_kind::infusion, started);
  }
  // One turn with no message: the deadlines that fell due.
  void deadline_turn() { w.advance(w.begin_turn().now); }
  // The RAISED events of `condition` the turns since the last call produced.
  std::vector<core::alarm_event> raised(std::string_view condition) {
    std::vector<core::alarm_event> out;
    for (const auto& m : w.take().messages) {
      if (!m.topic.ends_with("/alarms/events")) continue;
      auto e = codec::decode_alarm_event(m.payload);
      if (e && e.value().transition == core::transition::raised &&
          e.value().condition == condition) {
        out.push_back(e.value());
      }
    }
    return out;
  }
};

// HR_HIGH is decided on readings: raised by the first reading P after the run began.
TEST_F(ward_clock_test, without_a_step_hr_high_is_raised_by_the_reading_at_its_persistence) {
  heart_rate_turn();
  pass(persistence - 1);
  heart_rate_turn();
  EXPECT_TRUE(raised("HR_HIGH").empty());
  pass(1);
  heart_rate_turn();
  const auto r = raised("HR_HIGH");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].at_ms, t0 + persistence);
}

// NTP steps the wall clock an hour forward, or an hour back.
struct ward_clock_step_test : ward_clock_test, ::testing::WithParamInterface<std::int64_t> {};

INSTANTIATE_TEST_SUITE_P(steps, ward_clock_step_test, ::testing::Values(hour, -hour),
                         [](const auto& p) { return p.param > 0 ? "forward" : "back"; });

TEST_P(ward_clock_step_test, a_persistence_run_keeps_its_length_across_a_step) {
  const std::int64_t step = GetParam();
  heart_rate_turn();
  pass(2'000);
  now.wall_ms += step;
  heart_rate_turn();
  EXPECT_TRUE(raised("HR_HIGH").empty()) << "an hour of wall time is not an hour above the limit";
  pass(persistence - 2'000 - 1);
  heart_rate_turn();
  EXPECT_TRUE(raised("HR_HIGH").empty());
  pass(1);
  heart_rate_turn();
  const auto r = raised("HR_HIGH");
  ASSERT_EQ(r.size(), 1u) << "raised at its persistence, not an hour later";
  EXPECT_EQ(r[0].at_ms, t0 + step + persistence);  // stamped on the corrected clock
  EXPECT_EQ(r[0].onset_ms, r[0].at_ms);            // contract.md: when the alarm was raised
}

// HR_SIGNAL_LOST is decided by a deadline: hr_stale (10 s) after the last heart rate, in a
// session.
TEST_P(ward_clock_step_test, a_deadline_keeps_its_remaining_time_across_a_step) {
  const std::int64_t step = GetParam();
  infusion_started_turn();
  heart_rate_turn();
  ASSERT_EQ(w.next_deadline(), t0 + 10'000);
  pass(2'000);
  now.wall_ms += step;
  deadline_turn();
  EXPECT_TRUE(raised("HR_SIGNAL_LOST").empty());
  EXPECT_EQ(w.next_deadline(), t0 + step + 10'000);
  pass(8'000 - 1);
  deadline_turn();
  EXPECT_TRUE(raised("HR_SIGNAL_LOST").empty());
  pass(1);
  deadline_turn();
  const auto r = raised("HR_SIGNAL_LOST");
  ASSERT_EQ(r.size(), 1u) << "raised 10 s after the last heart rate, not an hour later";
  EXPECT_EQ(r[0].at_ms, t0 + step + 10'000);
}

TEST_F(ward_clock_test, only_a_turn_that_sees_a_step_says_so) {
  pass(1'000);
  EXPECT_FALSE(w.begin_turn().stepped);
  now.wall_ms += hour;
  EXPECT_TRUE(w.begin_turn().stepped);
  pass(1'000);
  EXPECT_FALSE(w.begin_turn().stepped);
}

}  // namespace
}  // namespace vigil::app
