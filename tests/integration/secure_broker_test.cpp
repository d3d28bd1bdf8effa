// A locked-down broker as a clinic would run it: the shipped config/mosquitto-secure.conf (TLS
// only, passwords, no anonymous clients) with only its port and file paths replaced, and the
// shipped config/mosquitto.acl itself, so these tests prove what we ship. Certificates come
// from a throwaway CA made with openssl for each test. vigild works through the broker, the
// ACL holds each account to its role, and vigild verifies whom it is talking to.
#include <sys/stat.h>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "history_client.hpp"
#include "live_fixture.hpp"
#include "locked_broker.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;
using codec::input_kind;
using core::transition;

constexpr int not_authorized = 0x87;  // the MQTT 5 PUBACK reason code of a refused publish
const std::string shipped_conf = VIGIL_SOURCE_DIR "/config/mosquitto-secure.conf";
const std::string shipped_acl = VIGIL_SOURCE_DIR "/config/mosquitto.acl";
constexpr const char* prefix = "clinic";  // the one the shipped ACL is written for
constexpr const char* instance = "it";

struct account {
  std::string user;
  std::string password;
};
// Accounts the shipped ACL names.
const account vigild_account{"vigild", "vigild-secret"};
const account gateway{"gateway-1", "gateway-secret"};
const account dashboard{"dashboard-1", "dashboard-secret"};
const account pump{"pump-1", "pump-secret"};
const account charge_nurse{"charge-nurse", "charge-secret"};

class secure_broker_test : public ::testing::Test {
 protected:
  // The shipped configuration on this test's port and files; `require_certificate` as given.
  void start_broker(const issued_certificate& server, bool require_certificate = false) {
    mosquitto_broker::options o;
    o.scheme = "ssl";
    o.config = [this, server, require_certificate](int port) {
      return set_directives(read_text(shipped_conf),
                            {{"listener", std::to_string(port) + " 127.0.0.1"},
                             {"cafile", pki_.ca_file()},
                             {"certfile", server.cert},
                             {"keyfile", server.key},
                             {"password_file", passwd_},
                             {"acl_file", shipped_acl},
                             {"require_certificate", require_certificate ? "true" : "false"}});
    };
    broker_ = std::make_unique<mosquitto_broker>(o);
  }

  // The credentials file of `a` (user line, password line) with this mode.
  std::string credentials_file(const account& a, mode_t mode = 0600) {
    const auto path = files_.write(a.user + ".credentials", a.user + "\n" + a.password + "\n");
    ::chmod(path.c_str(), mode);
    return path;
  }

  // vigild logging in as its account over TLS, trusting `ca_file`; `mqtt_keys` adds to [mqtt].
  void launch_vigild(const std::string& ca_file, const std::string& mqtt_keys = "",
                     mode_t credentials_mode = 0600) {
    credentials_ = credentials_file(vigild_account, credentials_mode);
    const std::string uri = broker_->uri();
    vigild_ = std::make_unique<vigild_process>(vigild_options{
        .executable = VIGILD_PATH,
        .broker_uri = uri,
        .prefix = prefix,
        .instance = instance,
        .config_toml = base_config() + "[mqtt]\nbroker_uri = \"" + uri +
                       "\"\ncredentials_file = \"" + credentials_ + "\"\ntls_ca_file = \"" +
                       ca_file + "\"\n" + mqtt_keys +
                       // One reading raises HR_HIGH: no 10 s condition delay to wait out.
                       "[alarms]\ncontinuous_persistence_s = 0\n",
        .extra_args = {}});
  }

  mqtt_test_client::options login(const account& a, const issued_certificate* cert = nullptr) {
    mqtt_test_client::options o;
    o.user = a.user;
    o.password = a.password;
    o.ca_file = pki_.ca_file();
    if (cert) {
      o.cert_file = cert->cert;
      o.key_file = cert->key;
    }
    return o;
  }

