// vigil-replay publish and record against a real mosquitto on 127.0.0.1 (label integration).
#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "child_process.hpp"
#include "codec/codec.hpp"
#include "io/recording.hpp"
#include "mosquitto_broker.hpp"
#include "mqtt_test_client.hpp"
#include "replay/csv_import.hpp"
#include "temp_dir.hpp"

namespace vigil::replay {
namespace {

using namespace std::chrono_literals;
const std::string replay_exe = VIGIL_REPLAY_EXE;
const std::string small_session = VIGIL_TEST_DATA "/replay/small_session.rec";

struct owned_frame {
  io::frame_kind kind;
  core::time_ms time;
  std::string topic;
  std::string payload;
};

// Every whole frame; `complete` is false when the file ends inside a frame or is unreadable.
std::vector<owned_frame> frames_of(const std::string& path, bool* complete = nullptr) {
  std::vector<owned_frame> out;
  io::recording_reader r;
  if (r.open(path)) {
    while (auto f = r.next()) {
      out.push_back({f->kind, f->time, std::string(f->topic), std::string(f->payload)});
    }
  }
  if (complete != nullptr) *complete = !r.error();
  return out;
}

// A real process's readiness: poll with a deadline (no manual clock reaches into it).
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

std::string read_text(const test::temp_dir& dir, const std::string& name) { return dir.read(name); }

TEST(replay_mqtt_test, record_captures_what_publish_plays_frame_for_frame_then_stops_on_sigterm) {
  test::mosquitto_broker broker;
  test::temp_dir dir;
  const std::string out = (dir.path() / "captured.rec").string();
  const std::string log = (dir.path() / "record.log").string();
  test::child_process record({replay_exe, "record", "--broker", broker.uri(), "-o", out}, log);
  ASSERT_TRUE(eventually([&] {
    return read_text(dir, "record.log").find("recording") != std::string::npos;
  })) << read_text(dir, "record.log");

  const auto played = test::run_to_completion(
      {replay_exe, "publish", small_session, "--broker", broker.uri(), "--speed", "1000"}, 10s);
  ASSERT_EQ(played.exit_code, 0) << played.output;

  const auto source = frames_of(small_session);
  // Every frame is flushed as it arrives, so the file shows them while record still runs.
  ASSERT_TRUE(eventually([&] { return frames_of(out).size() == source.size(); }));
  EXPECT_EQ(record.stop(SIGTERM, 5s), 0) << read_text(dir, "record.log");

  bool complete = false;
  const auto captured = frames_of(out, &complete);
  ASSERT_TRUE(complete);
  ASSERT_EQ(captured.size(), source.size() + 1);
  for (std::size_t i = 0; i < source.size(); ++i) {
    EXPECT_EQ(captured[i].kind, io::frame_kind::message);
    EXPECT_EQ(captured[i].topic, source[i].topic) << i;
    EXPECT_EQ(captured[i].payload, source[i].payload) << i;
    if (i > 0) {
      EXPECT_LE(captured[i - 1].time, captured[i].time);
    }
  }
  EXPECT_EQ(captured.back().kind, io::frame_kind::end);
  EXPECT_GE(captured.back().time, captured[source.size() - 1].time);
}

TEST(replay_mqtt_test, record_stops_by_itself_after_its_duration_with_a_clean_file) {
  test::mosquitto_broker broker;
  test::temp_dir dir;
  const std::string out = (dir.path() / "short.rec").string();
  const auto r = test::run_to_completion(
      {replay_exe, "record", "--broker", broker.uri(), "-o", out, "--duration", "0.3"}, 10s);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  bool complete = false;
  const auto frames = frames_of(out, &complete);
  EXPECT_TRUE(complete);
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].kind, io::frame_kind::end);
}

TEST(replay_mqtt_test, publish_resolves_an_imported_ack_against_the_retained_active_alarms) {
  test::mosquitto_broker broker;
  test::mqtt_test_client dashboard(broker.uri());
  // What vigild would have left retained: bed 7 has SBP_HIGH episode 2 open.
  core::active_alarms active;
  active.bed_id = "7";
  core::alarm_event open;
  open.alarm_id = "7:SBP_HIGH:2";
  open.bed_id = "7";
  open.condition = "SBP_HIGH";
  open.state = core::alarm_state::active;
  open.onset_ms = 1000;
  active.alarms.push_back(open);
  dashboard.publish("clinic/beds/7/alarms/active", codec::encode(active), /*retained=*/true);
  dashboard.subscribe("clinic/beds/7/alarms/ack");

  test::temp_dir dir;
  // The ack half a second after a first reading: publish has the retained set by then.
  const auto csv = dir.write("ack.csv", "time_s,hr_bpm,event\n0,70,\n0.5,,ack SBP_HIGH by=ana\n");
  const auto rec = dir.path() / "ack.rec";
  ASSERT_TRUE(import_csv(csv, rec, {"7", 0, "clinic", "test"}).ok());
  const auto played =
      test::run_to_completion({replay_exe, "publish", rec.string(), "--broker", broker.uri()}, 10s);
  ASSERT_EQ(played.exit_code, 0) << played.output;

  const auto msg = dashboard.wait_for(
      [](const test::received_message& m) { return m.topic == "clinic/beds/7/alarms/ack"; });
  ASSERT_TRUE(msg);
  const auto ack = codec::decode_alarm_ack(msg->payload);
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack.value().alarm_id, "7:SBP_HIGH:2");
  EXPECT_EQ(ack.value().by, "ana");
}

TEST(replay_mqtt_test, publish_to_a_broker_that_is_not_there_fails_with_exit_1) {
  const int port = test::free_tcp_port();
  const auto r = test::run_to_completion(
      {replay_exe, "publish", small_session, "--broker", "tcp://127.0.0.1:" + std::to_string(port)},
      15s);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("tcp://127.0.0.1:" + std::to_string(port)), std::string::npos)
      << r.output;
}

TEST(replay_mqtt_test, publish_of_a_corrupt_recording_fails_before_connecting) {
  const auto r =
      test::run_to_completion({replay_exe, "publish", VIGIL_TEST_DATA "/broken/bad_checksum.rec",
                               "--broker", "tcp://127.0.0.1:1"},
                              10s);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("byte 183: frame checksum mismatch"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace vigil::replay
