// The gateway's intake: one HL7 message in, the ACK and the contract messages out. Time is an
// argument, so the silence checks run on a manual clock.
#include "gateway/intake.hpp"

#include <gtest/gtest.h>

#include "codec/codec.hpp"
#include "pcd01_sample.hpp"
#include "temp_dir.hpp"

namespace vigil::gateway {
namespace {

constexpr std::int64_t t0 = 1'764'000'000'000;  // 2025-11-24, a fixed wall time
const std::string bed = "icu-3001-1";

class intake_test : public ::testing::Test {
 protected:
  intake_test() {
    s.mapping.fallback.name = "default";
    s.mapping.beds = {{"ICU^3001^1", bed}};
    s.timing["default"] = {60'000, 180'000};
  }
  intake& in() {
    if (!state) state.emplace(dir.path() / "gateway.db");
    if (!intake_) intake_.emplace(s, *state);
    return *intake_;
  }
  intake::result report(const std::string& id, int sys, std::int64_t nibp_at, std::int64_t at,
                        const std::string& location = "ICU^3001^1") {
    return in().on_message(test::pcd01(id, location, sys, 80, 100, 72, nibp_at, at), at);
  }
  static std::vector<std::string> topics(const std::vector<codec::outgoing>& out) {
    std::vector<std::string> t;
    for (const auto& m : out) t.push_back(m.topic);
    return t;
  }

