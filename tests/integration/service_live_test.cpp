// vigild as a systemd service: the sd_notify protocol against a socket the test owns, the unit
// file as systemd reads it, a broker outage mid-infusion, a restart by SIGTERM, and the live
// recording replayed offline.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "live_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

// The service manager's end of $NOTIFY_SOCKET: a unix datagram socket the test binds.
class notify_socket {
 public:
  explicit notify_socket(std::string path) : path_(std::move(path)) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path_.copy(addr.sun_path, sizeof(addr.sun_path) - 1);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      throw std::runtime_error("cannot bind " + path_);
    }
    timeval tv{0, 50'000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  ~notify_socket() { ::close(fd_); }
  notify_socket(const notify_socket&) = delete;
  notify_socket& operator=(const notify_socket&) = delete;

  struct datagram {
    std::string text;
    std::chrono::steady_clock::time_point at;
  };
  // Receives until a datagram contains `text` (true) or `timeout` passes (false).
  bool wait_for(const std::string& text, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      char buf[4096];
      const auto n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) continue;
      received_.push_back(
          {std::string(buf, static_cast<std::size_t>(n)), std::chrono::steady_clock::now()});
      if (received_.back().text.find(text) != std::string::npos) return true;
    }
    return false;
  }
  void drain_for(std::chrono::milliseconds d) { wait_for("\x01never", d); }
  const std::vector<datagram>& received() const { return received_; }
  std::size_t count(const std::string& text) const {
    return static_cast<std::size_t>(
        std::count_if(received_.begin(), received_.end(),
                      [&](const datagram& d) { return d.text.find(text) != std::string::npos; }));
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::vector<datagram> received_;
};

// Sets an environment variable for the children started in this scope.
class scoped_env {
 public:
  scoped_env(const char* name, const std::string& value) : name_(name) {
    ::setenv(name, value.c_str(), 1);
  }
  ~scoped_env() { ::unsetenv(name_); }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;

 private:
  const char* name_;
};

TEST_F(live_test, sd_notify_ready_after_subscribe_then_watchdog_status_and_stopping) {
  temp_dir dir;
  notify_socket sd((dir.path() / "notify").string());
  broker_.stop();  // READY=1 must wait for the broker
  {
    scoped_env socket("NOTIFY_SOCKET", sd.path());
    scoped_env watchdog("WATCHDOG_USEC", "200000");
    launch_vigild();
  }
  // Not ready without a broker, but the loop runs, so the watchdog is fed.
  sd.drain_for(1500ms);
  EXPECT_EQ(sd.count("READY=1"), 0u) << vigild_->log();
  EXPECT_GE(sd.count("WATCHDOG=1"), 5u) << "a 200 ms watchdog wants a ping every 100 ms";
  EXPECT_GE(sd.count("STATUS=Connecting"), 1u);

  const auto broker_up = std::chrono::steady_clock::now();
  broker_.start();
  ASSERT_TRUE(sd.wait_for("READY=1", 10s)) << vigild_->log();
  EXPECT_GT(sd.received().back().at, broker_up);
  EXPECT_NE(sd.received().back().text.find("STATUS=Connected"), std::string::npos);
  // Ready means subscribed: an input sent now is handled.
  connect_client();
  start_infusion("bed-sd");
  client_->send("bed-sd", nibp(186, 95));
  EXPECT_TRUE(client_->wait_event(condition_is("SBP_HIGH"), 5s)) << vigild_->log();

  const auto before = sd.count("WATCHDOG=1");
  sd.drain_for(1000ms);
  EXPECT_GE(sd.count("WATCHDOG=1") - before, 5u) << "watchdog pings stopped after READY";

  EXPECT_EQ(vigild_->stop(2s), 0);
  sd.drain_for(200ms);
  EXPECT_EQ(sd.count("STOPPING=1"), 1u) << vigild_->log();
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The shipped unit with ExecStart at the built binary (verify wants it to exist).
std::string unit_for_built_binary(const temp_dir& dir) {
  auto unit = read_text(std::filesystem::path(VIGIL_SOURCE_DIR) / "systemd/vigild.service");
  unit = std::regex_replace(unit, std::regex("ExecStart=/usr/bin/vigild"),
                            std::string("ExecStart=") + VIGILD_PATH);
  return dir.write("vigild.service", unit);
}

TEST(systemd_unit_test, systemd_analyze_verify_accepts_the_unit) {
  if (::access("/usr/bin/systemd-analyze", X_OK) != 0) GTEST_SKIP() << "no systemd-analyze";
  temp_dir dir;
  const auto unit = unit_for_built_binary(dir);
  const auto r = run_to_completion({"/usr/bin/systemd-analyze", "verify", unit}, 30s);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("vigild.service:"), std::string::npos) << r.output;
}

