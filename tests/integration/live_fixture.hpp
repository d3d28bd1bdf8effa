// A real mosquitto, a real vigild connected to it, and one test client subscribed to every
// bed's alarm events. Each test gets its own broker at a free port, so tests run in parallel.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "mosquitto_broker.hpp"
#include "mqtt_test_client.hpp"
#include "vigil_client.hpp"
#include "vigild_process.hpp"

namespace vigil::test {

// What every live test's configuration has; a test appends its own tables. By default the
// state lives in vigild_process's private directory; a restart test passes its own. Metrics
// on a free port (tests run side by side); vigild logs the port it took.
inline std::string base_config(const std::string& state_dir = "@DIR@") {
  return "[metrics]\nlisten = \"127.0.0.1:0\"\n[daemon]\nlog_level = \"debug\"\nstate_dir = \"" +
         state_dir + "\"\nstatus_interval_s = 10\n";
}

class live_test : public ::testing::Test {
 protected:
  live_test() : live_test(mosquitto_broker::options{}) {}
  explicit live_test(mosquitto_broker::options broker_opts) : broker_(broker_opts) {}

  static constexpr const char* prefix = "clinic";
  static constexpr const char* instance = "it";

  // Starts vigild with base_config + `extra_toml`; does not wait for it.
  void launch_vigild(const std::string& extra_toml = "", const std::string& state_dir = "@DIR@",
                     std::vector<std::string> environment = {}) {
    vigild_ = std::make_unique<vigild_process>(
        vigild_options{.executable = VIGILD_PATH,
                       .broker_uri = broker_.uri(),
                       .prefix = prefix,
                       .instance = instance,
                       .config_toml = base_config(state_dir) + extra_toml,
                       .extra_args = {},
                       .environment = std::move(environment)});
  }

  // Connects the test client and subscribes to every bed's alarm events.
  void connect_client(mqtt_test_client::options opts = {}) {
    mqtt_ = std::make_unique<mqtt_test_client>(broker_.uri(), std::move(opts));
    client_ = std::make_unique<vigil_client>(*mqtt_, prefix);
    client_->watch_alarms();
  }

  // launch_vigild + connect_client, then waits for vigild's ONLINE status (by then it has
  // subscribed to its inputs).
  void start_vigild(const std::string& extra_toml = "") {
    launch_vigild(extra_toml);
    connect_client();
    ASSERT_TRUE(client_->wait_online(instance)) << vigild_->log();
  }

  void TearDown() override {
    if (vigild_ && vigild_->running()) {
      const auto t0 = std::chrono::steady_clock::now();
      EXPECT_EQ(vigild_->stop(std::chrono::seconds(2)), 0) << "vigild did not exit cleanly";
      EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
    }
    // VIGIL_TEST_LOGS=1 shows vigild's log for passing tests too.
    if (vigild_ && (HasFailure() || std::getenv("VIGIL_TEST_LOGS"))) {
      std::cerr << "---- vigild log ----\n" << vigild_->log();
    }
  }

  // Paces a stream at real time: sleeps until `start + offset`. Inputs are stamped by vigild
  // on receipt, so a 1 Hz stream has to take real seconds.
  static void sleep_until(std::chrono::steady_clock::time_point start,
                          std::chrono::milliseconds offset) {
    std::this_thread::sleep_until(start + offset);
  }

  static auto condition_is(std::string condition) {
    return [c = std::move(condition)](const timed_event& e) { return e.event.condition == c; };
  }
  static auto condition_and_transition(std::string condition, core::transition t) {
    return [c = std::move(condition), t](const timed_event& e) {
      return e.event.condition == c && e.event.transition == t;
    };
  }

  // A valid NIBP in IDLE, then STARTED: the bed is in INFUSION with a baseline.
  void start_infusion(const std::string& bed, const std::string& session = "s1",
                      std::uint32_t planned_minutes = 40) {
    client_->send(bed, nibp(120, 80));
    client_->send(bed, infusion(core::infusion_kind::started, session, planned_minutes));
  }

  mosquitto_broker broker_;
  std::unique_ptr<vigild_process> vigild_;
  std::unique_ptr<mqtt_test_client> mqtt_;
  std::unique_ptr<vigil_client> client_;
};

}  // namespace vigil::test
