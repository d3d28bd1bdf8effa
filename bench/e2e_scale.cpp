#include "e2e_scale.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "e2e_common.hpp"
#include "e2e_run.hpp"
#include "settings/settings.hpp"
#include "ward.hpp"

namespace vigil::bench {
namespace {

std::int64_t nibp_persistence_ms(const std::string& config) {
  const auto loaded = settings::load_file(config);
  if (!loaded.settings) throw std::runtime_error("cannot load " + config);
  return loaded.settings->engine.phases[core::phase_index(core::phase::idle)].nibp_persistence_ms;
}

double seconds_since_us(std::int64_t t_us) { return static_cast<double>(wall_us() - t_us) / 1e6; }

// A fresh broker, Nagle off on every socket (the main end-to-end runs' setting: with it on,
// the delayed ACKs drown what is measured), and a dashboard watching the subject's readiness
// and every bed's alarm events.
//
// `unlimited_inflight`: max_inflight_messages 0 instead of Debian's 20. A restarted vigild
// re-publishes two retained snapshots per restored bed (QoS 1) before its ONLINE status; with
// 20 in flight they went out at about 23 a second (81-87 s at 1,000 beds; half an hour at
// 20,000 by extrapolation): Paho C's send thread, finding the window full, waits up to 1 s
// before it looks again (MQTTAsync_sendThread, Paho C 1.3.12). The steady state's measured
// vigild is such a restart, so its broker lifts the limit; the first start keeps Debian's
// default.
//
// The dashboard also takes the heart rates of ten beds spread over the ward (ten a second,
// 100 ms apart): Paho C's receive thread, after a second with nothing to read, sleeps 100 ms
// before it polls again (MQTTAsync_cycle, Paho C 1.3.12), so a dashboard that only gets the
// probes' events (one a second) would add up to 100 ms to about one probe in ten.
struct stage {
  quiet_broker broker;
  std::string shim;
  std::unique_ptr<dashboard> board;
  stage(const scale_programs& p, const std::string& ready_topic, bool unlimited_inflight, int beds)
      : broker(true, unlimited_inflight ? "max_inflight_messages 0\n" : ""),
        shim(p.tcp_nodelay_shim) {
    std::vector<std::string> filters{ready_topic, codec::alarm_events_topic(prefix, "+")};
    for (int i = 0; i < 10; ++i) {
      filters.push_back(
          codec::input_topic_name(prefix, bed_name(i * beds / 10), codec::input_kind::heart_rate));
    }
    board = std::make_unique<dashboard>(broker.uri(), filters);
  }
  // Waits for `subject` to announce itself after `since_us` (a restarted vigild's ONLINE, not
  // the first one's); false after `timeout`.
  bool wait_ready(const subject_process& subject, std::int64_t since_us,
                  std::chrono::milliseconds timeout) const {
    return board->wait_for(
        subject.ready_topic(),
        [&](const timed_message& m) {
          return m.received_us >= since_us && subject.is_ready(m.payload);
        },
        timeout);
  }
};

subject_options options_for(const scale_programs& p, const scale_subject& s,
                            const std::filesystem::path& state_root) {
  return {.kind = s.kind,
          .program = s.program,
          .config = s.config.empty() ? p.config : s.config,
          .state_root = state_root,
          .tcp_nodelay_shim = p.tcp_nodelay_shim};
}

// The answers to the probes, polled until every one is in or `timeout` has passed.
latency await_probes(const dashboard& board, const generator_report& g, std::int64_t persistence,
                     std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto l = sbp_high_latency(board.messages(), g.nibp_probes, persistence);
    if (l.seen >= l.expected || std::chrono::steady_clock::now() >= until) return l;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // polling for late answers
  }
}

// Each answered probe: its latency and when it was sent, from the first reading on.
struct probe_answer {
  double ms = 0;
  double sent_s = 0;
  std::string bed;
};
std::vector<probe_answer> probe_answers(const dashboard& board, const generator_report& g,
                                        std::int64_t start_us) {
  std::vector<probe_answer> answers;
  for (const auto& m : board.messages()) {
    const auto e = codec::decode_alarm_event(m.payload);
    if (!e || e.value().transition != core::transition::raised) continue;
    if (const auto it = g.nibp_probes.find(e.value().bed_id); it != g.nibp_probes.end()) {
      answers.push_back({static_cast<double>(m.received_us - it->second) / 1000.0,
                         static_cast<double>(it->second - start_us) / 1e6, it->first});
    }
  }
  std::sort(answers.begin(), answers.end(),
            [](const probe_answer& a, const probe_answer& b) { return a.ms > b.ms; });
  return answers;
}

// The slowest answers on stderr, with when their probe went out: a p99 far above the p50 is
// one or two probes, and when they were sent says which part of the run held them up.
void log_slowest(const std::vector<probe_answer>& answers) {
  for (std::size_t i = 0; i < answers.size() && i < 3; ++i) {
    std::fprintf(stderr, "  slowest probe answers: %.2f ms, %s sent at +%.2f s\n", answers[i].ms,
                 answers[i].bed.c_str(), answers[i].sent_s);
  }
}

// Per-thread CPU between two snapshots: the main thread's, and the others' summed by name.
// A thread that ended in between is missing here but counted in the process's total.
void split_threads(pid_t pid, const std::vector<task_cpu>& before,
                   const std::vector<task_cpu>& after, steady_result& r) {
  std::map<pid_t, double> start;
  for (const auto& t : before) start[t.tid] = t.cpu_s;
  std::map<std::string, thread_group> groups;
  for (const auto& t : after) {
    const auto it = start.find(t.tid);
    const double used = t.cpu_s - (it == start.end() ? 0 : it->second);
    if (t.tid == pid) {
      r.loop_cpu_s = used;
      continue;
    }
    auto& g = groups[t.name];
    g.name = t.name;
    ++g.threads;
    g.cpu_s += used;
  }
  for (auto& [name, g] : groups) r.others.push_back(std::move(g));
  std::sort(r.others.begin(), r.others.end(),
            [](const thread_group& a, const thread_group& b) { return a.cpu_s > b.cpu_s; });
}

// The first vigild of a steady-state run: a short load so that every bed has sent readings,
// then SIGTERM, after which it saves whatever it still holds. The second finds every bed.
void prime(const scale_programs& p, const scale_subject& s, int beds, const scale_settings& o,
           stage& st, const std::filesystem::path& state_root, steady_result& r) {
  const auto since = wall_us();
  subject_process first(options_for(p, s, state_root), st.broker.uri());
  if (!st.wait_ready(first, since, std::chrono::seconds(30))) {
    r.problem = "the priming vigild never came up: " + first.log();
    return;
  }
  loadgen_shards load(p.loadgen, st.shim, st.broker.uri(),
                      {.beds = beds,
                       .start_us = wall_us() + 1'000'000,
                       .duration_s = o.prime_s,
                       .tick_us = o.tick_us,
                       .shard_rate = o.shard_rate});
  const auto g = load.wait(std::chrono::seconds(60));
  if (!g.problem.empty()) r.problem = "priming: " + g.problem;
  const auto c = first.stop(o.stop_grace);
  r.prime_stop_s = first.stop_seconds();
  r.prime_rows = c.rows;
  if (!c.exited) r.problem = "the priming vigild did not exit after SIGTERM";
}

// What every run reports alike: the load the generators sent, and whether the subject exited.
template <typename Result>
void note_load_and_exit(Result& r, const generator_report& g) {
  r.sent = g.sent;
  r.failed = g.failed;
  r.late_ms = g.late_us / 1000;
  if (!g.problem.empty()) r.problem = g.problem;
  if (!r.counts.exited) r.problem += " the subject did not exit after SIGTERM";
}

}  // namespace

