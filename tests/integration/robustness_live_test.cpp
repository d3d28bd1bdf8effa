// What the network can do to vigild: a gateway that dies (its Last Will), garbage on every
// input topic, and a dashboard that connects late and must be in step at once.
#include <cmath>
#include <limits>
#include <regex>

#include "child_process.hpp"
#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "live_fixture.hpp"
#include "temp_dir.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;
using core::alarm_kind;
using core::phase;
using core::priority;
using core::transition;

TEST_F(live_test, gateway_last_will_raises_monitor_offline_high_during_infusion) {
  start_vigild();
  const std::string bed = "bed-gw";
  const auto status_topic = codec::input_topic_name(prefix, bed, codec::input_kind::monitor_status);
  mqtt_->subscribe(status_topic);
  start_infusion(bed);

  temp_dir dir;
  child_process gateway({VIGIL_TEST_GATEWAY_PATH, broker_.uri(), prefix, bed},
                        (dir.path() / "gateway.log").string());
  auto has_state = [&](core::monitor_state state) {
    return [&, state](const received_message& m) {
      auto s = codec::decode_monitor_status(m.payload);
      return m.topic == status_topic && s && s.value().state == state;
    };
  };
  ASSERT_TRUE(mqtt_->wait_for(has_state(core::monitor_state::online), 5s))
      << dir.read("gateway.log");

  // SIGKILL: the TCP connection drops without DISCONNECT, so the broker publishes the will.
  const auto killed_at = wall_ms();
  gateway.kill_now();
  ASSERT_TRUE(mqtt_->wait_for(has_state(core::monitor_state::offline), 5s));
  const auto e = client_->wait_event(condition_is("MONITOR_OFFLINE"), 5s);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->event.priority, priority::high);
  EXPECT_EQ(e->event.kind, alarm_kind::technical);
  EXPECT_EQ(e->event.transition, transition::raised);
  EXPECT_EQ(e->event.phase, phase::infusion);
  std::cout << "MONITOR_OFFLINE received " << e->received_at_ms - killed_at
            << " ms after the gateway was killed\n";
}

TEST_F(live_test, garbage_on_every_input_topic_does_not_stop_a_later_alarm) {
  start_vigild();
  const std::string bed = "bed-junk";
  const std::string valid_hr = codec::encode(heart_rate(80));
  const std::vector<std::string> garbage{
      "",                                           // decodes as an all-default message
      std::string("\xff\xff\xff\xff garbage", 12),  // not protobuf at all
      valid_hr.substr(0, valid_hr.size() - 3),      // truncated
      std::string(70 * 1024, 'x'),                  // over the 64 KiB limit
  };
  for (auto kind : codec::all_input_kinds) {
    for (const auto& payload : garbage) {
      mqtt_->publish(codec::input_topic_name(prefix, bed, kind), payload);
    }
  }
  // Topics that break the contract, and readings that decode but are not valid measurements.
  mqtt_->publish(std::string(prefix) + "/beds/" + std::string(65, 'b') + "/vitals/heart_rate",
                 valid_hr);
  mqtt_->publish(std::string(prefix) + "/beds/bed junk!/vitals/heart_rate", valid_hr);
  client_->send(bed, heart_rate(std::numeric_limits<double>::quiet_NaN()));
  client_->send(bed, heart_rate(500));
  auto invalid = heart_rate(80);
  invalid.validity = core::validity::invalid;
  client_->send(bed, invalid);
  client_->send(bed, nibp(80, 120));  // DBP above SBP
  client_->send(bed, core::alarm_ack{"bed-junk:SBP_HIGH:99", "nobody", wall_ms()});

  start_infusion(bed);
  client_->send(bed, nibp(186, 95));
  const auto e = client_->wait_event(condition_is("SBP_HIGH"), 5s);
  ASSERT_TRUE(e) << "no SBP_HIGH after the garbage";
  EXPECT_EQ(e->event.priority, priority::high);
  EXPECT_TRUE(vigild_->running());
  EXPECT_NE(vigild_->log().find("dropped input"), std::string::npos);
}

TEST_F(live_test, flood_of_one_bad_input_is_counted_but_logged_only_a_few_times) {
  start_vigild();
  const auto topic = codec::input_topic_name(prefix, "bed-flood", codec::input_kind::heart_rate);
  constexpr int flood = 50;
  for (int i = 0; i < flood; ++i) mqtt_->publish(topic, "\xff not protobuf");
  client_->send("bed-flood", nibp(186, 95));  // handled after the flood: the flood is done
  ASSERT_TRUE(client_->wait_event(condition_is("SBP_HIGH"), 5s));
  ASSERT_EQ(vigild_->stop(), 0);

  const auto log = vigild_->log();
  std::size_t lines = 0;
  for (auto pos = log.find("(undecodable_heart_rate)"); pos != std::string::npos;
       pos = log.find("(undecodable_heart_rate)", pos + 1)) {
    ++lines;
  }
  EXPECT_GE(lines, 1u);
  EXPECT_LE(lines, 5u) << "the limiter let the flood through";
  EXPECT_NE(log.find("ingest undecodable_heart_rate: " + std::to_string(flood)), std::string::npos)
      << "not every dropped message was counted";
}

