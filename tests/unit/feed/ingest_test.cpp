#include "feed/ingest.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "samples.hpp"

namespace vigil::feed {
using namespace codec;
namespace {

using namespace test;

struct ingest_test : ::testing::Test {
  core::engine engine;
  ingest in{engine, "clinic"};
  core::engine_output out;
  core::time_ms now = 1'700'000'000'000;

  std::optional<ingest_diagnostic> send(input_kind k, std::string_view payload) {
    return in.handle(input_topic_name("clinic", "bed-1", k), payload, now, out);
  }
};

TEST_F(ingest_test, valid_heart_rate_reaches_the_engine) {
  const auto diag = send(input_kind::heart_rate, encode(sample_heart_rate()));
  EXPECT_FALSE(diag.has_value());
  EXPECT_EQ(in.accepted(), 1u);
  EXPECT_EQ(in.dropped_total(), 0u);
  EXPECT_EQ(engine.counters().readings_accepted, 1u);
}

TEST_F(ingest_test, counts_what_it_received_by_kind_before_any_other_check) {
  send(input_kind::heart_rate, encode(sample_heart_rate()));
  send(input_kind::heart_rate, "\xff not protobuf");
  send(input_kind::ack, encode(sample_alarm_ack()));
  in.handle("clinic/beds/bed-1/vitals/temperature", "x", now, out);  // no input kind
  EXPECT_EQ(in.received(input_kind::heart_rate), 2u);
  EXPECT_EQ(in.received(input_kind::ack), 1u);
  EXPECT_EQ(in.received(input_kind::blood_pressure), 0u);
  EXPECT_EQ(in.dropped(ingest_drop::bad_topic), 1u);
}

TEST_F(ingest_test, infusion_and_ack_need_no_device_id) {
  EXPECT_FALSE(send(input_kind::infusion, encode(sample_infusion_event())));
  EXPECT_FALSE(send(input_kind::ack, encode(sample_alarm_ack())));
  EXPECT_EQ(in.accepted(), 2u);
  EXPECT_EQ(in.dropped_total(), 0u);
}

TEST_F(ingest_test, payload_over_64_kib_is_dropped_and_one_of_64_kib_is_not) {
  // A heart rate whose device_id pads the encoding to exactly the limit.
  auto hr = sample_heart_rate();
  hr.device_id.assign(ingest::max_payload_bytes - 32, 'd');
  while (encode(hr).size() < ingest::max_payload_bytes) hr.device_id += 'd';
  ASSERT_EQ(encode(hr).size(), ingest::max_payload_bytes);
  EXPECT_FALSE(send(input_kind::heart_rate, encode(hr)));

  hr.device_id += 'd';
  const auto diag = send(input_kind::heart_rate, encode(hr));
  ASSERT_TRUE(diag);
  EXPECT_EQ(diag->reason, ingest_drop::oversized);
  EXPECT_EQ(in.dropped(ingest_drop::oversized), 1u);
  EXPECT_EQ(in.accepted(), 1u);
}

TEST_F(ingest_test, garbage_is_counted_as_undecodable_per_message_type) {
  const std::string garbage(12, '\xff');
  const std::pair<input_kind, ingest_drop> cases[] = {
      {input_kind::heart_rate, ingest_drop::undecodable_heart_rate},
      {input_kind::blood_pressure, ingest_drop::undecodable_blood_pressure},
      {input_kind::monitor_status, ingest_drop::undecodable_monitor_status},
      {input_kind::infusion, ingest_drop::undecodable_infusion},
      {input_kind::ack, ingest_drop::undecodable_ack}};
  for (const auto& [kind, reason] : cases) {
    const auto diag = send(kind, garbage);
    ASSERT_TRUE(diag) << to_string(kind);
    EXPECT_EQ(diag->reason, reason);
    EXPECT_EQ(in.dropped(reason), 1u) << to_string(reason);
  }
  EXPECT_EQ(in.dropped_total(), std::size(cases));
  EXPECT_EQ(in.accepted(), 0u);
  EXPECT_EQ(engine.counters().readings_accepted, 0u);
}

TEST_F(ingest_test, device_messages_without_device_id_are_dropped) {
  auto hr = sample_heart_rate();
  auto bp = sample_blood_pressure();
  auto ms = sample_monitor_status();
  hr.device_id.clear();
  bp.device_id.clear();
  ms.device_id.clear();
  EXPECT_EQ(send(input_kind::heart_rate, encode(hr))->reason, ingest_drop::missing_device_id);
  EXPECT_EQ(send(input_kind::blood_pressure, encode(bp))->reason, ingest_drop::missing_device_id);
  EXPECT_EQ(send(input_kind::monitor_status, encode(ms))->reason, ingest_drop::missing_device_id);
  EXPECT_EQ(in.dropped(ingest_drop::missing_device_id), 3u);
  EXPECT_EQ(in.accepted(), 0u);
}

TEST_F(ingest_test, bad_topics_and_bed_ids_are_counted_apart) {
  const auto payload = encode(sample_heart_rate());
  EXPECT_EQ(in.handle("other/beds/1/vitals/heart_rate", payload, now, out)->reason,
            ingest_drop::bad_topic);
  EXPECT_EQ(in.handle("clinic/beds/1/vitals/spo2", payload, now, out)->reason,
            ingest_drop::bad_topic);
  EXPECT_EQ(in.handle("clinic/beds/a b/vitals/heart_rate", payload, now, out)->reason,
            ingest_drop::bad_bed_id);
  EXPECT_EQ(in.dropped(ingest_drop::bad_topic), 2u);
  EXPECT_EQ(in.dropped(ingest_drop::bad_bed_id), 1u);
  EXPECT_EQ(in.accepted(), 0u);
}

TEST_F(ingest_test, diagnostic_is_one_short_printable_line) {
  const std::string hostile = "clinic/beds/\n\x1b[2J" + std::string(5000, 'x') + "/infusion";
  const auto diag = in.handle(hostile, "", now, out);
  ASSERT_TRUE(diag);
  EXPECT_EQ(diag->reason, ingest_drop::bad_bed_id);
  EXPECT_LT(diag->detail.size(), 300u);
  for (const char c : diag->detail) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << int(c);
  EXPECT_NE(diag->detail.find("bad_bed_id"), std::string::npos) << diag->detail;
}

TEST_F(ingest_test, counters_are_listed_by_name_with_zeros) {
  send(input_kind::heart_rate, encode(sample_heart_rate()));
  send(input_kind::ack, "\xff");
  const auto all = in.counters();
  ASSERT_EQ(all.size(), 1 + static_cast<std::size_t>(ingest_drop::count));
  EXPECT_EQ(all[0], (std::pair<std::string_view, std::uint64_t>{"accepted", 1}));
  for (const auto& [name, value] : all) {
    EXPECT_EQ(value, name == "accepted" || name == "undecodable_ack" ? 1u : 0u) << name;
  }
}

TEST_F(ingest_test, random_payloads_on_every_topic_never_throw) {
  std::mt19937 rng(20240601);  // fixed seed: the same bytes on every run
  std::uniform_int_distribution<int> len(0, 64);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 2000; ++i) {
    std::string payload(static_cast<std::size_t>(len(rng)), '\0');
    for (auto& c : payload) c = static_cast<char>(byte(rng));
    for (const auto k : all_input_kinds) EXPECT_NO_THROW(send(k, payload));
  }
  EXPECT_EQ(in.accepted() + in.dropped_total(), 2000u * std::size(all_input_kinds));
}

// The rate limit, on a manual clock: 20 messages/s per bed and input kind, bursts of 40.
struct ingest_rate_test : ::testing::Test {
  static constexpr rate_limit limit{.per_second = 20, .burst = 40};
  static constexpr core::time_ms interval_ms = 1000 / limit.per_second;
  core::engine engine;
  ingest in{engine, "clinic", limit};
  core::engine_output out;
  core::time_ms now = 1'700'000'000'000;
  const std::string hr = encode(sample_heart_rate());