steady_result run_steady(const scale_programs& p, const scale_subject& s, int beds,
                         const scale_settings& o) {
  steady_result r;
  r.subject = s.label;
  r.beds = beds;
  r.window_s = o.window_s;
  const auto persistence = nibp_persistence_ms(p.config);
  test::temp_dir state;  // outlives both vigild processes
  stage st(p, ready_topic(s.kind), true, beds);
  if (s.kind == subject_kind::vigild) {
    prime(p, s, beds, o, st, state.path(), r);
    if (!r.problem.empty()) return r;
  }

  const auto since = wall_us();
  subject_process subject(options_for(p, s, state.path()), st.broker.uri());
  // A restart restores every bed before it connects: at 20,000 beds that takes a while.
  if (!st.wait_ready(subject, since, std::chrono::minutes(5))) {
    r.problem = "the subject never came up: " + subject.log();
    return r;
  }
  if (s.kind == subject_kind::vigild) r.restore_s = seconds_since_us(since);

  const std::int64_t start_us = wall_us() + 1'000'000;  // time to connect
  loadgen_shards load(p.loadgen, st.shim, st.broker.uri(),
                      {.beds = beds,
                       .start_us = start_us,
                       .warmup_s = o.warmup_s,
                       .duration_s = o.warmup_s + o.window_s,
                       .nibp_probes = s.kind == subject_kind::vigild ? o.steady_probes : 0,
                       .tick_us = o.tick_us,
                       .shard_rate = o.shard_rate});
  const auto window_us = start_us + static_cast<std::int64_t>(o.warmup_s * 1e6);
  sleep_until_us(window_us);
  const auto tasks0 = task_cpu_times(subject.pid());
  const auto cpu0 = cpu_time(subject.pid());
  const auto broker0 = cpu_time(st.broker.pid());
  const long life_peak = peak_rss_kb(subject.pid()).value_or(0);
  const bool reset = reset_peak_rss(subject.pid());
  sleep_until_us(window_us + static_cast<std::int64_t>(o.window_s * 1e6));
  const auto tasks1 = task_cpu_times(subject.pid());
  r.cpu_s = (cpu_time(subject.pid()) - cpu0).count();
  r.broker_cpu_s = (cpu_time(st.broker.pid()) - broker0).count();
  r.peak_rss_window_kb = peak_rss_kb(subject.pid()).value_or(0);
  split_threads(subject.pid(), tasks0, tasks1, r);
  r.load_average = load_average_1min();

  const auto g = load.wait(std::chrono::seconds(60));
  r.sbp = await_probes(*st.board, g, persistence, std::chrono::seconds(3));
  log_slowest(probe_answers(*st.board, g, start_us));
  r.peak_rss_kb = std::max(life_peak, peak_rss_kb(subject.pid()).value_or(0));
  if (!reset) r.peak_rss_window_kb = r.peak_rss_kb;  // no reset: the whole life's peak
  r.counts = subject.stop(o.stop_grace);
  r.load_s = seconds_since_us(start_us);
  r.window_readings = g.window_sent;
  note_load_and_exit(r, g);
  return r;
}

