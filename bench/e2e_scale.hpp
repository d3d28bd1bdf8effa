// The scale runs of the end-to-end benchmark (bench/README.md, "Scale"): the acceptance test
// of vigild's state store. Each run has a fresh broker and one subject: a vigild binary (one
// of several given, e.g. before and after a rewrite) or the minimal subscriber.
//
//   steady state  every bed already known: a first vigild takes a short load (every bed sends
//                 readings), saves every bed and exits; a second vigild on the same state
//                 directory restores them and is measured under 1 Hz per bed. The minimal
//                 subscriber keeps no state and is measured at once.
//   first start   an empty state directory, every bed new at once at 1 Hz, and a cuff probe
//                 (SBP_HIGH at once) every 0.5 s on a bed of its own, also new; no warm-up.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "e2e_processes.hpp"
#include "e2e_support.hpp"

namespace vigil::bench {

struct scale_subject {
  std::string label;  // "before", "after", "min subscriber", ...
  subject_kind kind = subject_kind::vigild;
  std::string program;
  std::string config{};  // its vigild.toml; "": scale_programs::config
};

struct scale_programs {
  std::string config, loadgen, tcp_nodelay_shim;
};

struct scale_settings {
  double prime_s = 3;      // steady: the first vigild's load (every bed sends 3 readings)
  double warmup_s = 5;     // steady: after the second vigild is ONLINE, before measuring
  double window_s = 20;    // steady: measured
  int steady_probes = 20;  // steady: cuff probes on known beds in the window
  double first_start_s = 60;
  double probe_interval_s = 0.5;
  double grace_s = 120;         // first start: the longest the probes' answers are awaited after
  std::int64_t tick_us = 1000;  // vigil_loadgen --tick-us
  double shard_rate = 5000;     // heart rates/s per load generator process
  std::chrono::milliseconds stop_grace{std::chrono::minutes(15)};  // a backlog to save
};

struct thread_group {
  std::string name;  // comm
  int threads = 0;
  double cpu_s = 0;
};

struct steady_result {
  std::string subject;
  int beds = 0;
  double window_s = 0;
  std::int64_t window_readings = 0;  // published by the load generator in the window
  double cpu_s = 0;                  // the subject, whole process, over the window
  double loop_cpu_s = 0;             // its main thread (TID == PID)
  std::vector<thread_group> others;  // its other threads, by name
  double broker_cpu_s = 0;
  long peak_rss_window_kb = 0;  // VmHWM reset at the window's start, read at its end
  long peak_rss_kb = 0;         // VmHWM over the measured process's life
  latency sbp;                  // the window's cuff probes (vigild only)
  std::int64_t sent = 0, failed = 0, late_ms = 0;
  subject_counts counts;         // from the measured process's output at exit
  double load_s = 0;             // the load's first reading to the subject's exit: commit rate
  double prime_stop_s = -1;      // how long the priming vigild took to save its beds and exit
  std::int64_t prime_rows = -1;  // bed rows/files it wrote
  double restore_s = -1;         // the measured vigild's start to ONLINE
  double load_average = 0;       // 1-minute load average at the window's end
  std::string problem;
  std::int64_t lost() const { return counts.received < 0 ? -1 : sent - counts.received; }
};

// The first start's latency goal: p99 at most this (and at most the smallest ward's + 10 ms).
inline constexpr double first_start_goal_ms = 50;

struct first_start_result {
  std::string subject;
  int beds = 0;
  latency sbp;                   // expected: probes sent; seen: answered before the stop
  int over_goal = 0;             // answers slower than first_start_goal_ms
  double last_over_goal_s = -1;  // the last of those probes' send time, from the first reading
  std::size_t seen_at_exit = 0;  // answered in all, the subject's exit included
  std::int64_t sent = 0, failed = 0, late_ms = 0;
  subject_counts counts;
  double span_s = 0;        // the first reading to the subject's exit: commit rate
  double stop_s = 0;        // SIGTERM to exit: what it still had to save
  double load_average = 0;  // 1-minute load average when the load ended
  std::string problem;
  std::int64_t lost() const { return counts.received < 0 ? -1 : sent - counts.received; }
};

steady_result run_steady(const scale_programs& p, const scale_subject& s, int beds,
                         const scale_settings& o);
first_start_result run_first_start(const scale_programs& p, const scale_subject& s, int beds,
                                   const scale_settings& o);

// Both tables for every subject and ward size, Markdown on stdout, progress on stderr.
struct scale_plan {
  std::vector<scale_subject> subjects;
  std::vector<int> steady_beds{1000, 5000, 20000};
  std::vector<int> first_start_beds{100, 5000, 20000};
  scale_settings settings;
};
void run_scale(const scale_programs& p, const scale_plan& plan);

}  // namespace vigil::bench
