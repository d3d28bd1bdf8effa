// What reading one PCD-01 report costs the gateway's loop: the TF's E.1.1 example (17 OBX
// rows, HR and NIBP) through read_pcd01, and MLLP deframing of a stream of such reports.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

#include "hl7/mllp.hpp"
#include "hl7/pcd01.hpp"
#include "hl7/text.hpp"

namespace {

std::string sample() {
  std::ifstream in(std::string(VIGIL_HL7_DATA_DIR) + "/tf_e1_1.hl7", std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

vigil::hl7::mapping philips() {
  vigil::hl7::mapping m;
  vigil::hl7::sender_profile p;
  p.name = "philips";
  p.application = "PAT_DEVICE_PHILIPS_C";
  p.x_with_value_is_valid = true;
  m.senders = {p};
  for (int i = 0; i < 5000; ++i)
    m.beds.emplace(vigil::hl7::cat("WARD^", i, "^1"), vigil::hl7::cat('b', i));
  m.beds.emplace("HO Surgery^OR^1", "or-1");
  return m;
}

void read_tf_e11(benchmark::State& state) {
  const std::string msg = sample();
  const auto m = philips();
  for (auto _ : state) {
    auto r = vigil::hl7::read_pcd01(msg, m, 1421951218000);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(msg.size()));
}
BENCHMARK(read_tf_e11);

void deframe(benchmark::State& state) {
  std::string wire;
  for (int i = 0; i < 100; ++i) wire += vigil::hl7::mllp_wrap(sample());
  for (auto _ : state) {
    vigil::hl7::mllp_reader r(1 << 20);
    for (std::size_t at = 0; at < wire.size(); at += 1460) {  // one TCP segment at a time
      r.feed(std::string_view(wire).substr(at, 1460));
      while (auto item = r.next()) benchmark::DoNotOptimize(item);
    }
  }
  state.SetItemsProcessed(state.iterations() * 100);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(wire.size()));
}
BENCHMARK(deframe);

}  // namespace

BENCHMARK_MAIN();
