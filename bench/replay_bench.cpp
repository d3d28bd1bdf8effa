// Offline replay throughput: the engine over a generated 60-minute 1 Hz session, and over 100
// such sessions (100 beds) in one recording, against a loop that only reads and decodes the
// same frames. Goal (issue 4): >= 2 M readings/s and >= half the decode-only rate.
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "io/recording.hpp"
#include "replay/offline.hpp"

namespace {

using namespace vigil;
constexpr core::time_ms start_ms = 1'700'000'000'000;
constexpr int session_s = 3600;
const std::string prefix = "clinic";

struct generated {
  std::filesystem::path path;
  std::int64_t readings = 0;  // HeartRate + BloodPressure frames
};

// One bed: infusion from 0 s (planned 45 min), stopped at 50 min; HR every second with a slow
// wobble and a short bradycardic dip (so the engine also raises and ends an alarm); a cuff every
// 5 min. Beds are interleaved by time, as a live recording of a ward would be.
generated make_recording(int beds) {
  generated g;
  g.path = std::filesystem::temp_directory_path() /
           ("vigil-bench-" + std::to_string(::getpid()) + "-" + std::to_string(beds) + ".rec");
  io::recording_writer w;
  if (w.open(g.path, {io::format_version, start_ms, "replay_bench"},
             {.flush_each_frame = false, .exclusive = false})) {
    throw std::runtime_error("cannot write " + g.path.string());
  }
  std::vector<std::string> ids;
  for (int b = 0; b < beds; ++b) ids.push_back("bed-" + std::to_string(b));
  std::map<std::string, std::uint64_t> seq;
  const auto put = [&](core::time_ms t, const std::string& bed, codec::input_kind k,
                       const std::string& payload) {
    if (w.append(t, codec::input_topic_name(prefix, bed, k), payload)) {
      throw std::runtime_error("append failed");
    }
  };
  for (int s = 0; s < session_s; ++s) {
    for (int b = 0; b < beds; ++b) {
      const std::string& bed = ids[static_cast<std::size_t>(b)];
      const core::time_ms t = start_ms + s * 1000LL + b;  // beds a millisecond apart
      if (s == 0 || s == 3000) {
        core::infusion_event e;
        e.kind = s == 0 ? core::infusion_kind::started : core::infusion_kind::stopped;
        e.at_ms = t;
        e.session_id = bed + "-1";
        e.planned_minutes = 45;
        put(t, bed, codec::input_kind::infusion, codec::encode(e));
      }
      core::heart_rate hr;
      hr.device_id = "mon-" + bed;
      hr.measured_at_ms = t;
      hr.seq = ++seq[bed];
      const bool dip = s >= 1200 && s < 1230;
      hr.bpm = dip ? 46 : 75 + 6 * std::sin(s / 60.0 + b);
      put(t, bed, codec::input_kind::heart_rate, codec::encode(hr));
      ++g.readings;
      if (s % 300 == 0) {
        core::blood_pressure bp;
        bp.device_id = hr.device_id;
        bp.measured_at_ms = t;
        bp.seq = ++seq[bed];
        bp.systolic_mmhg = 120 + s / 200.0;
        bp.diastolic_mmhg = 78 + s / 400.0;
        put(t, bed, codec::input_kind::blood_pressure, codec::encode(bp));
        ++g.readings;
      }
    }
  }
  if (w.close()) throw std::runtime_error("close failed");
  return g;
}

// Made once per size, removed at exit.
const generated& recording(int beds) {
  static struct files {
    std::map<int, generated> made;
    ~files() {
      std::error_code ignored;
      for (const auto& [n, g] : made) std::filesystem::remove(g.path, ignored);
    }
  } cache;
  auto it = cache.made.find(beds);
  if (it == cache.made.end()) it = cache.made.emplace(beds, make_recording(beds)).first;
  return it->second;
}

void set_counters(benchmark::State& state, const generated& g) {
  state.counters["readings/s"] = benchmark::Counter(static_cast<double>(g.readings),
                                                    benchmark::Counter::kIsIterationInvariantRate);
  state.counters["readings"] = static_cast<double>(g.readings);
}

// What `vigil-replay offline` does, JSON formatting of the events included.
void offline_replay(benchmark::State& state) {
  const generated& g = recording(static_cast<int>(state.range(0)));
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto report = replay::play_offline(
        g.path, {}, [&](const core::alarm_event& e) { bytes += codec::to_json_line(e).size(); });
    if (!report.ok()) state.SkipWithError(report.error->message.c_str());
    state.counters["events"] = static_cast<double>(report.events);
  }
  benchmark::DoNotOptimize(bytes);
  set_counters(state, g);
}

// The floor: read every frame, parse its topic and decode its payload, no engine.
void read_and_decode_only(benchmark::State& state) {
  const generated& g = recording(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    io::recording_reader reader;
    if (!reader.open(g.path)) state.SkipWithError("cannot open");
    std::int64_t decoded = 0;
    while (auto f = reader.next()) {
      const auto topic = codec::parse_input_topic(prefix, f->topic);
      if (!topic) continue;
      switch (topic.value().kind) {
        case codec::input_kind::heart_rate:
          decoded += codec::decode_heart_rate(f->payload).ok();
          break;
        case codec::input_kind::blood_pressure:
          decoded += codec::decode_blood_pressure(f->payload).ok();
          break;
        case codec::input_kind::infusion:
          decoded += codec::decode_infusion_event(f->payload).ok();
          break;
        default: break;
      }
    }
    benchmark::DoNotOptimize(decoded);
  }
  set_counters(state, g);
}

BENCHMARK(offline_replay)->Arg(1)->Arg(100)->Unit(benchmark::kMillisecond);
BENCHMARK(read_and_decode_only)->Arg(1)->Arg(100)->Unit(benchmark::kMillisecond);

}  // namespace