  // A dashboard account watching every bed's alarm events and (wait_online) vigild's status.
  void connect_dashboard(mqtt_test_client::options o) {
    dashboard_mqtt_ = std::make_unique<mqtt_test_client>(broker_->uri(), std::move(o));
    dashboard_ = std::make_unique<vigil_client>(*dashboard_mqtt_, prefix);
    dashboard_->watch_alarms();
  }

  // The usual ward: vigild ONLINE, a dashboard and a gateway logged in.
  void start_ward() {
    start_broker(server_);
    launch_vigild(pki_.ca_file());
    connect_dashboard(login(dashboard));
    ASSERT_TRUE(dashboard_->wait_online(instance)) << vigild_->log() << broker_->log();
    gateway_mqtt_ = std::make_unique<mqtt_test_client>(broker_->uri(), login(gateway));
    gateway_ = std::make_unique<vigil_client>(*gateway_mqtt_, prefix);
  }

  // The gateway reports HR 160 /min on `bed`; vigild's HR_HIGH as the dashboard receives it.
  std::optional<timed_event> raise_hr_high(const std::string& bed) {
    gateway_->send(bed, heart_rate(160));
    return dashboard_->wait_event(
        [&](const timed_event& e) {
          return e.event.bed_id == bed && e.event.condition == "HR_HIGH" &&
                 e.event.transition == transition::raised;
        },
        5s);
  }

  // vigild tried, failed, and keeps trying (as for an unreachable broker); the broker never
  // accepted its connection.
  void expect_vigild_kept_out() {
    EXPECT_TRUE(vigild_->wait_log("mqtt: cannot connect", 10s)) << vigild_->log();
    EXPECT_TRUE(vigild_->running()) << vigild_->log();
    EXPECT_EQ(broker_->log().find(std::string{"as vigild-"} + instance), std::string::npos)
        << broker_->log();
  }

  void TearDown() override {
    if (vigild_ && vigild_->running()) {
      EXPECT_EQ(vigild_->stop(std::chrono::seconds(2)), 0) << "vigild did not exit cleanly";
    }
    if (vigild_ && (HasFailure() || std::getenv("VIGIL_TEST_LOGS"))) {
      std::cerr << "---- vigild log ----\n" << vigild_->log();
    }
  }

  test_pki pki_;
  const issued_certificate server_ = pki_.issue("broker", "IP:127.0.0.1,DNS:localhost");
  temp_dir files_;
  const std::string passwd_ =
      make_password_file(files_, {{vigild_account.user, vigild_account.password},
                                  {gateway.user, gateway.password},
                                  {dashboard.user, dashboard.password},
                                  {pump.user, pump.password},
                                  {charge_nurse.user, charge_nurse.password}});
  std::string credentials_;
  std::unique_ptr<mosquitto_broker> broker_;
  std::unique_ptr<vigild_process> vigild_;
  std::unique_ptr<mqtt_test_client> dashboard_mqtt_;
  std::unique_ptr<vigil_client> dashboard_;
  std::unique_ptr<mqtt_test_client> gateway_mqtt_;
  std::unique_ptr<vigil_client> gateway_;
};

TEST_F(secure_broker_test, gateway_reading_reaches_a_dashboard_as_an_alarm_through_tls_and_acl) {
  start_ward();
  const auto e = raise_hr_high("bed-1");
  ASSERT_TRUE(e) << vigild_->log();
  EXPECT_EQ(e->event.value, 160);
  // vigild came in with the credentials file's account, not anonymously.
  EXPECT_NE(broker_->log().find("u'" + vigild_account.user + "'"), std::string::npos);
}

