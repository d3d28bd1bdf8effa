// vigild's /metrics and /ready against a real Prometheus (Debian's prometheus, started at a
// free port on 127.0.0.1 and stopped by PID) after a scripted session: Prometheus scrapes
// vigild and its HTTP API returns the expected series with the expected values; promtool
// accepts vigild's page.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>

#include "child_process.hpp"
#include "codec/topics.hpp"
#include "http_get.hpp"
#include "live_fixture.hpp"
#include "temp_dir.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

class metrics_live_test : public live_test {
 protected:
  // The port vigild took for [metrics] listen = "127.0.0.1:0", from its log.
  int metrics_port() {
    EXPECT_TRUE(vigild_->wait_log("metrics: serving http://127.0.0.1:", 10s)) << vigild_->log();
    std::smatch m;
    const auto log = vigild_->log();
    if (!std::regex_search(log, m, std::regex(R"(serving http://127\.0\.0\.1:(\d+)/metrics)"))) {
      return 0;
    }
    return std::stoi(m[1]);
  }
};

// One number from Prometheus' instant-query API: the value of the query's single series.
std::optional<std::string> query(int prometheus_port, const std::string& promql) {
  const auto r = http_get(prometheus_port, "/api/v1/query?query=" + url_encode(promql));
  if (!r || r->status != 200) return std::nullopt;
  std::smatch m;
  if (!std::regex_search(r->body, m, std::regex(R"re("value":\[[0-9.]+,"([^"]*)"\])re"))) {
    return std::nullopt;
  }
  return m[1].str();
}

// Polls until `promql` gives `expected` (Prometheus scrapes every second).
::testing::AssertionResult eventually(int port, const std::string& promql,
                                      const std::string& expected) {
  std::optional<std::string> got;
  for (auto deadline = std::chrono::steady_clock::now() + 30s;
       std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(200ms)) {
    got = query(port, promql);
    if (got == expected) return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << promql << " gave " << got.value_or("nothing") << ", expected " << expected;
}

TEST_F(metrics_live_test, prometheus_scrapes_the_session_as_it_happened) {
  start_vigild();
  const int port = metrics_port();
  ASSERT_NE(port, 0) << vigild_->log();

  // The session: chair-1 starts an infusion, a heart rate, then a cuff of 186/95 (SBP_HIGH,
  // HIGH at once); a heart rate that is no protobuf on chair-2 (dropped, undecodable).
  client_->send("chair-1", infusion(core::infusion_kind::started));
  client_->send("chair-1", heart_rate(80));
  client_->send("chair-1", nibp(186, 95));
  client_->mqtt().publish(codec::input_topic_name(prefix, "chair-2", codec::input_kind::heart_rate),
                          "\xff\x01junk");
  ASSERT_TRUE(client_->wait_event(
      [](const timed_event& e) {
        return e.event.condition == "SBP_HIGH" && e.event.transition == core::transition::raised;
      },
      10s))
      << vigild_->log();

  const auto ready = http_get(port, "/ready");
  ASSERT_TRUE(ready.has_value());
  EXPECT_EQ(ready->status, 200) << ready->body;

  // promtool accepts the page as it is (names, types, help, _total, units).
  temp_dir dir;
  const auto page = http_get(port, "/metrics");
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->status, 200);
  const auto page_file = dir.write("metrics.txt", page->body);
  const auto check =
      run_to_completion({"/bin/sh", "-c", "promtool check metrics < " + page_file}, 30s);
  EXPECT_EQ(check.exit_code, 0) << check.output << "\n" << page->body;

  // A real Prometheus scraping it every second.
  const int prom_port = free_tcp_port();
  const auto config = dir.write("prometheus.yml",
                                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                                "scrape_configs:\n  - job_name: vigild\n    static_configs:\n"
                                "      - targets: ['127.0.0.1:" +
                                    std::to_string(port) + "']\n");
  child_process prometheus({"/usr/bin/prometheus", "--config.file=" + config,
                            "--storage.tsdb.path=" + (dir.path() / "tsdb").string(),
                            "--web.listen-address=127.0.0.1:" + std::to_string(prom_port)},
                           (dir.path() / "prometheus.log").string());

  EXPECT_TRUE(eventually(prom_port, R"(up{job="vigild"})", "1"));
  EXPECT_TRUE(eventually(prom_port, "vigil_ready", "1"));
  EXPECT_TRUE(eventually(prom_port, "vigil_mqtt_connected", "1"));
  EXPECT_TRUE(eventually(
      prom_port,
      R"(vigil_alarm_events_total{condition="SBP_HIGH",transition="RAISED",priority="HIGH"})",
      "1"));
  EXPECT_TRUE(eventually(prom_port, R"(vigil_inputs_received_total{kind="blood_pressure"})", "1"));
  EXPECT_TRUE(eventually(prom_port, R"(vigil_inputs_received_total{kind="heart_rate"})", "2"));
  EXPECT_TRUE(eventually(prom_port, R"(vigil_inputs_received_total{kind="infusion"})", "1"));
  EXPECT_TRUE(
      eventually(prom_port, R"(vigil_inputs_dropped_total{reason="undecodable_heart_rate"})", "1"));
  EXPECT_TRUE(eventually(prom_port, "vigil_readings_accepted_total", "2"));
  EXPECT_TRUE(eventually(prom_port, "vigil_inputs_accepted_total", "3"));  // with the infusion
  EXPECT_TRUE(eventually(prom_port, R"(vigil_beds{phase="INFUSION"})", "1"));
  EXPECT_TRUE(eventually(prom_port, R"(vigil_open_alarms{priority="HIGH",state="ACTIVE"})", "1"));
  EXPECT_TRUE(eventually(prom_port, R"(vigil_open_alarms{priority="MEDIUM",state="ACTIVE"})", "0"));
  EXPECT_TRUE(eventually(prom_port, "vigil_state_commit_failures_total", "0"));
  EXPECT_TRUE(eventually(prom_port, "vigil_state_commit_duration_seconds_count > bool 0", "1"));
  EXPECT_TRUE(eventually(prom_port, "process_resident_memory_bytes > bool 1000000", "1"));
  EXPECT_TRUE(eventually(prom_port, "process_open_fds > bool 0", "1"));
  EXPECT_TRUE(eventually(prom_port, "vigil_event_loop_lag_seconds_count > bool 0", "1"));
  prometheus.stop(SIGTERM, 5s);
}

TEST_F(metrics_live_test, ready_says_503_while_the_broker_is_down_and_200_again_after) {
  start_vigild();
  const int port = metrics_port();
  ASSERT_NE(port, 0);
  ASSERT_EQ(http_get(port, "/ready")->status, 200);
  broker_.stop();
  std::optional<http_reply> r;
  for (int i = 0; i < 100 && (!r || r->status != 503); ++i) {
    std::this_thread::sleep_for(100ms);
    r = http_get(port, "/ready");
  }
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 503);
  EXPECT_NE(r->body.find("not connected to tcp://127.0.0.1:"), std::string::npos) << r->body;
  EXPECT_EQ(http_get(port, "/metrics")->status, 200);  // metrics still served
  broker_.start();
  for (int i = 0; i < 150 && r->status != 200; ++i) {
    std::this_thread::sleep_for(100ms);
    r = http_get(port, "/ready");
  }
  EXPECT_EQ(r->status, 200) << vigild_->log();
}

}  // namespace
}  // namespace vigil::test
