#include <cstdint>
#include <string_view>

#include "settings/settings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto r = vigil::settings::parse(std::string_view(reinterpret_cast<const char*>(data), size),
                                  "fuzz.toml");
  if (r.settings) (void)vigil::settings::describe(*r.settings);
  return 0;
}
