// What a Prometheus scrape costs vigild's loop: ward::write_metrics (inputs, events, and one
// pass over every bed for the open alarms and phases) on a ward that has run a simulated
// minute of the synthetic stream (ward_stream.hpp), and the /proc read of the process metrics.
#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>

#include <vector>

#include "app/ward.hpp"
#include "metrics/process_stats.hpp"
#include "ward.hpp"
#include "ward_stream.hpp"

namespace vigil {
namespace {

using bench::ward_stream;

void scrape_ward(benchmark::State& state) {
  spdlog::set_level(spdlog::level::off);  // the warm-up's event lines
  const int beds = static_cast<int>(state.range(0));
  io::clock_reading now{0, 0};
  io::loop_clock clock([&now] { return now; });
  app::ward w(core::engine_config{}, bench::prefix, clock);
  ward_stream stream(beds);
  std::vector<io::inbound_message> batch(1);
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(beds) * 60; ++i) {
    const auto& m = stream.next();
    now = {m.now, m.now};
    batch[0] = {stream.topic(m), stream.payload(m)};
    w.handle(batch, w.begin_turn().now);
    if (i % 1024 == 0) w.take();  // as the loop does after each turn
  }
  w.take();
  std::size_t bytes = 0;
  for (auto _ : state) {
    metrics::exposition out;
    w.write_metrics(out);
    bytes = out.text().size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["beds"] = beds;
  state.counters["page_bytes"] = static_cast<double>(bytes);
}

void scrape_process(benchmark::State& state) {
  for (auto _ : state) {
    metrics::exposition out;
    if (const auto p = metrics::read_process_stats()) metrics::write_process_stats(out, *p);
    benchmark::DoNotOptimize(out.text().size());
  }
}

BENCHMARK(scrape_ward)
    ->ArgName("beds")
    ->Arg(1000)
    ->Arg(5000)
    ->Arg(20000)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(scrape_process)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace vigil

BENCHMARK_MAIN();