TEST(systemd_unit_test, security_exposure_is_at_most_two) {
  if (::access("/usr/bin/systemd-analyze", X_OK) != 0) GTEST_SKIP() << "no systemd-analyze";
  temp_dir dir;
  const auto unit = unit_for_built_binary(dir);
  const auto r = run_to_completion(
      {"/usr/bin/systemd-analyze", "security", "--offline=true", "--no-pager", unit}, 30s);
  std::smatch m;
  const std::regex overall(R"(Overall exposure level for \S+: ([0-9.]+))");
  ASSERT_TRUE(std::regex_search(r.output, m, overall)) << r.output;
  const double exposure = std::stod(m[1]);
  std::cout << "systemd-analyze security exposure: " << exposure << "\n";
  EXPECT_LE(exposure, 2.0) << r.output;
}

// Every event of `bed` once, numbered without a gap.
void expect_contiguous_event_seq(const std::vector<timed_event>& events, const std::string& bed) {
  std::vector<std::uint64_t> seqs;
  std::map<std::string, int> raised;
  for (const auto& e : events) {
    if (e.topic.find("/beds/" + bed + "/") == std::string::npos) continue;
    seqs.push_back(e.event.event_seq);
    if (e.event.transition == core::transition::raised) ++raised[e.event.alarm_id];
  }
  ASSERT_FALSE(seqs.empty());
  std::sort(seqs.begin(), seqs.end());
  EXPECT_TRUE(std::adjacent_find(seqs.begin(), seqs.end()) == seqs.end()) << "a repeated event";
  EXPECT_EQ(seqs.back() - seqs.front() + 1, seqs.size()) << "an event is missing";
  EXPECT_EQ(seqs.front(), 1u) << "the first events are missing";
  for (const auto& [id, n] : raised) EXPECT_EQ(n, 1) << id << " raised " << n << " times";
}

class outage_test : public live_test {
 protected:
  outage_test() : live_test({.persistence = true}) {}
};

