#include "e2e_run.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "e2e_common.hpp"
#include "settings/settings.hpp"
#include "ward.hpp"

namespace vigil::bench {
namespace {

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

subject_kind kind_of(subject s) {
  switch (s) {
    case subject::republisher: return subject_kind::republisher;
    case subject::min_subscriber: return subject_kind::min_subscriber;
    case subject::vigild_disk:
    case subject::vigild_tmpfs: break;
  }
  return subject_kind::vigild;
}

double ms_between(std::int64_t from_us, std::int64_t to_us) {
  return static_cast<double>(to_us - from_us) / 1000.0;
}

// The probes' latencies as the dashboard saw them. vigild: the SBP_HIGH / HR_HIGH RAISED event
// of the probe's bed; the floor: the echo of the probe's cuff reading. HR_HIGH is timed from
// the heart rate that completed the persistence (the last one published before the alarm
// came), since at 1 Hz that is the 11th or, when the 11th arrived a millisecond early
// relative to the 1st, the 12th reading.
void measure(const std::vector<timed_message>& seen, const generator_report& g, subject s,
             const core::phase_config& limits, run_result& r) {
  const bool floor = s == subject::republisher;
  if (s == subject::min_subscriber) return;  // it answers nothing: latencies n/a
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
  r.nibp = floor ? summarize(std::move(nibp_ms), g.nibp_probes.size())
                 : sbp_high_latency(seen, g.nibp_probes, limits.nibp_persistence_ms);
  r.hr = summarize(std::move(hr_ms), floor ? 0 : g.hr_probes.size());
}

}  // namespace

std::string_view to_string(subject s) {
  switch (s) {
    case subject::republisher: return "floor (re-publisher)";
    case subject::vigild_disk: return "vigild, state on disk";
    case subject::vigild_tmpfs: return "vigild, state on tmpfs";
    case subject::min_subscriber: return "min subscriber";
  }
  return "?";
}

latency sbp_high_latency(const std::vector<timed_message>& seen,
                         const std::map<std::string, std::int64_t>& probes,
                         std::int64_t persistence_ms) {
  auto waiting = probes;
  std::vector<double> ms;
  for (const auto& m : seen) {
    const auto e = codec::decode_alarm_event(m.payload);
    if (!e || e.value().transition != core::transition::raised ||
        e.value().condition != "SBP_HIGH") {
      continue;
    }
    if (const auto it = waiting.find(e.value().bed_id); it != waiting.end()) {
      ms.push_back(ms_between(it->second, m.received_us) - static_cast<double>(persistence_ms));
      waiting.erase(it);
    }
  }
  return summarize(std::move(ms), probes.size());
}

run_result run_once(const programs& p, const run_spec& spec) {
  run_result r;
  r.spec = spec;
  const bool floor = spec.subject == subject::republisher;
  const auto loaded = settings::load_file(p.config);
  if (!loaded.settings) throw std::runtime_error("cannot load " + p.config);
  const auto limits = loaded.settings->engine.phases[core::phase_index(core::phase::idle)];

  quiet_broker broker(spec.tcp_nodelay);
  const std::string shim = spec.tcp_nodelay ? p.tcp_nodelay_shim : "";
  std::unique_ptr<tmpfs_dir> shm;
  if (spec.subject == subject::vigild_tmpfs) shm = std::make_unique<tmpfs_dir>();
  const auto kind = kind_of(spec.subject);
  const std::string program = kind == subject_kind::vigild        ? p.vigild
                              : kind == subject_kind::republisher ? p.republisher
                                                                  : p.min_subscriber;
  subject_process subject({.kind = kind,
                           .program = program,
                           .config = p.config,
                           .state_root = shm ? shm->path : std::filesystem::path{},
                           .tcp_nodelay_shim = shim},
                          broker.uri());
  const std::string watched =
      floor ? echo_prefix + codec::input_topic_name(prefix, "+", codec::input_kind::blood_pressure)
            : codec::alarm_events_topic(prefix, "+");
  dashboard board(broker.uri(), {subject.ready_topic(), watched});
  const bool ready = board.wait_for(
      subject.ready_topic(), [&](const timed_message& m) { return subject.is_ready(m.payload); },
      std::chrono::seconds(15));
  if (!ready) {
    r.problem = "the subject never came up: " + subject.log();
    return r;
  }

  // The load generator, in shards of at most shard_rate heart rates/s each.
  const std::int64_t start_us = wall_us() + 1'000'000;  // time to connect
  loadgen_shards generator(p.loadgen, shim, broker.uri(),
                           {.beds = spec.beds,
                            .rate = spec.rate,
                            .start_us = start_us,
                            .warmup_s = spec.warmup_s,
                            .duration_s = spec.warmup_s + spec.window_s,
                            .nibp_probes = spec.nibp_probes,
                            .hr_probes = spec.hr_probes,
                            .shard_rate = spec.shard_rate});

  const auto window_start_us = start_us + static_cast<std::int64_t>(spec.warmup_s * 1e6);
  sleep_until_us(window_start_us);
  const auto cpu0 = cpu_time(subject.pid());
  const auto broker0 = cpu_time(broker.pid());
  sleep_until_us(window_start_us + static_cast<std::int64_t>(spec.window_s * 1e6));
  r.cpu_pct = (cpu_time(subject.pid()) - cpu0).count() / spec.window_s * 100;
  r.broker_cpu_pct = (cpu_time(broker.pid()) - broker0).count() / spec.window_s * 100;

  const auto g = generator.wait(std::chrono::seconds(60));
  // Stragglers: give the answers to the last probes a moment.
  const auto expected = spec.subject == subject::min_subscriber
                            ? 0
                            : g.nibp_probes.size() + (floor ? 0 : g.hr_probes.size());
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < until) {
    measure(board.messages(), g, spec.subject, limits, r);
    if (r.nibp.seen + r.hr.seen >= expected) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling for late answers
  }
  r.peak_rss_kb = peak_rss_kb(subject.pid()).value_or(0);
  r.received = subject.stop().received;
  r.sent = g.sent;
  r.publish_failures = g.failed;
  r.late_ms = g.late_us / 1000;
  r.problem = g.problem;
  measure(board.messages(), g, spec.subject, limits, r);
  return r;
}

}  // namespace vigil::bench
