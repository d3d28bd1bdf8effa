#include <cstdint>
#include <string>

#include "core/engine.hpp"
#include "core/engine_books.hpp"
#include "store/bed_record.hpp"
#include "store/legacy_files.hpp"

namespace {

// Whatever a stored bed holds, restoring it must not break the engine.
void restore(const std::optional<vigil::core::bed_state>& bed) {
  if (!bed) return;
  vigil::core::engine engine;
  vigil::core::engine_books(engine).restore(*bed, 0);
  vigil::core::engine_output out;
  engine.advance(24LL * 3600 * 1000, out);
}

}  // namespace

// The input as a row of the store's beds table (a BedState record), and as a file of vigild
// 0.1 (either format, imported at the first start of a later version).
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::string error, warning;
  restore(vigil::store::decode_bed(bytes, error));
  restore(vigil::store::legacy::parse_file(bytes, error, warning));
  return 0;
}