first_start_result run_first_start(const scale_programs& p, const scale_subject& s, int beds,
                                   const scale_settings& o) {
  first_start_result r;
  r.subject = s.label;
  r.beds = beds;
  const auto persistence = nibp_persistence_ms(p.config);
  stage st(p, ready_topic(s.kind), false, beds);
  const auto since = wall_us();
  // A state directory of its own, empty: every bed is new.
  subject_process subject(options_for(p, s, {}), st.broker.uri());
  if (!st.wait_ready(subject, since, std::chrono::seconds(30))) {
    r.problem = "the subject never came up: " + subject.log();
    return r;
  }
  const std::int64_t start_us = wall_us() + 1'000'000;
  const int probes = static_cast<int>(std::lround(o.first_start_s / o.probe_interval_s));
  loadgen_shards load(p.loadgen, st.shim, st.broker.uri(),
                      {.beds = beds,
                       .start_us = start_us,
                       .duration_s = o.first_start_s,
                       .nibp_probes = probes,
                       .probe_new_beds = true,
                       .tick_us = o.tick_us,
                       .shard_rate = o.shard_rate});
  const auto g = load.wait(std::chrono::seconds(static_cast<int>(o.first_start_s) + 60));
  r.load_average = load_average_1min();
  const auto grace = std::chrono::milliseconds(static_cast<std::int64_t>(o.grace_s * 1000));
  r.sbp = await_probes(*st.board, g, persistence, grace);
  const auto answers = probe_answers(*st.board, g, start_us);
  log_slowest(answers);
  for (const auto& a : answers) {
    if (a.ms <= first_start_goal_ms) continue;
    ++r.over_goal;
    r.last_over_goal_s = std::max(r.last_over_goal_s, a.sent_s);
  }
  r.counts = subject.stop(o.stop_grace);
  r.span_s = seconds_since_us(start_us);
  r.stop_s = subject.stop_seconds();
  // What a backlog saved at the exit let through (OFFLINE waits for it); not in r.sbp.
  r.seen_at_exit = await_probes(*st.board, g, persistence, std::chrono::seconds(2)).seen;
  note_load_and_exit(r, g);
  return r;
}

}  // namespace vigil::bench
