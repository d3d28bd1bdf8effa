// vigil_ward_recording: writes the synthetic ward of ward_stream.hpp (the engine benchmark's
// traffic) as a recording for `vigil-replay offline`, so the replay can be profiled on the same
// mix: a heart rate per bed per second, a cuff every 5 minutes, infusions STARTED and STOPPED,
// a tachycardia (HR_HIGH raised and ended) and the recovery deadline in every bed's 2-hour
// cycle, staggered over the beds.
//
//   vigil_ward_recording --beds N --seconds S -o FILE.rec
//
// Prints "frames F readings R" (readings: heart rate and blood pressure frames). Two recordings
// of the same N differ only in length: the shorter is the first part of the longer.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "codec/topics.hpp"
#include "io/recording.hpp"
#include "ward_stream.hpp"

namespace {

using namespace vigil;

constexpr core::time_ms start_ms = 1'700'000'000'000;  // ward_stream's clock starts here

int usage() {
  std::fprintf(stderr, "usage: vigil_ward_recording --beds N --seconds S -o FILE.rec\n");
  return 2;
}

bool positive(const char* s, long& out) {
  char* end = nullptr;
  out = std::strtol(s, &end, 10);
  return end != s && *end == '\0' && out > 0;
}

}  // namespace

int main(int argc, char** argv) {
  long beds = 0;
  long seconds = 0;
  std::string out;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--beds" && positive(argv[i + 1], beds)) continue;
    if (flag == "--seconds" && positive(argv[i + 1], seconds)) continue;
    if (flag == "-o") {
      out = argv[i + 1];
      continue;
    }
    return usage();
  }
  if (argc % 2 != 1 || beds == 0 || seconds == 0 || out.empty()) return usage();

  io::recording_writer w;
  if (const auto ec = w.open(out, {io::format_version, start_ms, "vigil_ward_recording"},
                             {.flush_each_frame = false, .exclusive = false})) {
    std::fprintf(stderr, "%s: %s\n", out.c_str(), ec.message().c_str());
    return 1;
  }
  bench::ward_stream ward(static_cast<int>(beds));
  const core::time_ms end = start_ms + seconds * 1000;
  long long frames = 0;
  long long readings = 0;
  for (;;) {
    const auto& m = ward.next();
    if (m.now >= end) break;
    if (const auto ec = w.append(m.now, ward.topic(m), ward.payload(m))) {
      std::fprintf(stderr, "%s: %s\n", out.c_str(), ec.message().c_str());
      return 1;
    }
    ++frames;
    readings += m.kind != codec::input_kind::infusion;
    if (frames % 4096 == 0) {
      if (const auto ec = w.flush()) {
        std::fprintf(stderr, "%s: %s\n", out.c_str(), ec.message().c_str());
        return 1;
      }
    }
  }
  if (const auto ec = w.close()) {
    std::fprintf(stderr, "%s: %s\n", out.c_str(), ec.message().c_str());
    return 1;
  }
  std::printf("frames %lld readings %lld\n", frames, readings);
  return 0;
}
