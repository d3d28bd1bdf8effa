// A private directory under /tmp for one test, removed with it: files whose mode a test sets.
#pragma once

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace vigil::settings::test {

class scratch_dir {
 public:
  scratch_dir() {
    std::string templ = (std::filesystem::temp_directory_path() / "vigil-settings-XXXXXX");
    if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
    path_ = templ;
  }
  ~scratch_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;

  // Writes `text` to a file with exactly `mode` (chmod, so the umask does not interfere).
  std::string file(const std::string& name, const std::string& text, mode_t mode) const {
    const std::string p = (path_ / name).string();
    std::ofstream{p, std::ios::binary | std::ios::trunc} << text;
    if (::chmod(p.c_str(), mode) != 0) throw std::runtime_error("chmod failed: " + p);
    return p;
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace vigil::settings::test
