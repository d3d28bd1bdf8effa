#include "metrics/exposition.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "metrics/process_stats.hpp"

namespace vigil::metrics {
namespace {

TEST(exposition_test, a_counter_family_with_labels) {
  exposition e;
  e.family("vigil_inputs_dropped_total", family_type::counter, "Inputs set aside, by reason.");
  e.sample(3, {{"reason", "oversized"}});
  e.sample(0, {{"reason", "bad_topic"}});
  EXPECT_EQ(e.text(),
            "# HELP vigil_inputs_dropped_total Inputs set aside, by reason.\n"
            "# TYPE vigil_inputs_dropped_total counter\n"
            "vigil_inputs_dropped_total{reason=\"oversized\"} 3\n"
            "vigil_inputs_dropped_total{reason=\"bad_topic\"} 0\n");
}

TEST(exposition_test, a_gauge_without_labels) {
  exposition e;
  e.family("vigil_mqtt_connected", family_type::gauge, "1 when connected to the broker.");
  e.sample(1);
  EXPECT_EQ(e.text(),
            "# HELP vigil_mqtt_connected 1 when connected to the broker.\n"
            "# TYPE vigil_mqtt_connected gauge\n"
            "vigil_mqtt_connected 1\n");
}

TEST(exposition_test, a_histogram_is_cumulative_with_inf_sum_and_count) {
  histogram h{0.01, 0.1};
  h.observe(0.005);
  h.observe(0.01);  // on the bound: in it (le)
  h.observe(0.05);
  h.observe(3);
  exposition e;
  e.family("vigil_state_commit_duration_seconds", family_type::histogram, "Commit time.");
  e.sample(h);
  EXPECT_EQ(e.text(),
            "# HELP vigil_state_commit_duration_seconds Commit time.\n"
            "# TYPE vigil_state_commit_duration_seconds histogram\n"
            "vigil_state_commit_duration_seconds_bucket{le=\"0.01\"} 2\n"
            "vigil_state_commit_duration_seconds_bucket{le=\"0.1\"} 3\n"
            "vigil_state_commit_duration_seconds_bucket{le=\"+Inf\"} 4\n"
            "vigil_state_commit_duration_seconds_sum 3.065\n"
            "vigil_state_commit_duration_seconds_count 4\n");
}

TEST(exposition_test, label_values_and_help_are_escaped) {
  exposition e;
  e.family("x", family_type::gauge, "a \\ b\nc");
  e.sample(1, {{"v", "q\"u\\o\nte"}});
  EXPECT_EQ(e.text(),
            "# HELP x a \\\\ b\\nc\n"
            "# TYPE x gauge\n"
            "x{v=\"q\\\"u\\\\o\\nte\"} 1\n");
}

TEST(exposition_test, values_as_prometheus_reads_them) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(12345678901), "12345678901");
  EXPECT_EQ(format_value(0.25), "0.25");
  EXPECT_EQ(format_value(-2), "-2");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(std::nan("")), "NaN");
}

TEST(process_stats_test, reads_proc_stat_with_a_command_holding_spaces_and_parens) {
  // proc(5): utime 14, stime 15, starttime 22, vsize 23, rss 24 (pages).
  const std::string stat =
      "4242 (vigil (d) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 5 0 "
      "1000 104857600 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
  const auto s = parse_proc_stat(stat, 100, 4096, 1'700'000'000);
  ASSERT_TRUE(s.has_value());
  EXPECT_DOUBLE_EQ(s->cpu_seconds, 3.0);  // (250 + 50) / 100
  EXPECT_DOUBLE_EQ(s->start_time_seconds, 1'700'000'010.0);
  EXPECT_DOUBLE_EQ(s->virtual_bytes, 104857600.0);
  EXPECT_DOUBLE_EQ(s->resident_bytes, 2560.0 * 4096);
}

TEST(process_stats_test, a_truncated_stat_is_no_reading) {
  EXPECT_FALSE(parse_proc_stat("4242 (vigild) S 1 2 3", 100, 4096, 0).has_value());
  EXPECT_FALSE(parse_proc_stat("garbage", 100, 4096, 0).has_value());
}

TEST(process_stats_test, this_process_can_be_read) {
  const auto s = read_process_stats();
  ASSERT_TRUE(s.has_value());
  EXPECT_GT(s->resident_bytes, 0);
  EXPECT_GE(s->open_fds, 3);  // stdin, stdout, stderr at least
  EXPECT_GT(s->start_time_seconds, 1'600'000'000);
}

}  // namespace
}  // namespace vigil::metrics