// A HeartRate whose device_id is not UTF-8 is undecodable, and protobuf itself would print a
// line for each one ("String field ... contains invalid UTF-8"): vigild must not let it.
TEST_F(live_test, a_flood_of_invalid_utf8_strings_writes_no_protobuf_line_per_message) {
  start_vigild();
  const auto topic = codec::input_topic_name(prefix, "bed-utf8", codec::input_kind::heart_rate);
  constexpr int flood = 200;
  // Field 1 (device_id), length 2, bytes 0xC3 0x28: an invalid two-byte sequence.
  const std::string bad("\x0a\x02\xc3\x28", 4);
  for (int i = 0; i < flood; ++i) mqtt_->publish(topic, bad);
  client_->send("bed-utf8", nibp(186, 95));
  ASSERT_TRUE(client_->wait_event(condition_is("SBP_HIGH"), 5s));
  ASSERT_EQ(vigild_->stop(), 0);
  const auto log = vigild_->log();
  EXPECT_EQ(log.find("libprotobuf"), std::string::npos) << log;
  EXPECT_NE(log.find("ingest undecodable_heart_rate: " + std::to_string(flood)), std::string::npos)
      << log;
  // Silenced, and counted: one line of protobuf's per bad string at least.
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(log, m, std::regex(R"(protobuf: (\d+) line\(s\) of its own log silenced)")))
      << log;
  EXPECT_GE(std::stoi(m[1]), flood);
}

// Alarm events come from outside input too: a sender flapping cuffs on many beds (each within
// its rate limit) makes hundreds of transitions. Every one is published; their log lines stop
// at the event limit (600 a minute).
TEST_F(live_test, a_flood_of_alarm_transitions_is_published_whole_but_logged_only_up_to_the_limit) {
  start_vigild();
  const auto started = std::chrono::steady_clock::now();
  constexpr int beds = 40;
  constexpr int flaps = 10;  // each: SBP_HIGH raised, then ended (NIBP: no delays)
  for (int f = 0; f < flaps; ++f) {
    for (int b = 0; b < beds; ++b) {
      const auto bed = "flap-" + std::to_string(b);
      client_->send(bed, nibp(186, 95));
      client_->send(bed, nibp(120, 80));
    }
  }
  constexpr std::size_t transitions = beds * flaps * 2;
  EXPECT_TRUE(mqtt_->wait_until(
      [&](const std::vector<received_message>&) { return client_->events().size() >= transitions; },
      30s))
      << client_->events().size() << " of " << transitions << " events";
  ASSERT_EQ(vigild_->stop(), 0);
  const auto log = vigild_->log();
  std::size_t lines = 0;
  for (auto pos = log.find("] event #"); pos != std::string::npos;
       pos = log.find("] event #", pos + 1)) {
    ++lines;
  }
  // One window of the limit unless a slow (sanitized) run took over a minute to send them.
  if (std::chrono::steady_clock::now() - started < 55s) {
    EXPECT_EQ(lines, 600u) << "the first 600 a minute are logged, the rest only published";
  } else {
    EXPECT_LT(lines, transitions);
  }
}

TEST_F(live_test, late_dashboard_gets_retained_active_alarms_and_session) {
  start_vigild();
  const std::string bed = "bed-late";
  start_infusion(bed, "late-session");
  client_->send(bed, nibp(186, 95));
  const auto raised = client_->wait_event(condition_is("SBP_HIGH"), 5s);
  ASSERT_TRUE(raised);

  // A dashboard that connects only now.
  const auto t0 = std::chrono::steady_clock::now();
  mqtt_test_client late_mqtt(broker_.uri());
  std::cout << "second client connected in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - t0)
                   .count()
            << " ms\n";
  vigil_client dashboard(late_mqtt, prefix);
  dashboard.watch_state();
  ASSERT_TRUE(late_mqtt.wait_until(
      [&](const auto&) { return dashboard.latest_active(bed) && dashboard.latest_session(bed); }));
  for (const auto& m : late_mqtt.messages()) EXPECT_TRUE(m.retained) << m.topic;

  const auto active = *dashboard.latest_active(bed);
  EXPECT_EQ(active.bed_id, bed);
  const auto sbp = std::find_if(active.alarms.begin(), active.alarms.end(),
                                [](const auto& a) { return a.condition == "SBP_HIGH"; });
  ASSERT_NE(sbp, active.alarms.end());
  EXPECT_EQ(sbp->alarm_id, raised->event.alarm_id);
  EXPECT_EQ(sbp->state, core::alarm_state::active);

  const auto session = *dashboard.latest_session(bed);
  EXPECT_EQ(session.phase, phase::infusion);
  EXPECT_EQ(session.session_id, "late-session");
  EXPECT_EQ(session.baseline_systolic_mmhg, 120);
}

}  // namespace
}  // namespace vigil::test
