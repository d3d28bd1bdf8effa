// vigil-gateway end to end: a test sender speaks MLLP to a real vigil-gateway, which publishes
// to a real mosquitto with a real vigild behind it (issue 16).
#include "am_listener.hpp"
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

TEST_F(gateway_live_test, an_alert_manager_gets_the_oru_r40_of_the_alarm_and_of_its_end) {
  am_listener am;
  start_vigild();
  start_gateway("[alert_manager]\naddress = \"127.0.0.1:" + std::to_string(am.port()) +
                "\"\nreceiving_application = \"AM\"\n");
  const std::string bed = "icu-3001-1";
  start_infusion(bed);
  mllp_sender sender(mllp_port_);
  auto at = now_ms();
  ASSERT_TRUE(sender.send(pcd01("MSG-6", "ICU^3001^1", 186, 95, 125, 80, at - 5'000, at)));
  ASSERT_TRUE(client_->wait_event(condition_is("SBP_HIGH"), 5s)) << vigild_->log();
  at = now_ms();
  ASSERT_TRUE(sender.send(pcd01("MSG-7", "ICU^3001^1", 120, 80, 93, 80, at - 1'000, at)));
  // SBP_HIGH was HIGH and unacknowledged: it latches; an acknowledgement then ends it.
  auto latched = client_->wait_event(
      [](const timed_event& e) { return e.event.transition == core::transition::latched; }, 5s);
  ASSERT_TRUE(latched) << vigild_->log();
  client_->send(bed, core::alarm_ack{latched->event.alarm_id, "kim", now_ms()});
  const std::string id = latched->event.alarm_id;  // bed:SBP_HIGH:n
  // The AM also gets the infusion's other alarms (SBP_RISE over the fixture's baseline).
  const auto of_alarm = [&](const std::vector<std::string>& ms) {
    std::vector<std::string> out;
    for (const auto& m : ms)
      if (m.find("ORU^R40") != std::string::npos && m.find(id) != std::string::npos)
        out.push_back(m);
    return out;
  };
  const auto with = [&](const std::string& phase) {
    return [&, phase](const std::vector<std::string>& ms) {
      const auto mine = of_alarm(ms);
      return std::any_of(mine.begin(), mine.end(),
                         [&](const std::string& m) { return m.find(phase) != std::string::npos; });
    };
  };
  // The first indication (phase start, OBR-3 the alarm id, priority PH) and the end (phase
  // end, state inactive, OBR-29 pointing back at the first), with the bed's location in PV1-3.
  EXPECT_TRUE(am.wait_until(with("|start|"), 10s)) << gateway_->log();
  EXPECT_TRUE(am.wait_until(with("|end|"), 10s)) << gateway_->log();
  const auto mine = of_alarm(am.messages());
  ASSERT_FALSE(mine.empty());
  EXPECT_NE(mine.front().find("OBR|1||" + id + "^VIGIL|196616^MDC_EVT_ALARM^MDC"),
            std::string::npos)
      << mine.front();
  EXPECT_NE(mine.front().find("|PH|"), std::string::npos) << mine.front();
  EXPECT_NE(mine.back().find("^" + id + "&VIGIL"), std::string::npos) << mine.back();
  for (const auto& m : mine) EXPECT_NE(m.find("PV1||U|ICU^3001^1\r"), std::string::npos) << m;
}

TEST_F(gateway_live_test, while_the_broker_is_down_reports_are_refused_and_stay_with_the_sender) {
  start_vigild();
  start_gateway();
  broker_.stop();
  ASSERT_TRUE(gateway_->wait_log("connection lost", 10s)) << gateway_->log();
  mllp_sender sender(mllp_port_);
  const auto at = now_ms();
  const auto refused = sender.send(pcd01("MSG-8", "ICU^3001^1", 120, 80, 93, 72, at, at));
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->find("MSA|CE|MSG-8"), std::string::npos) << *refused;
  EXPECT_NE(refused->find("|207^"), std::string::npos) << *refused;
  broker_.start();
  // As a sender does: the same report again, every 200 ms, until it is taken.
  std::optional<std::string> taken;
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline) {
    taken = sender.send(pcd01("MSG-8", "ICU^3001^1", 120, 80, 93, 72, at, at));
    if (!taken || taken->find("MSA|CA|") != std::string::npos) break;
    std::this_thread::sleep_for(200ms);
  }
  ASSERT_TRUE(taken);
  EXPECT_NE(taken->find("MSA|CA|MSG-8"), std::string::npos) << *taken << gateway_->log();
}

}  // namespace
}  // namespace vigil::test
