#include "e2e_run.hpp"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "e2e_common.hpp"
#include "settings/settings.hpp"
#include "ward.hpp"

namespace vigil::bench {
namespace {

constexpr const char* instance = "bench";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// How a client process is started: through env(1) with the TCP_NODELAY shim preloaded when
// the run asks for it (env execs the program, so the PID is the program's).
std::vector<std::string> client_command(const programs& p, const run_spec& spec) {
  if (!spec.tcp_nodelay) return {};
  return {"/usr/bin/env", "LD_PRELOAD=" + p.tcp_nodelay_shim};
}

// A directory in /dev/shm for the life of the object.
struct tmpfs_dir {
  std::filesystem::path path;
  tmpfs_dir() {
    char templ[] = "/dev/shm/vigil-bench-XXXXXX";
    if (!mkdtemp(templ)) throw std::runtime_error("mkdtemp in /dev/shm failed");
    path = templ;
  }
  ~tmpfs_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

// The subject as a child process: vigild with the shipped configuration (its state and
// recordings in a private directory), or the floor.
class subject_process {
 public:
  subject_process(const programs& p, const run_spec& spec, const std::string& broker_uri)
      : vigild_(spec.subject != subject::republisher),
        log_((dir_.path() / "subject.log").string()) {
    std::vector<std::string> argv = client_command(p, spec);
    if (!vigild_) {
      argv.insert(argv.end(), {p.republisher, "--broker", broker_uri});
    } else {
      if (spec.subject == subject::vigild_tmpfs) shm_ = std::make_unique<tmpfs_dir>();
      const auto state_root = shm_ ? shm_->path : dir_.path();
      const auto config = dir_.write(
          "vigild.toml", replace_all(read_file(p.config), "/var/lib/vigil", state_root.string()));
      argv.insert(argv.end(), {p.vigild, "--config", config, "--broker", broker_uri, "--prefix",
                               prefix, "--instance", instance});
    }
    process_ = std::make_unique<test::child_process>(std::move(argv), log_);
  }

  pid_t pid() const { return process_->pid(); }
  bool running() { return process_->running(); }
  std::string log() const { return read_file(log_); }

  // Stops it; returns how many messages it says it received, or -1.
  std::int64_t stop() {
    process_->stop(SIGTERM, std::chrono::seconds(10));
    static const std::regex vigild_count(R"(mqtt: (\d+) received)");
    static const std::regex floor_count(R"(received (\d+))");
    const auto text = log();
    std::smatch m;
    if (std::regex_search(text, m, vigild_ ? vigild_count : floor_count)) return std::stoll(m[1]);
    return -1;
  }

