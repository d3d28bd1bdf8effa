// Runs a libFuzzer target over files and directories without libFuzzer, so the normal (gcc)
// build replays every committed corpus as a regression test. Under the `fuzz` preset the
// targets link libFuzzer instead and this file is not used.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {
int run_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
  // Like libFuzzer, never hand the target a null pointer, even for an empty file.
  static const char empty = 0;
  const char* data = bytes.empty() ? &empty : bytes.data();
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(data), bytes.size());
  return 1;
}
}  // namespace

int main(int argc, char** argv) {
  int inputs = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    if (std::filesystem::is_directory(arg)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(arg))
        if (e.is_regular_file()) inputs += run_file(e.path());
    } else {
      inputs += run_file(arg);
    }
  }
  std::printf("ran %d inputs\n", inputs);
  return inputs > 0 ? 0 : 1;  // an empty corpus is a broken test, not a pass
}