TEST_F(secure_broker_test, dashboard_account_cannot_publish_alarms_sessions_status_or_vitals) {
  start_ward();
  dashboard_->watch_state();
  mqtt_test_client forger(broker_->uri(), login(dashboard));
  const std::string bed = "bed-1";
  core::alarm_event forged;
  forged.alarm_id = bed + ":HR_HIGH:999";
  forged.bed_id = bed;
  forged.condition = "HR_HIGH";
  forged.text = "forged";
  const std::string forged_bytes = codec::encode(forged);
  for (const auto& topic :
       {codec::alarm_events_topic(prefix, bed), codec::active_alarms_topic(prefix, bed),
        codec::session_topic(prefix, bed), codec::escalations_topic(prefix),
        codec::daemon_status_topic(prefix, instance)}) {
    EXPECT_EQ(forger.publish_reason_code(topic, forged_bytes, true), not_authorized) << topic;
  }
  // Nor can it feed vigild a reading of its own.
  EXPECT_EQ(forger.publish_reason_code(
                codec::input_topic_name(prefix, "bed-forged", input_kind::heart_rate),
                codec::encode(heart_rate(200))),
            not_authorized);

  // Every refusal came before the gateway's reading, so a forged message that got through
  // would reach the dashboard (or vigild) ahead of the real alarm.
  ASSERT_TRUE(raise_hr_high(bed));
  for (const auto& m : dashboard_mqtt_->messages()) {
    EXPECT_NE(m.payload, forged_bytes) << "forged message delivered on " << m.topic;
  }
  for (const auto& e : dashboard_->events()) EXPECT_NE(e.event.bed_id, "bed-forged");
}

TEST_F(secure_broker_test, gateway_account_cannot_acknowledge_an_alarm) {
  start_ward();
  const auto raised = raise_hr_high("bed-1");
  ASSERT_TRUE(raised) << vigild_->log();
  const core::alarm_ack from_gateway{raised->event.alarm_id, gateway.user, wall_ms()};
  EXPECT_EQ(
      gateway_mqtt_->publish_reason_code(codec::input_topic_name(prefix, "bed-1", input_kind::ack),
                                         codec::encode(from_gateway)),
      not_authorized);

  // The nurse's acknowledgement follows the refused one: had the gateway's got through,
  // vigild would have acknowledged the alarm in the gateway's name first.
  dashboard_->send("bed-1", core::alarm_ack{raised->event.alarm_id, "nurse-1", wall_ms()});
  const auto acked = dashboard_->wait_event(
      [](const timed_event& e) { return e.event.transition == transition::acknowledged; }, 5s);
  ASSERT_TRUE(acked) << vigild_->log();
  EXPECT_EQ(acked->event.acknowledged_by, "nurse-1");
}

TEST_F(secure_broker_test, replay_as_a_gateway_and_vigilctl_as_a_station_work_through_it) {
  start_ward();
  const std::string bed = "bed-tools";
  const auto csv = files_.write("session.csv", "time_s,hr_bpm\n0,160\n");
  const auto rec = files_.path().string() + "/session.rec";
  ASSERT_EQ(run_to_completion({VIGIL_REPLAY_PATH, "import-csv", csv, "--bed", bed, "-o", rec}, 10s)
                .exit_code,
            0);
  const std::vector<std::string> tls{"--broker", broker_->uri(), "--tls-ca-file", pki_.ca_file(),
                                     "--credentials-file"};
  auto with_tls = [&](std::vector<std::string> argv, const account& a) {
    argv.insert(argv.begin() + 2, tls.begin(), tls.end());
    argv.insert(argv.begin() + 2 + static_cast<std::ptrdiff_t>(tls.size()), credentials_file(a));
    return argv;
  };

  const auto published = run_to_completion(
      with_tls({VIGIL_REPLAY_PATH, "publish", rec, "--speed", "1000"}, gateway), 20s);
  ASSERT_EQ(published.exit_code, 0) << published.output;
  const auto raised = dashboard_->wait_event(
      [&](const timed_event& e) { return e.event.bed_id == bed && e.event.condition == "HR_HIGH"; },
      5s);
  ASSERT_TRUE(raised) << vigild_->log();

  const auto acked = run_to_completion(
      with_tls({VIGILCTL_PATH, "ack", raised->event.alarm_id, "--by", "nurse-2", "--wait"},
               dashboard),
      20s);
  EXPECT_EQ(acked.exit_code, 0) << acked.output;
  EXPECT_TRUE(dashboard_->wait_event(
      [&](const timed_event& e) {
        return e.event.transition == transition::acknowledged &&
               e.event.acknowledged_by == "nurse-2";
      },
      5s));
}

