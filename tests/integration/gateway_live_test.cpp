// vigil-gateway end to end: a test sender speaks MLLP to a real vigil-gateway, which publishes
// to a real mosquitto with a real vigild behind it (issue 16).
#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "live_fixture.hpp"
#include "mllp_sender.hpp"
#include "pcd01_sample.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

class gateway_live_test : public live_test {
 protected:
  void start_gateway(const std::string& extra_toml = "") {
    mllp_port_ = free_tcp_port();
    gateway_ = std::make_unique<vigild_process>(
        vigild_options{.executable = VIGIL_GATEWAY_PATH,
                       .broker_uri = broker_.uri(),
                       .prefix = prefix,
                       .instance = instance,
                       .config_toml = "[daemon]\nlog_level = \"debug\"\nstate_dir = \"@DIR@\"\n"
                                      "[metrics]\nlisten = \"\"\n[mllp]\nlisten = \"127.0.0.1:" +
                                      std::to_string(mllp_port_) +
                                      "\"\n[beds]\n\"ICU^3001^1\" = \"icu-3001-1\"\n" + extra_toml,
                       .extra_args = {},
                       .environment = {}});
    ASSERT_TRUE(client_->wait_online(std::string("gateway-") + instance)) << gateway_->log();
  }

  void TearDown() override {
    if (gateway_ && gateway_->running()) {
      EXPECT_EQ(gateway_->stop(2s), 0) << gateway_->log();
    }
    if (gateway_ && HasFailure()) std::cerr << "---- vigil-gateway log ----\n" << gateway_->log();
    live_test::TearDown();
  }

  // What the broker delivered on topics containing `part` (the test client also hears the
  // daemons' status and the alarm events).
  std::vector<received_message> on(const std::string& part) const {
    std::vector<received_message> out;
    for (auto& m : mqtt_->messages())
      if (m.topic.find(part) != std::string::npos) out.push_back(m);
    return out;
  }

  int mllp_port_ = 0;
  std::unique_ptr<vigild_process> gateway_;
};

TEST_F(gateway_live_test, a_pcd01_nibp_of_186_over_95_during_an_infusion_raises_sbp_high_high) {
  start_vigild();
  start_gateway();
  const std::string bed = "icu-3001-1";
  start_infusion(bed);
  mllp_sender sender(mllp_port_);
  const auto at = now_ms();
  const auto ack = sender.send(pcd01("MSG-1", "ICU^3001^1", 186, 95, 125, 80, at - 5'000, at));
  ASSERT_TRUE(ack) << gateway_->log();
  EXPECT_NE(ack->find("MSA|CA|MSG-1"), std::string::npos) << *ack;

  const auto e = client_->wait_event(condition_is("SBP_HIGH"), 5s);
  ASSERT_TRUE(e) << vigild_->log();
  EXPECT_EQ(e->event.bed_id, bed);
  EXPECT_EQ(e->event.priority, core::priority::high);
  EXPECT_EQ(e->event.transition, core::transition::raised);
  EXPECT_EQ(e->event.value, 186);
}

TEST_F(gateway_live_test, the_bed_is_announced_online_with_the_senders_report_interval) {
  start_vigild();
  start_gateway("[senders.default]\nreport_interval_s = 60\n");
  mqtt_->subscribe(
      codec::input_topic_name(prefix, "icu-3001-1", codec::input_kind::monitor_status));
  mllp_sender sender(mllp_port_);
  const auto at = now_ms();
  ASSERT_TRUE(sender.send(pcd01("MSG-2", "ICU^3001^1", 120, 80, 93, 72, at, at)));
  ASSERT_TRUE(mqtt_->wait_until([&](const auto&) { return !on("/monitor/status").empty(); }, 5s));
  const auto status = codec::decode_monitor_status(on("/monitor/status").front().payload);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status.value().state, core::monitor_state::online);
  EXPECT_EQ(status.value().report_interval_ms, 60'000u);
  EXPECT_EQ(status.value().device_id, "EUI-64:0123456789ABCDEF");
}

TEST_F(gateway_live_test, an_unmapped_location_is_refused_with_an_ack_naming_pv1_3) {
  start_vigild();
  start_gateway();
  mqtt_->subscribe(std::string(prefix) + "/beds/+/vitals/#");
  mllp_sender sender(mllp_port_);
  const auto at = now_ms();
  const auto ack = sender.send(pcd01("MSG-3", "ICU^9999^1", 186, 95, 125, 80, at, at));
  ASSERT_TRUE(ack);
  EXPECT_NE(ack->find("MSA|CE|MSG-3"), std::string::npos) << *ack;
  EXPECT_NE(ack->find("PV1^"), std::string::npos) << *ack;
  // The same connection still works, and only the mapped report reaches the broker.
  ASSERT_TRUE(sender.send(pcd01("MSG-4", "ICU^3001^1", 120, 80, 93, 72, at, at)));
  ASSERT_TRUE(mqtt_->wait_until([&](const auto&) { return on("/vitals/").size() >= 2; }, 5s));
  for (const auto& m : on("/vitals/"))
    EXPECT_NE(m.topic.find("icu-3001-1"), std::string::npos) << m.topic;
}

TEST_F(gateway_live_test, a_sender_gone_silent_takes_its_bed_offline_and_vigild_raises_it) {
  start_vigild();
  start_gateway("[senders.default]\nreport_interval_s = 1\noffline_after_s = 2\n");
  const std::string bed = "icu-3001-1";
  mllp_sender sender(mllp_port_);
  const auto at = now_ms();
  ASSERT_TRUE(sender.send(pcd01("MSG-5", "ICU^3001^1", 120, 80, 93, 72, at, at)));
  start_infusion(bed);
  const auto e = client_->wait_event(condition_is("MONITOR_OFFLINE"), 6s);
  ASSERT_TRUE(e) << gateway_->log();
  EXPECT_EQ(e->event.priority, core::priority::high);
}

}  // namespace
}  // namespace vigil::test
