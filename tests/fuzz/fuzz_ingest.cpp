// Network input: any topic kind, any bytes, through the codec into the engine and back out.
#include <cstdint>
#include <string>

#include "codec/outbox.hpp"
#include "codec/topics.hpp"
#include "core/engine.hpp"
#include "feed/ingest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = (vigil::codec::silence_protobuf_log(), true);
  (void)quiet;
  vigil::core::engine engine;
  vigil::feed::ingest ingest(engine, "clinic");
  vigil::core::engine_output out;
  // Each message: 1 byte topic kind, 1 byte length, then that many payload bytes.
  std::size_t i = 0;
  vigil::core::time_ms now = 0;
  while (i + 2 <= size) {
    const auto kind = vigil::codec::all_input_kinds[data[i] % 5];
    const std::size_t len = std::min<std::size_t>(data[i + 1], size - i - 2);
    const std::string payload(reinterpret_cast<const char*>(data + i + 2), len);
    const std::string bed = (data[i] & 0x80) ? "chair-2" : "chair-1";
    ingest.handle(vigil::codec::input_topic_name("clinic", bed, kind), payload, now, out);
    now += 1000 * (data[i] >> 5);
    engine.advance(now, out);
    vigil::codec::to_outgoing("clinic", out);
    out.clear();
    i += 2 + len;
  }
  // Let every timer run out.
  engine.advance(now + 24LL * 3600 * 1000, out);
  return 0;
}