TEST_F(outage_test, twenty_second_outage_loses_no_event_and_moves_no_timer) {
  launch_vigild();
  connect_client({.will = {}, .persistent_session = true});
  ASSERT_TRUE(client_->wait_online(instance)) << vigild_->log();
  const std::string bed = "bed-outage20";
  start_infusion(bed);
  const auto last_reading = client_->send(bed, heart_rate(75));
  std::this_thread::sleep_for(300ms);  // vigild has the reading before the broker goes

  const auto down_at = wall_ms();
  broker_.stop();
  // HR_SIGNAL_LOST falls due 10 s after the reading, in the middle of the outage.
  ASSERT_TRUE(vigild_->wait_log(bed + ":HR_SIGNAL_LOST", 15s)) << vigild_->log();
  std::this_thread::sleep_until(std::chrono::steady_clock::now() +
                                std::chrono::milliseconds(20'000 - (wall_ms() - down_at)));
  const auto up_at = wall_ms();
  broker_.start();

  // vigild stamps its ONLINE status when it has reconnected.
  ASSERT_TRUE(mqtt_->wait_until(
      [&](const auto&) {
        auto s = client_->latest_status(instance);
        return s && s->state == codec::daemon_state::online && s->at_ms >= up_at;
      },
      15s))
      << vigild_->log();
  const auto reconnect_ms = client_->latest_status(instance)->at_ms - up_at;
  std::cout << "outage " << up_at - down_at << " ms; vigild ONLINE " << reconnect_ms
            << " ms after the broker came back\n";
  EXPECT_LE(reconnect_ms, 5000);
  EXPECT_TRUE(vigild_->wait_log("s disconnected", 1s)) << "outage length not logged";

  const auto lost = client_->wait_event(
      condition_and_transition("HR_SIGNAL_LOST", core::transition::raised), 10s);
  ASSERT_TRUE(lost) << "the alarm raised during the outage never arrived";
  EXPECT_GT(lost->event.at_ms, down_at);
  EXPECT_LT(lost->event.at_ms, up_at);
  // The signal-lost timer ran from the reading, undisturbed by the outage.
  EXPECT_GE(lost->event.at_ms - last_reading, 10'000);
  EXPECT_LE(lost->event.at_ms - last_reading, 11'000);

  // Something after the outage, so the stream has a tail to check continuity against.
  client_->send(bed, nibp(186, 95));
  ASSERT_TRUE(client_->wait_event(condition_is("SBP_HIGH"), 5s)) << vigild_->log();
  std::this_thread::sleep_for(500ms);  // any duplicate would have arrived by now
  expect_contiguous_event_seq(client_->events(), bed);
}

TEST_F(live_test, sigterm_and_restart_lose_and_repeat_no_event) {
  temp_dir state;
  launch_vigild("", state.path().string());
  connect_client({.will = {}, .persistent_session = true});
  ASSERT_TRUE(client_->wait_online(instance)) << vigild_->log();
  const std::string bed = "bed-sigterm";
  start_infusion(bed);
  client_->send(bed, nibp(186, 95));
  const auto raised = client_->wait_event(condition_is("SBP_HIGH"), 5s);
  ASSERT_TRUE(raised) << vigild_->log();

  ASSERT_EQ(vigild_->stop(2s), 0);
  const auto restarted_at = wall_ms();
  launch_vigild("", state.path().string());
  ASSERT_TRUE(client_->wait_online(instance, 10s, restarted_at)) << vigild_->log();

  client_->send(bed, core::alarm_ack{raised->event.alarm_id, "nurse-1", wall_ms()});
  ASSERT_TRUE(
      client_->wait_event(condition_and_transition("SBP_HIGH", core::transition::acknowledged), 5s))
      << vigild_->log();
  client_->send(bed, nibp(70, 40));
  ASSERT_TRUE(client_->wait_event(condition_is("SBP_LOW"), 5s)) << vigild_->log();
  std::this_thread::sleep_for(500ms);
  expect_contiguous_event_seq(client_->events(), bed);
}

std::string utc_day(std::int64_t ms) {
  const std::time_t t = ms / 1000;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
  return buf;
}

std::string json_field(const std::string& line, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(line, m, std::regex("\"" + name + "\":\\s*\"([^\"]*)\""))) return "";
  return m[1];
}

// The protobuf JSON names of the enums, in core's order.
std::string name_of(core::transition t) {
  static const char* names[] = {"UNSPECIFIED", "RAISED",  "ESCALATED", "ACKNOWLEDGED",
                                "REMINDED",    "LATCHED", "ENDED",     "NOTICE"};
  return std::string("TRANSITION_") + names[static_cast<int>(t)];
}
std::string name_of(core::priority p) {
  static const char* names[] = {"UNSPECIFIED", "LOW", "MEDIUM", "HIGH"};
  return std::string("PRIORITY_") + names[static_cast<int>(p)];
}

TEST_F(live_test, recording_replayed_offline_gives_the_alarms_vigild_published) {
  temp_dir rec;
  start_vigild("[recording]\nenabled = true\ndir = \"" + rec.path().string() + "\"\n");
  const std::string bed = "bed-rec";
  const auto first = wall_ms();
  start_infusion(bed);
  client_->send(bed, nibp(186, 95));
  const auto raised = client_->wait_event(condition_is("SBP_HIGH"), 5s);
  ASSERT_TRUE(raised) << vigild_->log();
  client_->send(bed, core::alarm_ack{raised->event.alarm_id, "nurse-1", wall_ms()});
  client_->send(bed, nibp(120, 80));
  ASSERT_TRUE(
      client_->wait_event(condition_and_transition("SBP_HIGH", core::transition::ended), 5s))
      << vigild_->log();
  ASSERT_EQ(vigild_->stop(2s), 0);  // closes the recording

  const auto file = rec.path() / utc_day(first) / (bed + ".rec");
  ASSERT_TRUE(std::filesystem::exists(file)) << file << "\n" << vigild_->log();
  const auto r = run_to_completion(
      {VIGIL_REPLAY_PATH, "offline", file.string(), "--config", vigild_->config_path()}, 10s);
  ASSERT_EQ(r.exit_code, 0) << r.output;

  std::vector<core::alarm_event> live;
  for (const auto& e : client_->events()) {
    if (e.topic.find("/beds/" + bed + "/") != std::string::npos) live.push_back(e.event);
  }
  std::vector<std::string> lines;
  std::istringstream in(r.output);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty() && l[0] == '{') lines.push_back(l);
  }
  ASSERT_EQ(lines.size(), live.size()) << r.output;
  for (std::size_t i = 0; i < live.size(); ++i) {
    const auto& e = live[i];
    EXPECT_EQ(json_field(lines[i], "alarm_id"), e.alarm_id) << lines[i];
    EXPECT_EQ(json_field(lines[i], "condition"), e.condition) << lines[i];
    EXPECT_EQ(json_field(lines[i], "transition"), name_of(e.transition)) << lines[i];
    EXPECT_EQ(json_field(lines[i], "priority"), name_of(e.priority)) << lines[i];
  }
}

TEST(vigild_cli_test, missing_config_option_exits_one) {
  const auto r = run_to_completion({VIGILD_PATH}, 5s);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("--config"), std::string::npos) << r.output;
}

