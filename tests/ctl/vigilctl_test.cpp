// The real vigilctl against a real mosquitto: what a nurse at a terminal sees and sends.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include "child_process.hpp"
#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "mosquitto_broker.hpp"
#include "mqtt_test_client.hpp"
#include "temp_dir.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

constexpr auto run_timeout = 10s;

// Unix ms of a time of day on 1970-01-01; vigilctl prints it in UTC (TZ is set below).
constexpr core::time_ms at(int h, int m, int s) { return ((h * 60LL + m) * 60 + s) * 1000; }

class vigilctl_test : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);  // inherited by vigilctl: times of day are predictable
  }

  std::vector<std::string> args(std::initializer_list<std::string> rest) const {
    std::vector<std::string> a{VIGILCTL_PATH, "--broker", broker.uri()};
    a.insert(a.end(), rest);
    return a;
  }

  // Where a vigilctl started as a child_process writes its stdout and stderr.
  std::string out_file() const { return (dir.path() / "vigilctl.out").string(); }

  // That output's lines, once it has printed at least `n` (or whatever it has printed
  // when the deadline passes).
  std::vector<std::string> output_lines(std::size_t n) const {
    const auto deadline = std::chrono::steady_clock::now() + run_timeout;
    std::vector<std::string> lines;
    while (true) {
      lines.clear();
      std::ifstream in(out_file());
      for (std::string line; std::getline(in, line);) lines.push_back(line);
      if (lines.size() >= n || std::chrono::steady_clock::now() >= deadline) return lines;
      std::this_thread::sleep_for(10ms);  // polling a file another process writes
    }
  }

  void publish(const std::string& topic, const std::string& payload, bool retained = false) {
    client.publish(topic, payload, retained);
  }

  mosquitto_broker broker{{.persistence = true}};  // retained messages survive a restart
  mqtt_test_client client{broker.uri()};
  temp_dir dir;
};

core::alarm_event event(std::string bed, std::string condition, core::priority p,
                        core::transition t, core::time_ms when, std::uint64_t seq) {
  core::alarm_event e;
  e.bed_id = bed;
  e.condition = condition;
  e.alarm_id = bed + ":" + condition + ":1";
  e.event_seq = seq;
  e.priority = p;
  e.transition = t;
  e.state = t == core::transition::ended ? core::alarm_state::ended : core::alarm_state::active;
  e.at_ms = when;
  e.text = condition + " text";
  return e;
}

TEST_F(vigilctl_test, watch_prints_retained_bed_state_then_each_event_once) {
  core::session_state session;
  session.bed_id = "chair-1";
  session.phase = core::phase::infusion;
  session.planned_minutes = 40;
  session.infusion_started_at_ms = wall_ms() - (12 * 60 + 5) * 1000;
  publish(codec::session_topic("clinic", "chair-1"), codec::encode(session), true);
  core::active_alarms active{"chair-1", wall_ms(), {}};
  active.alarms.push_back(event("chair-1", "SBP_HIGH", core::priority::high,
                                core::transition::raised, at(12, 0, 0), 1));
  publish(codec::active_alarms_topic("clinic", "chair-1"), codec::encode(active), true);
  core::session_state idle;
  idle.bed_id = "chair-2";
  idle.phase = core::phase::idle;
  publish(codec::session_topic("clinic", "chair-2"), codec::encode(idle), true);

  child_process watch(args({"watch"}), out_file());
  const auto snapshot = output_lines(2);
  ASSERT_EQ(snapshot.size(), 2u);
  // The elapsed time is read at print time: a slow machine may add a few seconds.
  EXPECT_THAT(snapshot[0], MatchesRegex("bed chair-1: INFUSION 12:0[5-9] of 40 min, 1 open alarm: "
                                        "HIGH SBP_HIGH \\[chair-1:SBP_HIGH:1\\]"));
  EXPECT_EQ(snapshot[1], "bed chair-2: IDLE, no open alarms");

  const auto raised = event("chair-1", "HR_HIGH", core::priority::medium, core::transition::raised,
                            at(12, 5, 30), 2);
  publish(codec::alarm_events_topic("clinic", "chair-1"), codec::encode(raised));
  // vigild sends an escalation twice: on the bed's events and on the escalations topic.
  const auto escalated = event("chair-1", "HR_HIGH", core::priority::high,
                               core::transition::escalated, at(12, 7, 30), 3);
  publish(codec::alarm_events_topic("clinic", "chair-1"), codec::encode(escalated));
  publish(codec::escalations_topic("clinic"), codec::encode(escalated));
  auto recovery = session;
  recovery.phase = core::phase::recovery;
  recovery.infusion_stopped_at_ms = at(12, 40, 0);
  recovery.at_ms = at(12, 40, 0);
  publish(codec::session_topic("clinic", "chair-1"), codec::encode(recovery), true);
  const auto ended =
      event("chair-1", "HR_HIGH", core::priority::high, core::transition::ended, at(12, 41, 0), 4);
  publish(codec::alarm_events_topic("clinic", "chair-1"), codec::encode(ended));

  const auto lines = output_lines(6);
  EXPECT_EQ(watch.stop(SIGTERM, 3s), 0);
  EXPECT_THAT(std::vector(lines.begin() + 2, lines.end()),
              ElementsAre("12:05:30 chair-1 MEDIUM RAISED       HR_HIGH HR_HIGH text "
                          "[chair-1:HR_HIGH:1]",
                          "12:07:30 chair-1 HIGH   ESCALATED    HR_HIGH HR_HIGH text "
                          "[chair-1:HR_HIGH:1]",
                          "12:40:00 chair-1 session: RECOVERY 0:00 after infusion",
                          "12:41:00 chair-1 HIGH   ENDED        HR_HIGH HR_HIGH text "
                          "[chair-1:HR_HIGH:1]"));
}