 private:
  bool vigild_;
  test::temp_dir dir_;
  std::string log_;
  std::unique_ptr<tmpfs_dir> shm_;
  std::unique_ptr<test::child_process> process_;
};

// What the load generator's shards printed.
struct generator_report {
  std::map<std::string, std::int64_t> nibp_probes;              // bed id -> publish us
  std::map<std::string, std::vector<std::int64_t>> hr_probes;   // bed id -> each HR 160's
  std::int64_t sent = 0, failed = 0, late_us = 0;
  std::string problem;
};

void read_report(const std::string& text, generator_report& r) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string tag, kind;
    words >> tag;
    std::int64_t a = 0, b = 0;
    if (tag == "probe" && words >> kind >> a >> b) {
      const auto bed = bed_name(static_cast<int>(a));
      if (kind == probe_nibp_tag) r.nibp_probes[bed] = b;
      else r.hr_probes[bed].push_back(b);
    } else if (tag == "sent" && words >> a) {
      r.sent += a;
    } else if (tag == "failed" && words >> a) {
      r.failed += a;
    } else if (tag == "late_us" && words >> a) {
      r.late_us = std::max(r.late_us, a);
    } else if (tag == "first_failure" || tag == "vigil_loadgen:") {
      r.problem = "load generator: " + line;
    }
  }
}

double ms_between(std::int64_t from_us, std::int64_t to_us) {
  return static_cast<double>(to_us - from_us) / 1000.0;
}

// The probes' latencies as the dashboard saw them. vigild: the SBP_HIGH / HR_HIGH RAISED event
// of the probe's bed; the floor: the echo of the probe's cuff reading. HR_HIGH is timed from
// the heart rate that completed the persistence (the last one published before the alarm
// came), since at 1 Hz that is the 11th or, when the 11th arrived a millisecond early
// relative to the 1st, the 12th reading.
void measure(const std::vector<timed_message>& seen, const generator_report& g, bool floor,
             const core::phase_config& limits, run_result& r) {
  auto nibp = g.nibp_probes;
  auto hr = g.hr_probes;
  std::vector<double> nibp_ms, hr_ms;
  r.hr_late_onsets = 0;
  for (const auto& m : seen) {
    if (floor) {
      if (!m.topic.starts_with(echo_prefix)) continue;
      const auto topic = codec::parse_input_topic(prefix, m.topic.substr(echo_prefix.size()));
      const auto bp = codec::decode_blood_pressure(m.payload);
      if (!topic || !bp || bp.value().systolic_mmhg != alarm_systolic) continue;
      if (const auto it = nibp.find(topic.value().bed); it != nibp.end()) {
        nibp_ms.push_back(ms_between(it->second, m.received_us));
        nibp.erase(it);
      }
      continue;
    }
    const auto e = codec::decode_alarm_event(m.payload);
    if (!e || e.value().transition != core::transition::raised) continue;
    const auto& bed = e.value().bed_id;
    if (const auto it = nibp.find(bed); e.value().condition == "SBP_HIGH" && it != nibp.end()) {
      nibp_ms.push_back(ms_between(it->second, m.received_us) -
                        static_cast<double>(limits.nibp_persistence_ms));
      nibp.erase(it);
    }
    if (const auto it = hr.find(bed); e.value().condition == "HR_HIGH" && it != hr.end()) {
      const auto& sent = it->second;  // in publish order
      const auto trigger = std::upper_bound(sent.begin(), sent.end(), m.received_us);
      if (trigger != sent.begin()) {
        const auto held_ms = ms_between(sent.front(), *std::prev(trigger));
        const auto persistence = static_cast<double>(limits.continuous_persistence_ms);
        hr_ms.push_back(ms_between(*std::prev(trigger), m.received_us));
        if (held_ms > persistence + 500) ++r.hr_late_onsets;
      }
      hr.erase(it);
    }
  }
  r.nibp = summarize(std::move(nibp_ms), g.nibp_probes.size());
  r.hr = summarize(std::move(hr_ms), floor ? 0 : g.hr_probes.size());
}

std::string arg(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

std::string_view to_string(subject s) {
  switch (s) {
    case subject::republisher: return "floor (re-publisher)";
    case subject::vigild_disk: return "vigild, state on disk";
    case subject::vigild_tmpfs: return "vigild, state on tmpfs";
  }
  return "?";
}

run_result run_once(const programs& p, const run_spec& spec) {
  run_result r;
  r.spec = spec;
  const bool floor = spec.subject == subject::republisher;
  const auto loaded = settings::load_file(p.config);
  if (!loaded.settings) throw std::runtime_error("cannot load " + p.config);
  const auto limits = loaded.settings->engine.phases[core::phase_index(core::phase::idle)];

  quiet_broker broker(spec.tcp_nodelay);
  subject_process subject(p, spec, broker.uri());
  const std::string ready_topic =
      floor ? republisher_ready_topic : codec::daemon_status_topic(prefix, instance);
  const std::string watched =
      floor ? echo_prefix + codec::input_topic_name(prefix, "+", codec::input_kind::blood_pressure)
            : codec::alarm_events_topic(prefix, "+");
  dashboard board(broker.uri(), {ready_topic, watched});
  const bool ready = board.wait_for(
      ready_topic,
      [&](const timed_message& m) {
        if (floor) return true;
        const auto st = codec::decode_daemon_status(m.payload);
        return st && st.value().state == codec::daemon_state::online;
      },
      std::chrono::seconds(15));
  if (!ready) {
    r.problem = "the subject never came up: " + subject.log();
    return r;
  }

  // The load generator, in shards of at most shard_rate heart rates/s each.
  const double rate = spec.rate > 0 ? spec.rate : spec.beds;
  const int shards = std::max(1, static_cast<int>(std::ceil(rate / spec.shard_rate)));
  const std::int64_t start_us = wall_us() + 1'000'000;  // time to connect
  const double duration_s = spec.warmup_s + spec.window_s;
  test::temp_dir logs;
  std::vector<std::unique_ptr<test::child_process>> shard_processes;
  for (int i = 0; i < shards; ++i) {
    auto argv = client_command(p, spec);
    argv.insert(argv.end(),
                {p.loadgen, "--broker", broker.uri(), "--beds", std::to_string(spec.beds),
                 "--shard", std::to_string(i), "--shards", std::to_string(shards), "--rate",
                 arg(rate), "--start-us", std::to_string(start_us), "--warmup-s",
                 arg(spec.warmup_s), "--duration-s", arg(duration_s), "--nibp-probes",
                 std::to_string(spec.nibp_probes), "--hr-probes", std::to_string(spec.hr_probes)});
    shard_processes.push_back(std::make_unique<test::child_process>(
        std::move(argv), (logs.path() / ("loadgen-" + std::to_string(i) + ".log")).string()));
  }

  const auto window_start_us = start_us + static_cast<std::int64_t>(spec.warmup_s * 1e6);
  sleep_until_us(window_start_us);
  const auto cpu0 = cpu_time(subject.pid());
  const auto broker0 = cpu_time(broker.pid());
  sleep_until_us(window_start_us + static_cast<std::int64_t>(spec.window_s * 1e6));
  r.cpu_pct = (cpu_time(subject.pid()) - cpu0).count() / spec.window_s * 100;
  r.broker_cpu_pct = (cpu_time(broker.pid()) - broker0).count() / spec.window_s * 100;

  generator_report g;
  for (int i = 0; i < shards; ++i) {
    if (!shard_processes[static_cast<std::size_t>(i)]->wait_exit(std::chrono::seconds(60))) {
      g.problem = "load generator did not finish";
    }
    read_report(logs.read("loadgen-" + std::to_string(i) + ".log"), g);
  }
  // Stragglers: give the answers to the last probes a moment.
  const auto expected = g.nibp_probes.size() + (floor ? 0 : g.hr_probes.size());
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < until) {
    measure(board.messages(), g, floor, limits, r);
    if (r.nibp.seen + r.hr.seen >= expected) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling for late answers
  }
  r.peak_rss_kb = peak_rss_kb(subject.pid()).value_or(0);
  r.received = subject.stop();
  r.sent = g.sent;
  r.publish_failures = g.failed;
  r.late_ms = g.late_us / 1000;
  r.problem = g.problem;
  measure(board.messages(), g, floor, limits, r);
  return r;
}

}  // namespace vigil::bench
