// Readings per second through decode + engine on one core, beside decode alone and the engine
// alone on the same stream (ward_stream.hpp), for 100, 1,000 and 5,000 beds; and vigild's
// whole per-message step short of the network and the disk. Each benchmark also reports
// nanoseconds and heap allocations per reading, counted by the operator new below.
// Goals (issue 7): decode + engine >= 2 M readings/s and >= half the decode-only rate; no
// allocation per reading in the steady state.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <new>
#include <string>

#include "codec/codec.hpp"
#include "codec/outbox.hpp"
#include "codec/topics.hpp"
#include "core/engine.hpp"
#include "core/engine_books.hpp"
#include "feed/ingest.hpp"
#include "ward.hpp"
#include "ward_stream.hpp"

// ---- every heap allocation of this process, counted ----

namespace {
std::atomic<std::uint64_t> allocations{0};

void* counted_alloc(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* counted_aligned_alloc(std::size_t n, std::align_val_t a) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  const auto align = static_cast<std::size_t>(a);
  if (void* p = std::aligned_alloc(align, (n + align - 1) / align * align)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t n) { return counted_alloc(n); }
void* operator new[](std::size_t n) { return counted_alloc(n); }
void* operator new(std::size_t n, std::align_val_t a) { return counted_aligned_alloc(n, a); }
void* operator new[](std::size_t n, std::align_val_t a) { return counted_aligned_alloc(n, a); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace {

using namespace vigil;
using bench::ward_stream;

// Simulated time every bed has been seen and most sessions are under way before timing.
constexpr int warmup_s = 60;

bool is_reading(const ward_stream::message& m) { return m.kind != codec::input_kind::infusion; }

// Runs `step` over the stream: untimed for the warm-up, then for the benchmark's iterations
// (one message each), and reports readings/s, ns/reading and allocations/reading.
template <class Step>
void run(benchmark::State& state, ward_stream& ward, Step step) {
  const auto beds = static_cast<std::int64_t>(state.range(0));
  for (std::int64_t i = 0; i < beds * warmup_s; ++i) step(ward.next());
  std::int64_t readings = 0;
  const auto allocs_before = allocations.load();
  for (auto _ : state) {
    const auto& m = ward.next();
    readings += is_reading(m);
    step(m);
  }
  const auto allocs = static_cast<double>(allocations.load() - allocs_before);
  const auto n = static_cast<double>(readings);
  state.SetItemsProcessed(readings);
  state.counters["readings/s"] = benchmark::Counter(n, benchmark::Counter::kIsRate);
  state.counters["s/reading"] =
      benchmark::Counter(n, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["allocs/reading"] = allocs / n;
}

// The floor: parse the topic and decode the payload, as ingest does, without the engine.
void decode_only(benchmark::State& state) {
  ward_stream ward(static_cast<int>(state.range(0)));
  run(state, ward, [&](const ward_stream::message& m) {
    const auto topic = codec::parse_input_topic(bench::prefix, ward.topic(m));
    const auto& bytes = ward.payload(m);
    bool ok = false;
    switch (topic.value().kind) {
      case codec::input_kind::heart_rate: ok = codec::decode_heart_rate(bytes).ok(); break;
      case codec::input_kind::blood_pressure: ok = codec::decode_blood_pressure(bytes).ok(); break;
      default: ok = codec::decode_infusion_event(bytes).ok(); break;
    }
    benchmark::DoNotOptimize(ok);
  });
}

// The engine alone on already-decoded readings.
void engine_only(benchmark::State& state) {
  ward_stream ward(static_cast<int>(state.range(0)));
  core::engine engine;
  std::uint64_t events = 0;
  run(state, ward, [&](const ward_stream::message& m) {
    core::engine_output out;  // a fresh one per message, as vigild does
    switch (m.kind) {
      case codec::input_kind::heart_rate:
        engine.on_heart_rate(ward.bed_id(m), ward.heart_rate(m), m.now, out);
        break;
      case codec::input_kind::blood_pressure:
        engine.on_blood_pressure(ward.bed_id(m), ward.blood_pressure(m), m.now, out);
        break;
      default: engine.on_infusion(ward.bed_id(m), ward.infusion(m), m.now, out); break;
    }
    engine.advance(m.now, out);
    events += out.events.size();
  });
  state.counters["events"] = static_cast<double>(events);
}

// Topic + payload bytes through feed::ingest into the engine: what vigild's loop does with a
// message before it saves and publishes.
void decode_and_engine(benchmark::State& state) {
  ward_stream ward(static_cast<int>(state.range(0)));
  core::engine engine;
  feed::ingest ingest(engine, bench::prefix);
  run(state, ward, [&](const ward_stream::message& m) {
    core::engine_output out;
    benchmark::DoNotOptimize(ingest.handle(ward.topic(m), ward.payload(m), m.now, out));
    engine.advance(m.now, out);
  });
  state.counters["dropped"] = static_cast<double>(ingest.dropped_total());
}

// decode_and_engine plus the rest of live_daemon::on_message short of disk and network: take
// the dirty beds (whose files would be written) and encode what would be published.
void vigild_step(benchmark::State& state) {
  ward_stream ward(static_cast<int>(state.range(0)));
  core::engine engine;
  feed::ingest ingest(engine, bench::prefix);
  std::uint64_t published = 0;
  run(state, ward, [&](const ward_stream::message& m) {
    core::engine_output out;
    benchmark::DoNotOptimize(ingest.handle(ward.topic(m), ward.payload(m), m.now, out));
    engine.advance(m.now, out);
    core::engine_books books(engine);
    for (const auto& id : books.take_dirty()) benchmark::DoNotOptimize(books.state_of(id));
    published += codec::to_outgoing(bench::prefix, out).size();
  });
  state.counters["published"] = static_cast<double>(published);
}

void ward_sizes(benchmark::internal::Benchmark* b) {
  b->ArgName("beds")->Arg(100)->Arg(1000)->Arg(5000)->MinTime(1.0);
}

BENCHMARK(decode_only)->Apply(ward_sizes);
BENCHMARK(engine_only)->Apply(ward_sizes);
BENCHMARK(decode_and_engine)->Apply(ward_sizes);
BENCHMARK(vigild_step)->Apply(ward_sizes);

// The console output as usual, then one Markdown table of the figures the goals are about.
class table_reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    // One figure per benchmark: the median of the repetitions when there are several.
    for (const auto& r : runs) {
      const bool median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
      if (r.error_occurred || (r.run_type == Run::RT_Aggregate && !median)) continue;
      auto& row = rows_[std::stoi(r.run_name.args.substr(r.run_name.args.find(':') + 1))];
      if (!median && row.contains(r.run_name.function_name)) continue;  // keep the first
      auto& c = row[r.run_name.function_name];
      c.rate = r.counters.at("readings/s");
      c.seconds = r.counters.at("s/reading");
      c.allocs = r.counters.at("allocs/reading");
    }
  }

  void print_table() const {
    if (rows_.empty()) return;  // nothing ran (--benchmark_list_tests, a filter matching none)
    std::printf(
        "\n### Engine, one core: readings/s (millions), ns and heap allocations per reading\n\n"
        "| beds | decode only | engine only | decode + engine | ratio to decode only | ns per "
        "reading | allocs per reading (decode + engine / engine only) | vigild step |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|\n");
    bool fast = true, half = true;
    for (const auto& [beds, row] : rows_) {
      const auto get = [&](const char* name) {
        const auto it = row.find(name);
        return it == row.end() ? figures{} : it->second;
      };
      const auto decode = get("decode_only"), engine = get("engine_only"),
                 both = get("decode_and_engine"), step = get("vigild_step");
      const double ratio = decode.rate > 0 ? both.rate / decode.rate : 0;
      fast = fast && both.rate >= 2e6;
      half = half && ratio >= 0.5;
      std::printf("| %d | %.2f | %.2f | %.2f | %.2f | %.0f | %.3f / %.4f | %.2f |\n", beds,
                  decode.rate / 1e6, engine.rate / 1e6, both.rate / 1e6, ratio, both.seconds * 1e9,
                  both.allocs, engine.allocs, step.rate / 1e6);
    }
    std::printf(
        "\n- decode + engine at least 2 M readings/s: **%s**\n"
        "- decode + engine at least half the decode-only rate: **%s**\n",
        fast ? "met" : "missed", half ? "met" : "missed");
  }

 private:
  struct figures {
    double rate = 0, seconds = 0, allocs = 0;
  };
  std::map<int, std::map<std::string, figures>> rows_;  // beds -> benchmark -> figures
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  table_reporter reporter;
  // The running figures go to stderr, the table to stdout (bench/run.sh collects stdout).
  reporter.SetOutputStream(&std::cerr);
  reporter.SetErrorStream(&std::cerr);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_table();
  benchmark::Shutdown();
  return 0;
}