TEST_F(vigilctl_test, watch_of_one_bed_ignores_other_beds_escalations) {
  child_process watch(args({"watch", "--bed", "chair-2"}), out_file());
  ASSERT_THAT(output_lines(1), ElementsAre(HasSubstr("no bed has a session or open alarms")));
  publish(codec::escalations_topic("clinic"),
          codec::encode(event("chair-1", "HR_HIGH", core::priority::high,
                              core::transition::escalated, at(12, 0, 0), 1)));
  publish(codec::alarm_events_topic("clinic", "chair-2"),
          codec::encode(event("chair-2", "HR_LOW", core::priority::medium, core::transition::raised,
                              at(12, 0, 1), 1)));
  const auto lines = output_lines(2);
  EXPECT_EQ(watch.stop(SIGINT, 3s), 0);
  EXPECT_THAT(lines, ElementsAre(HasSubstr("no bed"), HasSubstr("[chair-2:HR_LOW:1]")));
}

TEST_F(vigilctl_test, watch_says_when_it_lost_the_broker_and_lists_the_beds_again_after) {
  core::session_state session;
  session.bed_id = "chair-1";
  session.phase = core::phase::idle;
  publish(codec::session_topic("clinic", "chair-1"), codec::encode(session), true);
  child_process watch(args({"watch"}), out_file());
  ASSERT_THAT(output_lines(1), ElementsAre("bed chair-1: IDLE, no open alarms"));

  broker.stop();
  broker.start();
  ASSERT_TRUE(client.wait_connected(run_timeout));
  ASSERT_EQ(output_lines(4).size(), 4u);
  publish(codec::alarm_events_topic("clinic", "chair-1"),
          codec::encode(event("chair-1", "HR_LOW", core::priority::medium, core::transition::raised,
                              at(12, 0, 0), 1)));
  const auto lines = output_lines(5);
  EXPECT_EQ(watch.stop(SIGTERM, 3s), 0);
  EXPECT_THAT(lines,
              ElementsAre("bed chair-1: IDLE, no open alarms",
                          HasSubstr("vigilctl: lost the connection to " + broker.uri()),
                          "vigilctl: connected again to " + broker.uri(),
                          "bed chair-1: IDLE, no open alarms", HasSubstr("[chair-1:HR_LOW:1]")));
}

TEST_F(vigilctl_test, ack_publishes_the_alarm_ack_on_the_beds_ack_topic) {
  client.subscribe("clinic/beds/+/alarms/ack");
  const auto before = wall_ms();
  const auto run =
      run_to_completion(args({"ack", "chair-1:SBP_HIGH:1", "--by", "kim"}), run_timeout);
  const auto after = wall_ms();
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("sent ack of chair-1:SBP_HIGH:1 by kim"));

  const auto msg = client.wait_for([](const received_message& m) {
    return m.topic == codec::input_topic_name("clinic", "chair-1", codec::input_kind::ack);
  });
  ASSERT_TRUE(msg);
  const auto ack = codec::decode_alarm_ack(msg->payload);
  ASSERT_TRUE(ack) << ack.error();
  EXPECT_EQ(ack.value().alarm_id, "chair-1:SBP_HIGH:1");
  EXPECT_EQ(ack.value().by, "kim");
  EXPECT_GE(ack.value().at_ms, before);
  EXPECT_LE(ack.value().at_ms, after);
}

TEST_F(vigilctl_test, ack_wait_prints_vigilds_answer_and_exits_0) {
  client.subscribe("clinic/beds/+/alarms/ack");
  child_process ack(args({"ack", "chair-1:SBP_HIGH:1", "--by", "kim", "--wait"}), out_file());
  ASSERT_TRUE(client.wait_for([](const received_message& m) { return m.topic.ends_with("/ack"); }));
  auto answer = event("chair-1", "SBP_HIGH", core::priority::high, core::transition::acknowledged,
                      at(12, 6, 0), 2);
  publish(codec::alarm_events_topic("clinic", "chair-1"), codec::encode(answer));
  EXPECT_EQ(ack.wait_exit(run_timeout), 0);
  EXPECT_THAT(output_lines(2), ElementsAre(HasSubstr("sent ack"),
                                           "12:06:00 chair-1 HIGH   ACKNOWLEDGED SBP_HIGH "
                                           "SBP_HIGH text [chair-1:SBP_HIGH:1]"));
}