// The record (issue 14): a dashboard and the charge nurse's vigilctl may ask vigild for it; a
// gateway's or a pump's request is refused by the broker and never reaches vigild.
TEST_F(secure_broker_test, only_the_accounts_the_acl_lets_ask_get_the_history) {
  start_ward();
  const auto raised = raise_hr_high("bed-1");
  ASSERT_TRUE(raised) << vigild_->log();
  history_client asker(*dashboard_mqtt_, prefix);
  const std::string request_topic = codec::history_request_topic(prefix);
  const std::string anything = codec::encode(codec::history_request{});
  // Answered, were they let through, on the dashboard's response topic, which it watches.
  EXPECT_EQ(gateway_mqtt_->publish_request(request_topic, anything, asker.response_topic(),
                                           "from-gateway"),
            not_authorized);
  mqtt_test_client pump_mqtt(broker_->uri(), login(pump));
  EXPECT_EQ(pump_mqtt.publish_request(request_topic, anything, asker.response_topic(), "from-pump"),
            not_authorized);

  // The dashboard's request, after theirs: answered with the alarm, and nothing for theirs.
  const auto answer = asker.ask({});
  ASSERT_TRUE(answer) << vigild_->log() << broker_->log();
  EXPECT_TRUE(answer->error.empty()) << answer->error;
  ASSERT_FALSE(answer->events.empty());
  EXPECT_EQ(answer->events.front().alarm_id, raised->event.alarm_id);
  EXPECT_TRUE(asker.with_correlation("from-gateway").empty());
  EXPECT_TRUE(asker.with_correlation("from-pump").empty());

  // vigilctl history as the charge nurse, through TLS and the ACL.
  const auto printed = run_to_completion(
      {VIGILCTL_PATH, "history", "--format", "json", "--timeout", "5", "--broker", broker_->uri(),
       "--tls-ca-file", pki_.ca_file(), "--credentials-file", credentials_file(charge_nurse)},
      20s);
  EXPECT_EQ(printed.exit_code, 0) << printed.output;
  EXPECT_NE(printed.output.find("\"alarm_id\":\"" + raised->event.alarm_id + "\""),
            std::string::npos)
      << printed.output;
}

TEST_F(secure_broker_test, vigild_does_not_connect_when_its_ca_did_not_sign_the_broker) {
  start_broker(server_);
  test_pki other;
  launch_vigild(other.ca_file());
  expect_vigild_kept_out();
}

TEST_F(secure_broker_test, vigild_does_not_connect_when_the_certificate_names_another_host) {
  // Signed by the CA vigild trusts, but for another name: the host name check refuses it.
  start_broker(pki_.issue("impostor", "DNS:elsewhere.example"));
  launch_vigild(pki_.ca_file());
  expect_vigild_kept_out();
}

TEST_F(secure_broker_test, listener_requiring_client_certificates_refuses_vigild_without_one) {
  start_broker(server_, true);
  launch_vigild(pki_.ca_file());
  expect_vigild_kept_out();
}

TEST_F(secure_broker_test, listener_requiring_client_certificates_admits_vigild_with_its_own) {
  start_broker(server_, true);
  const auto vigild_cert = pki_.issue("vigild");
  launch_vigild(pki_.ca_file(), "tls_cert_file = \"" + vigild_cert.cert + "\"\ntls_key_file = \"" +
                                    vigild_cert.key + "\"\n");
  const auto dashboard_cert = pki_.issue("dashboard-1");
  connect_dashboard(login(dashboard, &dashboard_cert));
  EXPECT_TRUE(dashboard_->wait_online(instance)) << vigild_->log() << broker_->log();
}

TEST_F(secure_broker_test, vigild_refuses_to_start_with_credentials_others_can_read) {
  start_broker(server_);
  launch_vigild(pki_.ca_file(), "", 0644);
  EXPECT_EQ(vigild_->wait_exit(10s), 1);
  EXPECT_NE(vigild_->log().find("mqtt.credentials_file = \"" + credentials_ +
                                "\": mode 0644: readable by others; chmod 600 or 640"),
            std::string::npos)
      << vigild_->log();
}

}  // namespace
}  // namespace vigil::test