bool wait_file_contains(const std::string& file, const std::string& text,
                        std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  do {
    if (read_text(file).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(50ms);
  } while (std::chrono::steady_clock::now() < until);
  return false;
}

TEST_F(live_test, sighup_applies_new_alarm_limits_and_names_what_needs_a_restart) {
  // Started directly: the test needs the PID to send SIGHUP.
  temp_dir dir;
  const auto conf = dir.write("vigild.toml", base_config(dir.path().string()));
  const auto log = (dir.path() / "vigild.log").string();
  child_process vigild({VIGILD_PATH, "--config", conf, "--broker", broker_.uri(), "--prefix",
                        prefix, "--instance", instance},
                       log);
  connect_client();
  ASSERT_TRUE(client_->wait_online(instance)) << read_text(log);
  const std::string bed = "bed-hup";
  start_infusion(bed);
  client_->send(bed, nibp(150, 85));  // under the shipped 160
  std::this_thread::sleep_for(300ms);

  dir.write("vigild.toml", base_config(dir.path().string()) +
                               "[alarms]\nsbp_high_medium = 140\n[mqtt]\nkeepalive_s = 30\n");
  ASSERT_EQ(::kill(vigild.pid(), SIGHUP), 0);
  ASSERT_TRUE(wait_file_contains(log, "reload: applied alarm limits", 5s)) << read_text(log);
  EXPECT_TRUE(wait_file_contains(log, "mqtt.keepalive_s changed but needs a restart", 1s))
      << read_text(log);

  client_->send(bed, nibp(150, 85));
  const auto raised = client_->wait_event(condition_is("SBP_HIGH"), 5s);
  ASSERT_TRUE(raised) << read_text(log);
  EXPECT_EQ(raised->event.priority, core::priority::medium);
  const auto events = client_->events();
  EXPECT_EQ(std::count_if(events.begin(), events.end(), condition_is("SBP_HIGH")), 1)
      << "SBP_HIGH raised before the reload";

  // A broken file keeps the running configuration.
  dir.write("vigild.toml", "[alarms]\nsbp_high_medium = 9999\n");
  ASSERT_EQ(::kill(vigild.pid(), SIGHUP), 0);
  EXPECT_TRUE(wait_file_contains(log, "the running configuration stays", 5s)) << read_text(log);
  EXPECT_EQ(vigild.stop(SIGTERM, 2s), 0);
}

}  // namespace
}  // namespace vigil::test
