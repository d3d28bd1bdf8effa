// Whole-file read for the replay tests. Plain fread: GCC 12 -O2 reports a false
// -Wnull-dereference inside istreambuf_iterator, which -Werror turns into a build failure.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>

namespace vigil::replay {

inline std::string file_bytes(const std::filesystem::path& p) {
  std::string out;
  if (std::FILE* f = std::fopen(p.c_str(), "rb")) {
    char chunk[65536];
    std::size_t n = 0;
    while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) out.append(chunk, n);
    std::fclose(f);
  }
  return out;
}

}  // namespace vigil::replay