TEST_F(vigilctl_test, ack_wait_without_an_answer_fails_after_five_seconds) {
  const auto run =
      run_to_completion(args({"ack", "chair-1:SBP_HIGH:1", "--by", "kim", "--wait"}), run_timeout);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.output, HasSubstr("vigilctl: vigild did not acknowledge or end"));
}

TEST_F(vigilctl_test, ack_of_a_malformed_id_is_one_error_line_and_sends_nothing) {
  client.subscribe("clinic/#");
  const auto run = run_to_completion(args({"ack", "chair-1-SBP_HIGH", "--by", "kim"}), run_timeout);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.output,
            "vigilctl: bad alarm id 'chair-1-SBP_HIGH': expected BED:CONDITION:N, "
            "as vigilctl watch shows it\n");
  EXPECT_TRUE(client.messages().empty());
}

TEST_F(vigilctl_test, ack_without_by_is_a_usage_error) {
  EXPECT_EQ(run_to_completion(args({"ack", "chair-1:SBP_HIGH:1"}), run_timeout).exit_code, 2);
}

TEST_F(vigilctl_test, status_prints_each_instance_and_exits_0_when_one_is_online) {
  const codec::daemon_status online{"ward-a", codec::daemon_state::online, "0.1.0", at(11, 0, 0),
                                    wall_ms()};
  publish(codec::daemon_status_topic("clinic", "ward-a"), codec::encode(online), true);
  const codec::daemon_status offline{"ward-b", codec::daemon_state::offline, "0.1.0", at(10, 0, 0),
                                     wall_ms()};
  publish(codec::daemon_status_topic("clinic", "ward-b"), codec::encode(offline), true);
  const auto run = run_to_completion(args({"status", "--timeout", "0.5"}), run_timeout);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output,
              MatchesRegex("ward-a: ONLINE, version 0\\.1\\.0, started 1970-01-01 11:00:00, "
                           "last heartbeat [0-3] s ago\n"
                           "ward-b: OFFLINE, version 0\\.1\\.0, started 1970-01-01 10:00:00, "
                           "last heartbeat [0-3] s ago\n"));
}

TEST_F(vigilctl_test, status_exits_1_when_no_instance_is_online) {
  const codec::daemon_status offline{"ward-b", codec::daemon_state::offline, "0.1.0", at(10, 0, 0),
                                     wall_ms()};
  publish(codec::daemon_status_topic("clinic", "ward-b"), codec::encode(offline), true);
  const auto run = run_to_completion(args({"status", "--timeout", "0.5"}), run_timeout);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.output, HasSubstr("vigilctl: no vigild instance is ONLINE and leading"));
}

TEST_F(vigilctl_test, status_shows_each_member_of_a_pair_with_its_role) {
  codec::daemon_status a{"ward-a",  codec::daemon_state::online, "0.1.0", at(10, 0, 0),
                         wall_ms(), codec::daemon_role::leader};
  codec::daemon_status b{"ward-b",  codec::daemon_state::online, "0.1.0", at(11, 0, 0),
                         wall_ms(), codec::daemon_role::standby};
  publish(codec::daemon_status_topic("clinic", "ward-a"), codec::encode(a), true);
  publish(codec::daemon_status_topic("clinic", "ward-b"), codec::encode(b), true);
  const auto run = run_to_completion(args({"status", "--timeout", "0.5"}), run_timeout);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("ward-a: ONLINE, leader, version"));
  EXPECT_THAT(run.output, HasSubstr("ward-b: ONLINE, standby, version"));
}

TEST_F(vigilctl_test, status_exits_1_when_only_a_standby_is_online) {
  // The leader died (its Last Will) and the standby has not taken over: nobody watches the beds.
  codec::daemon_status a{"ward-a", codec::daemon_state::offline, "0.1.0", at(10, 0, 0), 0};
  codec::daemon_status b{"ward-b",  codec::daemon_state::online, "0.1.0", at(11, 0, 0),
                         wall_ms(), codec::daemon_role::standby};
  publish(codec::daemon_status_topic("clinic", "ward-a"), codec::encode(a), true);
  publish(codec::daemon_status_topic("clinic", "ward-b"), codec::encode(b), true);
  const auto run = run_to_completion(args({"status", "--timeout", "0.5"}), run_timeout);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("no vigild instance is ONLINE and leading"));
}

TEST_F(vigilctl_test, status_without_any_daemon_exits_1) {
  const auto run = run_to_completion(args({"status", "--timeout", "0.3"}), run_timeout);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.output, "vigilctl: no vigild status on clinic/daemon/+/status within 0.3 s\n");
}

TEST_F(vigilctl_test, unreachable_broker_is_one_error_line_and_exit_1) {
  const std::string nowhere = "tcp://127.0.0.1:" + std::to_string(free_tcp_port());
  const auto run = run_to_completion({VIGILCTL_PATH, "--broker", nowhere, "status"}, run_timeout);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.output, MatchesRegex("vigilctl: cannot connect to " + nowhere + ": [^\n]*\n"));
}

}  // namespace
}  // namespace vigil::test
