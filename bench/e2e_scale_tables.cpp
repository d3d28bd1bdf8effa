// The scale runs' tables (bench/README.md, "Scale", explains every column). Subjects run
// interleaved at each ward size, so a before and an after binary meet the same minutes of a
// machine whose speed drifts.
#include <cstdio>
#include <optional>

#include "e2e_common.hpp"
#include "e2e_scale.hpp"

namespace vigil::bench {
namespace {

std::string fixed(double v, int decimals) {
  char s[32];
  std::snprintf(s, sizeof s, "%.*f", decimals, v);
  return s;
}

std::string count_or_unknown(std::int64_t n) { return n < 0 ? "?" : std::to_string(n); }

// CPU-ms per 1,000 readings: CPU seconds over the window per reading published in it.
std::string per_1000(double cpu_s, std::int64_t readings) {
  if (readings <= 0) return "?";
  return fixed(cpu_s * 1e6 / static_cast<double>(readings), 1);
}

std::string commits_per_s(const subject_counts& c, double seconds) {
  if (c.commits < 0 || seconds <= 0) return "n/a";
  return fixed(static_cast<double>(c.commits) / seconds, 1);
}

std::string readings_per_commit(const subject_counts& c) {
  if (c.commits <= 0 || c.readings < 0) return "n/a";
  return fixed(static_cast<double>(c.readings) / static_cast<double>(c.commits), 1);
}

void print_problem(const std::string& problem) {
  if (!problem.empty()) std::printf("\nproblem: %s\n\n", problem.c_str());
}

void print_steady_header(const scale_settings& o) {
  std::printf(
      "### Steady state: every bed known, 1 Hz heart rate per bed, a cuff every 5 min; %.0f s "
      "measured after %.0f s of warm-up\n\n"
      "| beds | subject | readings/s | CPU-ms per 1,000 readings: process / loop thread | "
      "other threads, CPU-ms per 1,000 | mosquitto CPU-ms per 1,000 | peak RSS MB window / "
      "process | SBP_HIGH ms p50 / p99 | commits/s | readings per commit | lost | load gen "
      "behind ms | load avg |\n"
      "|---:|---|---:|---|---|---:|---|---|---:|---:|---:|---:|---:|\n",
      o.window_s, o.warmup_s);
}

void print_steady_row(const steady_result& r) {
  std::string others;
  for (const auto& g : r.others) {
    if (!others.empty()) others += ", ";
    others += g.name + (g.threads > 1 ? " ×" + std::to_string(g.threads) : "") + " " +
              per_1000(g.cpu_s, r.window_readings);
  }
  const std::string sbp =
      r.sbp.expected == 0
          ? "n/a"
          : fixed(r.sbp.p50_ms, 2) + " / " + fixed(r.sbp.p99_ms, 2) +
                (r.sbp.seen < r.sbp.expected
                     ? " (" + std::to_string(r.sbp.expected - r.sbp.seen) + " missing)"
                     : "");
  std::printf(
      "| %d | %s | %.0f | %s / %s | %s | %s | %.1f / %.1f | %s | %s | %s | %s | %lld | %.2f |\n",
      r.beds, r.subject.c_str(), static_cast<double>(r.window_readings) / r.window_s,
      per_1000(r.cpu_s, r.window_readings).c_str(),
      per_1000(r.loop_cpu_s, r.window_readings).c_str(), others.c_str(),
      per_1000(r.broker_cpu_s, r.window_readings).c_str(),
      static_cast<double>(r.peak_rss_window_kb) / 1024.0,
      static_cast<double>(r.peak_rss_kb) / 1024.0, sbp.c_str(),
      commits_per_s(r.counts, r.load_s).c_str(), readings_per_commit(r.counts).c_str(),
      count_or_unknown(r.lost()).c_str(), static_cast<long long>(r.late_ms), r.load_average);
  print_problem(r.problem);
  std::fflush(stdout);
}

void print_first_start_header(const scale_settings& o) {
  std::printf(
      "### First start: empty state directory, every bed new at once at 1 Hz, a cuff probe "
      "(SBP 186) every %.1f s on a new bed of its own, %.0f s from the first reading\n\n"
      "| beds | subject | probes published / sent | SBP_HIGH ms p50 / p99 / max | over 50 ms "
      "(the last sent at) | commits/s | readings per commit | lost | exit s | load gen behind "
      "ms | load avg |\n"
      "|---:|---|---|---|---|---:|---:|---:|---:|---:|---:|\n",
      o.probe_interval_s, o.first_start_s);
}

void print_first_start_row(const first_start_result& r) {
  std::string probes = std::to_string(r.sbp.seen) + " / " + std::to_string(r.sbp.expected);
  if (r.seen_at_exit > r.sbp.seen) {
    probes += " (+" + std::to_string(r.seen_at_exit - r.sbp.seen) + " at exit)";
  }
  const std::string sbp = r.sbp.seen == 0
                              ? "none"
                              : fixed(r.sbp.p50_ms, 2) + " / " + fixed(r.sbp.p99_ms, 2) + " / " +
                                    fixed(r.sbp.max_ms, 2);
  const std::string over =
      r.over_goal == 0 ? "0"
                       : std::to_string(r.over_goal) + " (+" + fixed(r.last_over_goal_s, 2) + " s)";
  std::printf("| %d | %s | %s | %s | %s | %s | %s | %s | %.1f | %lld | %.2f |\n", r.beds,
              r.subject.c_str(), probes.c_str(), sbp.c_str(), over.c_str(),
              commits_per_s(r.counts, r.span_s).c_str(), readings_per_commit(r.counts).c_str(),
              count_or_unknown(r.lost()).c_str(), r.stop_s, static_cast<long long>(r.late_ms),
              r.load_average);
  print_problem(r.problem);
  std::fflush(stdout);
}

// Where each vigild's commit count came from, and what priming and restoring its beds cost.
void print_steady_notes(const std::vector<steady_result>& rows) {
  std::printf("\n");
  for (const auto& r : rows) {
    if (r.prime_stop_s < 0) continue;
    std::printf(
        "- %s, %d beds: the priming vigild wrote %s bed %s and exited %.1f s after "
        "SIGTERM; the measured one was ONLINE %.1f s after it started; commits from its "
        "\"%s:\" line\n",
        r.subject.c_str(), r.beds, count_or_unknown(r.prime_rows).c_str(),
        r.counts.commit_line == "store" ? "row(s)" : "file(s)", r.prime_stop_s, r.restore_s,
        r.counts.commit_line.empty() ? "?" : r.counts.commit_line.c_str());
  }
}

void goal(const std::string& what, bool met, const std::string& figures) {
  std::printf("- %s: **%s** (%s)\n", what.c_str(), met ? "met" : "missed", figures.c_str());
}

// Every probe published, p99 at most 50 ms, and no worse than the smallest ward's p99 + 10 ms.
void print_first_start_goals(const std::vector<first_start_result>& rows) {
  std::printf("\n#### First start goals\n\n");
  for (const auto& r : rows) {
    std::optional<first_start_result> base;
    for (const auto& b : rows) {
      if (b.subject == r.subject && (!base || b.beds < base->beds)) base = b;
    }
    if (!base || base->beds == r.beds) continue;
    const auto who = r.subject + ", " + std::to_string(r.beds) + " beds";
    const bool all = r.sbp.seen == r.sbp.expected && r.failed == 0 && r.sbp.expected > 0;
    goal(who + ": every probe published", all,
         std::to_string(r.sbp.seen) + " of " + std::to_string(r.sbp.expected));
    goal(who + ": p99 at most 50 ms", all && r.sbp.p99_ms <= first_start_goal_ms,
         fixed(r.sbp.p99_ms, 2) + " ms" + (all ? "" : " over the answered probes"));
    goal(who + ": p99 at most the " + std::to_string(base->beds) + "-bed p99 + 10 ms",
         all && r.sbp.p99_ms <= base->sbp.p99_ms + 10,
         fixed(r.sbp.p99_ms, 2) + " vs " + fixed(base->sbp.p99_ms, 2) + " ms");
  }
}

}  // namespace

void run_scale(const scale_programs& p, const scale_plan& plan) {
  const auto& o = plan.settings;
  if (!plan.steady_beds.empty()) {
    print_steady_header(o);
    std::vector<steady_result> rows;
    for (const int beds : plan.steady_beds) {
      for (const auto& s : plan.subjects) {
        std::fprintf(stderr, "scale: steady state, %d beds, %s\n", beds, s.label.c_str());
        rows.push_back(run_steady(p, s, beds, o));
        print_steady_row(rows.back());
      }
    }
    print_steady_notes(rows);
  }
  std::vector<first_start_result> first;
  for (const int beds : plan.first_start_beds) {
    for (const auto& s : plan.subjects) {
      if (s.kind != subject_kind::vigild) continue;  // nothing else raises an alarm
      if (first.empty()) {
        std::printf("\n");
        print_first_start_header(o);
      }
      std::fprintf(stderr, "scale: first start, %d beds, %s\n", beds, s.label.c_str());
      first.push_back(run_first_start(p, s, beds, o));
      print_first_start_row(first.back());
    }
  }
  if (!first.empty()) print_first_start_goals(first);
}

}  // namespace vigil::bench
