// vigil-gateway end to end: a test sender speaks MLLP to a real vigil-gateway, which publishes
// to a real mosquitto with a real vigild behind it (issue 16).
#include <ctime>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "live_fixture.hpp"
#include "mllp_sender.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

// DTM in UTC for a Unix time in ms: YYYYMMDDHHMMSS+0000.
std::string dtm(std::int64_t unix_ms) {
  const std::time_t t = unix_ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S+0000", &tm);
  return buf;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A PCD-01 report shaped like the IHE PCD TF's E.1.1 (MDS, NIBP VMD/channel/metrics, ECG HR),
// written here with values chosen by the test: NIBP sys/dia/mean at `nibp_at`, HR at OBR-7.
std::string pcd01(const std::string& control_id, const std::string& location, int sys, int dia,
                  int mean, int hr, std::int64_t nibp_at, std::int64_t at) {
  std::string m;
  m += "MSH|^~\\&|MONITOR_GW|ICU|VIGIL|HOSP|" + dtm(at) + "||ORU^R01^ORU_R01|" + control_id +
       "|P|2.6|||AL|NE||||||IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO\r";
  m += "PID|||P123^^^^MR||Doe^Jane\r";
  m += "PV1||I|" + location + "\r";
  m += "OBR|1||" + control_id + "|69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|||" + dtm(at) + "\r";
  m += "OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1.0.0.0|||||||X|||||||"
       "0123456789ABCDEF^^0123456789ABCDEF^EUI-64\r";
  m += "OBX|2||70686^MDC_DEV_PRESS_BLD_NONINV_VMD^MDC|1.1.0.0|||||||X\r";
  m += "OBX|3||70687^MDC_DEV_PRESS_BLD_NONINV_CHAN^MDC|1.1.1.0|||||||X\r";
  m += "OBX|4|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.1|" + std::to_string(sys) +
       "|266016^MDC_DIM_MMHG^MDC|||||R|||" + dtm(nibp_at) + "\r";
  m += "OBX|5|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.1.1.2|" + std::to_string(dia) +
       "|266016^MDC_DIM_MMHG^MDC|||||R|||" + dtm(nibp_at) + "\r";
  m += "OBX|6|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.1.1.3|" + std::to_string(mean) +
       "|266016^MDC_DIM_MMHG^MDC|||||R|||" + dtm(nibp_at) + "\r";
  m += "OBX|7||4262^MDC_DEV_ECG_VMD^MDC|1.2.0.0|||||||X\r";
  m += "OBX|8||4263^MDC_DEV_ECG_CHAN^MDC|1.2.1.0|||||||X\r";
  m += "OBX|9|NM|147842^MDC_ECG_HEART_RATE^MDC|1.2.1.1|" + std::to_string(hr) +
       "|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R\r";
  return m;
}

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