  std::optional<ingest_diagnostic> send(std::string_view bed, input_kind k,
                                        const std::string& payload) {
    return in.handle(input_topic_name("clinic", bed, k), payload, now, out);
  }
  // How many of `n` valid heart rates sent at `now` the engine got.
  std::uint64_t flood(std::string_view bed, int n) {
    const auto before = in.accepted();
    for (int i = 0; i < n; ++i) send(bed, input_kind::heart_rate, hr);
    return in.accepted() - before;
  }
};

TEST_F(ingest_rate_test, a_burst_passes_whole_and_the_next_message_waits_one_interval) {
  EXPECT_EQ(flood("bed-1", limit.burst), limit.burst);
  const auto diag = send("bed-1", input_kind::heart_rate, hr);
  ASSERT_TRUE(diag);
  EXPECT_EQ(diag->reason, ingest_drop::rate_limited);
  EXPECT_EQ(in.dropped(ingest_drop::rate_limited), 1u);

  now += interval_ms - 1;
  EXPECT_EQ(flood("bed-1", 1), 0u);
  now += 1;
  EXPECT_EQ(flood("bed-1", 5), 1u);
  EXPECT_EQ(engine.counters().readings_accepted, limit.burst + 1);
}

TEST_F(ingest_rate_test, a_sustained_flood_passes_the_burst_plus_the_rate) {
  // One message every millisecond for 10 s: 1,000 messages/s against 20.
  constexpr int seconds = 10;
  std::uint64_t accepted = 0;
  for (int ms = 0; ms < seconds * 1000; ++ms, ++now) accepted += flood("bed-1", 1);
  // A token every interval after the first instant, the last one 1 ms short of a whole one.
  EXPECT_EQ(accepted, limit.burst + (seconds * 1000 - 1) / interval_ms);
  EXPECT_EQ(in.dropped(ingest_drop::rate_limited), seconds * 1000 - accepted);
}

TEST_F(ingest_rate_test, a_flooded_kind_leaves_the_beds_other_kinds_and_other_beds_alone) {
  flood("bed-1", 1000);
  ASSERT_GT(in.dropped(ingest_drop::rate_limited), 0u);
  const auto dropped = in.dropped(ingest_drop::rate_limited);
  EXPECT_FALSE(send("bed-1", input_kind::blood_pressure, encode(sample_blood_pressure())));
  EXPECT_FALSE(send("bed-1", input_kind::monitor_status, encode(sample_monitor_status())));
  EXPECT_FALSE(send("bed-1", input_kind::infusion, encode(sample_infusion_event())));
  EXPECT_FALSE(send("bed-1", input_kind::ack, encode(sample_alarm_ack())));
  EXPECT_EQ(flood("bed-2", limit.burst), limit.burst);
  EXPECT_EQ(in.dropped(ingest_drop::rate_limited), dropped);
}

TEST_F(ingest_rate_test, garbage_and_oversized_payloads_take_no_token) {
  // A sender spraying junk on a bed's topic must not crowd out the monitor's readings.
  for (int i = 0; i < 1000; ++i) {
    send("bed-1", input_kind::heart_rate, "\xff junk");
    send("bed-1", input_kind::heart_rate, std::string(ingest::max_payload_bytes + 1, 'x'));
  }
  EXPECT_EQ(in.dropped(ingest_drop::rate_limited), 0u);
  EXPECT_EQ(flood("bed-1", limit.burst), limit.burst);
}

TEST_F(ingest_rate_test, the_drop_names_the_topic_and_the_limit) {
  flood("bed-7", limit.burst);
  const auto diag = send("bed-7", input_kind::heart_rate, hr);
  ASSERT_TRUE(diag);
  EXPECT_NE(diag->detail.find("clinic/beds/bed-7/vitals/heart_rate"), std::string::npos)
      << diag->detail;
  EXPECT_NE(diag->detail.find("20 heart_rate messages/s"), std::string::npos) << diag->detail;
}

TEST_F(ingest_rate_test, a_wall_clock_stepping_back_does_not_silence_a_bed) {
  flood("bed-1", limit.burst);
  now -= 3'600'000;  // an hour back: the bucket must not stay empty for that hour
  EXPECT_EQ(flood("bed-1", limit.burst), limit.burst);
}

TEST_F(ingest_rate_test, forgetting_idle_beds_never_resets_a_busy_one) {
  // A new made-up bed id every millisecond for 20 s, so the limiter sweeps idle beds out of
  // its map several times, while one bed floods throughout.
  constexpr int ms_total = 20'000;
  const auto ack = encode(sample_alarm_ack());
  std::uint64_t busy = 0, made_up = 0;
  for (int ms = 0; ms < ms_total; ++ms, ++now) {
    made_up += !send("made-up-" + std::to_string(ms), input_kind::ack, ack);
    busy += flood("bed-busy", 1);
  }
  EXPECT_EQ(made_up, std::uint64_t{ms_total});
  EXPECT_EQ(busy, limit.burst + (ms_total - 1) / interval_ms);
}

TEST_F(ingest_rate_test, limits_below_one_count_as_one) {
  ingest strict{engine, "clinic", rate_limit{.per_second = 0, .burst = 0}};
  const auto topic = input_topic_name("clinic", "bed-1", input_kind::heart_rate);
  EXPECT_FALSE(strict.handle(topic, hr, now, out));
  EXPECT_TRUE(strict.handle(topic, hr, now + 999, out));
  EXPECT_FALSE(strict.handle(topic, hr, now + 1000, out));
}

}  // namespace
}  // namespace vigil::feed