  settings::gateway_settings s;
  test::temp_dir dir;
  std::optional<gateway_state> state;
  std::optional<intake> intake_;
};

TEST_F(intake_test, a_report_announces_the_bed_then_publishes_its_readings_with_seq) {
  const auto r = report("M1", 150, t0 - 30'000, t0);
  ASSERT_TRUE(r.accepted) << r.summary;
  EXPECT_NE(r.ack.find("MSA|CA|M1"), std::string::npos) << r.ack;
  const std::string p = "clinic/beds/" + bed;
  EXPECT_EQ(topics(r.publish),
            (std::vector<std::string>{p + "/monitor/status", p + "/vitals/heart_rate",
                                      p + "/vitals/blood_pressure"}));
  EXPECT_TRUE(r.publish[0].retained);
  const auto status = codec::decode_monitor_status(r.publish[0].payload).value();
  EXPECT_EQ(status.state, core::monitor_state::online);
  EXPECT_EQ(status.report_interval_ms, 60'000u);
  const auto hr = codec::decode_heart_rate(r.publish[1].payload).value();
  EXPECT_EQ(hr.bpm, 72);
  EXPECT_EQ(hr.seq, 1u);
  EXPECT_EQ(hr.measured_at_ms, t0 / 1000 * 1000);
  const auto bp = codec::decode_blood_pressure(r.publish[2].payload).value();
  EXPECT_EQ(bp.systolic_mmhg, 150);
  EXPECT_EQ(bp.diastolic_mmhg, 80);
  EXPECT_EQ(bp.mean_mmhg, 100);
  EXPECT_EQ(bp.measured_at_ms, (t0 - 30'000) / 1000 * 1000) << "NIBP time is OBX-14";
  EXPECT_EQ(bp.seq, 2u) << "one seq per device, across its readings";
}

TEST_F(intake_test, a_resend_is_acknowledged_again_and_published_no_second_time) {
  const auto first = report("M1", 150, t0, t0);
  ASSERT_TRUE(first.accepted);
  EXPECT_EQ(first.application, "MONITOR_GW");
  EXPECT_EQ(first.control_id, "M1");
  in().confirm(first.application, first.control_id);  // the broker has its messages
  const auto again = report("M1", 150, t0, t0 + 5'000);
  EXPECT_TRUE(again.accepted);
  EXPECT_NE(again.ack.find("MSA|CA|M1"), std::string::npos);
  EXPECT_TRUE(again.publish.empty());
  EXPECT_EQ(in().counters().resent, 1u);
  EXPECT_EQ(in().counters().accepted, 1u);
}

TEST_F(intake_test, a_resend_before_the_broker_confirmed_the_first_is_read_afresh) {
  ASSERT_EQ(report("M1", 150, t0, t0).publish.size(), 3u);
  const auto again = report("M1", 150, t0, t0 + 5'000);
  EXPECT_TRUE(again.accepted);
  // The first's messages may still be lost with the gateway: its HR goes again; its NIBP was
  // already taken (published once), so it does not.
  EXPECT_EQ(topics(again.publish),
            std::vector<std::string>{"clinic/beds/" + bed + "/vitals/heart_rate"});
  EXPECT_EQ(in().counters().resent, 0u);
}

TEST_F(intake_test, a_report_given_up_publishes_its_nibp_again_when_resent) {
  ASSERT_EQ(report("M1", 150, t0 - 60'000, t0 - 60'000).publish.size(), 3u);
  const auto first = report("M2", 160, t0, t0);
  ASSERT_EQ(first.nibp.size(), 1u);
  in().give_up(first.nibp);  // the broker connection dropped with its messages in flight
  const auto again = report("M2", 160, t0, t0 + 5'000);
  EXPECT_EQ(topics(again.publish),
            (std::vector<std::string>{"clinic/beds/" + bed + "/vitals/heart_rate",
                                      "clinic/beds/" + bed + "/vitals/blood_pressure"}));
  EXPECT_EQ(codec::decode_blood_pressure(again.publish[1].payload).value().systolic_mmhg, 160);
  // An older repeat is still not published: the time went back to M1's, not to nothing.
  EXPECT_EQ(report("M3", 150, t0 - 60'000, t0 + 6'000).publish.size(), 1u);
}

TEST_F(intake_test, the_nibp_repeated_in_the_next_periodic_report_is_published_once) {
  ASSERT_EQ(report("M1", 150, t0, t0).publish.size(), 3u);
  const auto next = report("M2", 150, t0, t0 + 60'000);  // same OBX-14: the same cuff reading
  EXPECT_EQ(topics(next.publish),
            std::vector<std::string>{"clinic/beds/" + bed + "/vitals/heart_rate"});
  EXPECT_EQ(in().counters().nibp_repeats, 1u);
  const auto fresh = report("M3", 160, t0 + 90'000, t0 + 120'000);
  EXPECT_EQ(fresh.publish.size(), 2u) << "a new cuff reading is published";
}

TEST_F(intake_test, an_unmapped_location_publishes_nothing_and_is_counted) {
  const auto r = report("M1", 150, t0, t0, "ICU^9999^1");
  EXPECT_FALSE(r.accepted);
  EXPECT_TRUE(r.publish.empty());
  EXPECT_NE(r.ack.find("MSA|CE|M1"), std::string::npos) << r.ack;
  EXPECT_EQ(in().counters().unmapped, 1u);
}

TEST_F(intake_test, test_data_is_published_only_as_invalid_readings) {
  auto m = test::pcd01("M1", "ICU^3001^1", 190, 80, 100, 160, t0, t0);
  m.replace(m.find("|P|2.6|"), 7, "|D|2.6|");
  const auto r = in().on_message(m, t0);
  ASSERT_TRUE(r.accepted) << r.summary;
  for (const auto& o : r.publish) {
    if (o.topic.ends_with("heart_rate")) {
      EXPECT_EQ(codec::decode_heart_rate(o.payload).value().validity, core::validity::invalid);
    }
    if (o.topic.ends_with("blood_pressure")) {
      EXPECT_EQ(codec::decode_blood_pressure(o.payload).value().validity, core::validity::invalid);
    }
  }
  EXPECT_EQ(in().counters().test_data, 1u);
}

TEST_F(intake_test, a_silent_sender_takes_its_bed_offline_once_and_a_report_brings_it_back) {
  ASSERT_TRUE(report("M1", 150, t0, t0).accepted);
  EXPECT_TRUE(in().check_silence(t0 + 179'999).empty());
  const auto off = in().check_silence(t0 + 180'000);
  ASSERT_EQ(off.size(), 1u);
  EXPECT_EQ(codec::decode_monitor_status(off[0].payload).value().state,
            core::monitor_state::offline);
  EXPECT_TRUE(off[0].retained);
  EXPECT_TRUE(in().check_silence(t0 + 300'000).empty()) << "said once";
  const auto back = report("M2", 150, t0 + 400'000, t0 + 400'000);
  EXPECT_EQ(codec::decode_monitor_status(back.publish.at(0).payload).value().state,
            core::monitor_state::online);
}

TEST_F(intake_test, a_bed_known_before_a_restart_goes_offline_if_its_sender_never_returns) {
  ASSERT_TRUE(report("M1", 150, t0, t0).accepted);
  intake_.reset();
  state.reset();
  in().restore(t0 + 1'000'000);
  EXPECT_TRUE(in().check_silence(t0 + 1'179'999).empty());
  EXPECT_EQ(in().check_silence(t0 + 1'180'000).size(), 1u);
}

TEST_F(intake_test, an_ora_r41_goes_to_the_status_handler_when_there_is_one) {
  in().set_status_handler(
      [](std::string_view m) { return "ACK for " + std::string(m.substr(0, 3)); });
  const std::string ora =
      "MSH|^~\\&|AM||VIGIL||20261202120000+0000||ORA^R41^ORA_R41|S1|P|2.6|||AL|NE\r";
  const auto r = in().on_message(ora, t0);
  EXPECT_EQ(r.ack, "ACK for MSH");
  EXPECT_EQ(in().counters().status_messages, 1u);
}

}  // namespace
}  // namespace vigil::gateway
