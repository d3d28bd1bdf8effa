#include "codec/ingest.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "samples.hpp"

namespace vigil::codec {
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

}  // namespace
}  // namespace vigil::codec
