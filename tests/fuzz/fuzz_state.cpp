#include <cstdint>
#include <string>

#include "core/engine.hpp"
#include "store/state_store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string error;
  auto bed = vigil::store::state_store::parse(
      std::string(reinterpret_cast<const char*>(data), size), error);
  if (bed) {  // whatever a file holds, restoring it must not break the engine
    vigil::core::engine engine;
    engine.restore(*bed, 0);
    vigil::core::engine_output out;
    engine.advance(24LL * 3600 * 1000, out);
  }
  return 0;
}
