// vigil_pair_bench's figures (bench/pair_bench.cpp): percentiles, one scrape of vigild's
// /metrics, log times, what each subject measured, and the Markdown tables.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "vigild_process.hpp"

namespace vigil::bench::pair {

struct options {
  int beds = 1000;
  int kills = 20;
  int alarms = 200;
  double warmup_s = 10;
  std::string only;    // "floor" or "pair": one subject only
  bool nagle = false;  // leave Nagle's algorithm on (Paho's and mosquitto's default)
};

double percentile(std::vector<double> v, double q);
std::string fmt(double v, int decimals = 0);

// One scrape of vigild's /metrics: counters by name, and one histogram's buckets.
struct scrape {
  std::map<std::string, double> values;            // name (no labels) -> value
  std::vector<std::pair<double, double>> buckets;  // commit histogram: le -> cumulative
  double commit_sum = 0, commit_count = 0;
};
scrape read_metrics(int port);
// The bucket bound under which a fraction q of the commits between two scrapes fell.
double commit_quantile_bound(const scrape& before, const scrape& after, double q);
// The wall-clock ms of the last log line containing `text`, or -1.
std::int64_t log_line_ms(const std::string& log, const std::string& text);
int metrics_port(const test::vigild_process& p);

struct latency_result {
  std::vector<double> ms;  // publish of the raising reading -> its RAISED event
  int missed = 0;
  double cpu_us_per_reading = NAN;
  double readings_per_s = NAN;
  double commits_per_s = NAN;
  double commit_mean_ms = NAN;
  double commit_p50_bound_ms = NAN;
  double commit_p99_bound_ms = NAN;
};

struct kill_result {
  std::vector<double> online_ms;       // kill -> ONLINE (LEADER) status of the one taking over
  std::vector<double> first_event_ms;  // kill -> first new alarm event
  std::vector<double> probe_ms;        // kill -> the post-kill probe's RAISED event
  std::vector<double> rejoin_ms;       // pair: restart -> ONLINE STANDBY of the killed member
  std::vector<double> lock_ms;  // pair: kill -> the standby's "took the leader's lock" (its log)
  int failures = 0;
};

struct seq_result {
  std::size_t beds = 0, events = 0;
  std::size_t lost = 0;               // numbers missing in some bed's 1..max
  std::size_t repeats = 0;            // numbers seen more than once
  std::size_t different_repeats = 0;  // ... with other bytes than the first time
};

struct subject_result {
  std::string name;
  latency_result latency;
  kill_result kills;
  seq_result seqs;
  double loadgen_rate = 0;
  std::string store_settings;  // pair: PostgreSQL's fsync and synchronous_commit, as it says
};

void print_tables(const options& o, const std::vector<subject_result>& results);

}  // namespace vigil::bench::pair
