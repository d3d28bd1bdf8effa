// vigil_e2e_bench: vigild end to end through a real mosquitto on 127.0.0.1, beside the floor
// (vigil_republisher), at 100, 1,000 and 5,000 beds; the same with Nagle's algorithm left on,
// as Debian ships mosquitto and as Paho C connects; then the highest input rate each sustains.
// Prints Markdown tables and the goals of issue 7 (bench/README.md explains every column).
// With --scale, the scale runs instead (e2e_scale.hpp): steady state and first start at up to
// 20,000 beds for one or more vigild binaries side by side with the minimal subscriber.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <optional>

#include "e2e_run.hpp"
#include "e2e_scale.hpp"

namespace {

using namespace vigil::bench;

struct options {
  programs p{VIGIL_BENCH_VIGILD,      VIGIL_BENCH_CONFIG,         VIGIL_BENCH_LOADGEN,
             VIGIL_BENCH_REPUBLISHER, VIGIL_BENCH_MIN_SUBSCRIBER, VIGIL_BENCH_NODELAY_SHIM};
  std::vector<int> beds{100, 1000, 5000};
  double warmup_s = 3;
  double window_s = 20;
  int focus_beds = 1000;   // the ward size of the goals, the tmpfs and Nagle runs, the rate search
  bool extra_runs = true;  // tmpfs and Nagle-on runs
  double rate_from = 4000;
  double rate_max = 200'000;
  double rate_step_s = 6;
  bool rate_search = true;
  // --vigild [LABEL=]PATH, repeatable; the classic runs use the first.
  std::vector<std::string> vigilds;
  bool scale = false;
  bool scale_min_subscriber = true;
  scale_plan plan;
};

// "before=/path/vigild" -> {"before", "/path/vigild"}; a bare path is labelled "vigild" (or
// "vigild N" when several are given).
std::vector<scale_subject> vigild_subjects(const std::vector<std::string>& specs) {
  std::vector<scale_subject> subjects;
  for (const auto& spec : specs) {
    const auto eq = spec.find('=');
    const bool labelled = eq != std::string::npos && spec.find('/') > eq;
    scale_subject s{labelled ? spec.substr(0, eq) : "", subject_kind::vigild,
                    labelled ? spec.substr(eq + 1) : spec};
    if (s.label.empty()) {
      s.label = specs.size() == 1 ? "vigild" : "vigild " + std::to_string(subjects.size() + 1);
    }
    subjects.push_back(std::move(s));
  }
  return subjects;
}

std::string fixed(double v, int decimals = 2) {
  char s[32];
  std::snprintf(s, sizeof s, "%.*f", decimals, v);
  return s;
}

std::string latency_cell(const latency& l) {
  if (l.expected == 0) return "n/a";
  std::string cell = fixed(l.p50_ms) + " / " + fixed(l.p99_ms) + " / " + fixed(l.max_ms);
  if (l.seen < l.expected) {
    cell += " (" + std::to_string(l.expected - l.seen) + " of " + std::to_string(l.expected) +
            " missing)";
  }
  return cell;
}

// Why a run does not count as sustained; empty when it does.
std::string shortfall(const run_result& r) {
  if (!r.problem.empty()) return r.problem;
  if (r.publish_failures) return std::to_string(r.publish_failures) + " publishes refused";
  if (r.received < 0) return "no received count in the subject's log";
  if (r.dropped()) return std::to_string(r.dropped()) + " of " + std::to_string(r.sent) + " lost";
  if (r.nibp.seen < r.nibp.expected) return "probe answers missing";
  if (r.nibp.p99_ms >= 50) return "p99 " + fixed(r.nibp.p99_ms) + " ms";
  if (r.late_ms >= 100) return "load generator " + std::to_string(r.late_ms) + " ms behind";
  return {};
}

void print_header() {
  std::printf(
      "\n| beds | subject | Nagle | in msg/s | SBP_HIGH ms p50 / p99 / max | HR_HIGH ms p50 / p99 "
      "/ max | CPU %% | broker CPU %% | peak RSS MB | lost |\n"
      "|---:|---|---|---:|---|---|---:|---:|---:|---:|\n");
}

void print_row(const run_result& r) {
  const double in_rate = static_cast<double>(r.sent) / (r.spec.warmup_s + r.spec.window_s);
  std::string hr = latency_cell(r.hr);
  if (r.hr_late_onsets) hr += " (" + std::to_string(r.hr_late_onsets) + " at 11 s)";
  std::printf("| %d | %s | %s | %.0f | %s | %s | %.1f | %.1f | %.1f | %s |\n", r.spec.beds,
              std::string(to_string(r.spec.subject)).c_str(), r.spec.tcp_nodelay ? "off" : "on",
              in_rate, latency_cell(r.nibp).c_str(), hr.c_str(), r.cpu_pct, r.broker_cpu_pct,
              static_cast<double>(r.peak_rss_kb) / 1024.0,
              r.received < 0 ? "?" : std::to_string(r.dropped()).c_str());
  if (!r.problem.empty()) std::printf("\nproblem: %s\n\n", r.problem.c_str());
  std::fflush(stdout);
}

run_result ward_run(const options& o, subject s, int beds, bool tcp_nodelay) {
  std::fprintf(stderr, "e2e: %d beds, %s, Nagle %s\n", beds, std::string(to_string(s)).c_str(),
               tcp_nodelay ? "off" : "on");
  const bool floor = s == subject::republisher || s == subject::min_subscriber;
  auto r = run_once(o.p, {.subject = s,
                          .beds = beds,
                          .warmup_s = o.warmup_s,
                          .window_s = o.window_s,
                          .nibp_probes = std::min(beds / 2, 100),
                          .hr_probes = floor ? 0 : std::min(beds / 4, 20),
                          .tcp_nodelay = tcp_nodelay});
  print_row(r);
  return r;
}

run_result rate_step(const options& o, subject s, double rate) {
  auto r = run_once(o.p, {.subject = s,
                          .beds = o.focus_beds,
                          .rate = rate,
                          .warmup_s = 2,
                          .window_s = o.rate_step_s,
                          .nibp_probes = 30,
                          .hr_probes = 0});
  const auto why = shortfall(r);
  std::fprintf(stderr, "  %s at %.0f msg/s: %s (p99 %s ms, CPU %.0f %%)\n",
               std::string(to_string(s)).c_str(), rate, why.empty() ? "sustained" : why.c_str(),
               fixed(r.nibp.p99_ms).c_str(), r.cpu_pct);
  return r;
}

// Raises the rate by half each step until a step fails, then tries once halfway back.
// Returns the highest sustained rate (0 if even the first failed).
double rate_search(const options& o, subject s) {
  std::optional<run_result> best;
  std::optional<run_result> failed;
  for (double rate = o.rate_from; rate <= o.rate_max; rate *= 1.5) {
    auto r = rate_step(o, s, rate);
    if (!shortfall(r).empty()) {
      failed = std::move(r);
      break;
    }
    best = std::move(r);
  }
  if (best && failed) {
    auto r = rate_step(o, s, (best->spec.rate + failed->spec.rate) / 2);
    (shortfall(r).empty() ? best : failed) = std::move(r);
  }
  const std::string failing =
      failed ? fixed(failed->spec.rate, 0) + ": " + shortfall(*failed) : "none up to the maximum";
  std::printf("| %s | %s | %s | %s | %s |\n", std::string(to_string(s)).c_str(),
              best ? fixed(best->spec.rate, 0).c_str() : "below the first step",
              best ? fixed(best->nibp.p99_ms).c_str() : "",
              best ? fixed(best->cpu_pct, 0).c_str() : "", failing.c_str());
  std::fflush(stdout);
  return best ? best->spec.rate : 0;
}

void goal(const char* what, bool met, const std::string& figures) {
  std::printf("- %s: **%s** (%s)\n", what, met ? "met" : "missed", figures.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  CLI::App app{"vigil_e2e_bench: vigild through a real mosquitto beside the re-publishing floor"};
  app.add_option("--vigild", o.vigilds,
                 "[LABEL=]PATH of a vigild binary; repeatable (--scale runs each side by side)")
      ->allow_extra_args(false);
  std::string before;
  app.add_option("--vigild-before", before, "the same as --vigild before=PATH");
  app.add_option("--config", o.p.config, "vigild.toml to start from (its paths are replaced)");
  std::vector<std::string> configs_for;
  app.add_option("--config-for", configs_for,
                 "LABEL=FILE: the vigild.toml of one --vigild (an older vigild rejects keys it "
                 "does not know: give it its own tree's file); repeatable");
  app.add_option("--loadgen", o.p.loadgen);
  app.add_option("--republisher", o.p.republisher);
  app.add_option("--min-subscriber", o.p.min_subscriber);
  app.add_option("--beds", o.beds, "ward sizes")->delimiter(',');
  app.add_option("--warmup-s", o.warmup_s);
  app.add_option("--window-s", o.window_s, "measured seconds per ward size");
  app.add_option("--focus-beds", o.focus_beds, "ward size of the goals and the rate search");
  app.add_flag("!--no-extra-runs", o.extra_runs, "skip the tmpfs and Nagle-on runs");
  app.add_option("--rate-from", o.rate_from, "first rate tried, msg/s");
  app.add_option("--rate-max", o.rate_max);
  app.add_option("--rate-step-s", o.rate_step_s, "measured seconds per rate");
  app.add_flag("!--no-rate-search", o.rate_search);
  auto& sc = o.plan.settings;
  app.add_flag("--scale", o.scale, "the scale runs (steady state and first start) instead");
  app.add_option("--steady-beds", o.plan.steady_beds, "scale: steady-state ward sizes (0: none)")
      ->delimiter(',');
  app.add_option("--first-start-beds", o.plan.first_start_beds,
                 "scale: first-start ward sizes, the smallest the goals' reference (0: none)")
      ->delimiter(',');
  app.add_flag("!--no-min-subscriber", o.scale_min_subscriber, "scale: leave out the floor");
  app.add_option("--prime-s", sc.prime_s, "scale: the priming vigild's load, seconds");
  app.add_option("--scale-warmup-s", sc.warmup_s);
  app.add_option("--scale-window-s", sc.window_s, "scale: steady-state measured seconds");
  app.add_option("--first-start-s", sc.first_start_s, "scale: first-start load, seconds");
  app.add_option("--probe-interval-s", sc.probe_interval_s, "scale: first-start probe spacing");
  app.add_option("--first-start-grace-s", sc.grace_s,
                 "scale: how long the probes' answers are awaited after the load");
  app.add_option("--loadgen-tick-us", sc.tick_us,
                 "scale: vigil_loadgen --tick-us (0: per message)");
  CLI11_PARSE(app, argc, argv);
  if (!before.empty()) o.vigilds.insert(o.vigilds.begin(), "before=" + before);
  auto vigilds = vigild_subjects(o.vigilds);
  for (const auto& spec : configs_for) {
    const auto eq = spec.find('=');
    const auto label = spec.substr(0, eq);
    const auto it = std::find_if(vigilds.begin(), vigilds.end(),
                                 [&](const scale_subject& s) { return s.label == label; });
    if (eq == std::string::npos || it == vigilds.end()) {
      std::fprintf(stderr, "--config-for %s: no --vigild labelled so\n", spec.c_str());
      return 2;
    }
    it->config = spec.substr(eq + 1);
  }
  if (!vigilds.empty()) o.p.vigild = vigilds.front().program;
  std::erase(o.plan.steady_beds, 0);
  std::erase(o.plan.first_start_beds, 0);

  if (o.scale) {
    o.plan.subjects = vigilds.empty()
                          ? std::vector<scale_subject>{{"vigild", subject_kind::vigild, o.p.vigild}}
                          : vigilds;
    if (o.scale_min_subscriber) {
      o.plan.subjects.push_back(
          {"min subscriber", subject_kind::min_subscriber, o.p.min_subscriber});
    }
    try {
      run_scale({o.p.config, o.p.loadgen, o.p.tcp_nodelay_shim}, o.plan);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "vigil_e2e_bench: %s\n", e.what());
      return 1;
    }
    return 0;
  }

  try {
    std::printf(
        "### End to end: 1 Hz heart rate per bed (QoS 0), a cuff every 5 min (QoS 1), "
        "%.0f s warm-up, %.0f s measured\n",
        o.warmup_s, o.window_s);
    print_header();
    std::optional<run_result> floor_focus, vigild_focus, vigild_largest;
    for (const int beds : o.beds) {
      auto f = ward_run(o, subject::republisher, beds, true);
      ward_run(o, subject::min_subscriber, beds, true);
      auto v = ward_run(o, subject::vigild_disk, beds, true);
      if (beds == o.focus_beds) {
        floor_focus = f;
        vigild_focus = v;
        if (o.extra_runs) ward_run(o, subject::vigild_tmpfs, beds, true);
      }
      if (!vigild_largest || beds > vigild_largest->spec.beds) vigild_largest = v;
    }
    if (o.extra_runs) {
      ward_run(o, subject::republisher, o.focus_beds, false);
      ward_run(o, subject::vigild_disk, o.focus_beds, false);
    }
    double floor_rate = 0, vigild_rate = 0;
    if (o.rate_search) {
      std::printf(
          "\n### Highest sustained input rate, %d beds: nothing lost, SBP_HIGH p99 < 50 ms (%.0f s "
          "per step, Nagle off)\n\n| subject | sustained msg/s | p99 ms there | CPU %% there | "
          "first failing msg/s and why |\n|---|---:|---:|---:|---|\n",
          o.focus_beds, o.rate_step_s);
      floor_rate = rate_search(o, subject::republisher);
      vigild_rate = rate_search(o, subject::vigild_disk);
    }

    std::printf("\n### Goals (end to end)\n\n");
    if (floor_focus && vigild_focus) {
      const double over = vigild_focus->nibp.p99_ms - floor_focus->nibp.p99_ms;
      goal("p99 at 1,000 beds at most 1 ms above the floor's", over <= 1,
           "SBP_HIGH p99 " + fixed(vigild_focus->nibp.p99_ms) + " ms vs " +
               fixed(floor_focus->nibp.p99_ms) + " ms: " + fixed(over) + " ms above");
    }
    if (o.rate_search) {
      goal("sustained rate at least 90 % of the floor's", vigild_rate >= 0.9 * floor_rate,
           fixed(vigild_rate, 0) + " vs " + fixed(floor_rate, 0) + " msg/s");
    }
    if (vigild_largest && vigild_largest->spec.beds >= 5000) {
      const double mb = static_cast<double>(vigild_largest->peak_rss_kb) / 1024.0;
      goal("peak RSS under 50 MB at 5,000 beds", mb < 50,
           fixed(mb, 1) + " MB at " + std::to_string(vigild_largest->spec.beds) + " beds");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil_e2e_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
