#include <cstdint>
#include <string_view>

#include "replay/session_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vigil::replay::csv_options opts;
  opts.bed = "chair-1";
  vigil::replay::parse_session_csv(std::string_view(reinterpret_cast<const char*>(data), size),
                                   "fuzz.csv", opts);
  return 0;
}
