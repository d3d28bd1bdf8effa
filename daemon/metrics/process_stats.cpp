#include "metrics/process_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace vigil::metrics {

namespace {

std::string read_file(const char* path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::optional<double> boot_time_seconds() {
  std::istringstream in(read_file("/proc/stat"));
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime" && in >> value) return value;
    in.ignore(1 << 16, '\n');
  }
  return std::nullopt;
}

}  // namespace

std::optional<process_stats> parse_proc_stat(std::string_view stat, double ticks_per_second,
                                             double page_bytes, double boot_time_seconds) {
  // "pid (comm) state ppid ...": comm ends at the last ')'.
  const auto close = stat.rfind(')');
  if (close == std::string_view::npos || ticks_per_second <= 0) return std::nullopt;
  std::vector<std::string_view> fields;  // fields[0] is field 3 (state)
  std::size_t i = close + 1;
  while (i < stat.size()) {
    while (i < stat.size() && stat[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < stat.size() && stat[i] != ' ' && stat[i] != '\n') ++i;
    if (i > start) fields.push_back(stat.substr(start, i - start));
    if (i < stat.size() && stat[i] == '\n') break;
  }
  auto field = [&](std::size_t n) -> std::optional<double> {  // n as in proc(5), from 1
    if (n < 3 || n - 3 >= fields.size()) return std::nullopt;
    const auto f = fields[n - 3];
    unsigned long long v = 0;
    const auto r = std::from_chars(f.data(), f.data() + f.size(), v);
    if (r.ec != std::errc{} || r.ptr != f.data() + f.size()) return std::nullopt;
    return static_cast<double>(v);
  };
  const auto utime = field(14), stime = field(15), start = field(22), vsize = field(23),
             rss = field(24);
  if (!utime || !stime || !start || !vsize || !rss) return std::nullopt;
  process_stats s;
  s.cpu_seconds = (*utime + *stime) / ticks_per_second;
  s.start_time_seconds = boot_time_seconds + *start / ticks_per_second;
  s.virtual_bytes = *vsize;
  s.resident_bytes = *rss * page_bytes;
  return s;
}

std::optional<process_stats> read_process_stats() {
  const auto boot = boot_time_seconds();
  if (!boot) return std::nullopt;
  auto s = parse_proc_stat(read_file("/proc/self/stat"), static_cast<double>(sysconf(_SC_CLK_TCK)),
                           static_cast<double>(sysconf(_SC_PAGESIZE)), *boot);
  if (!s) return std::nullopt;
  std::error_code ec;
  double fds = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++fds;
  }
  s->open_fds = fds;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) s->max_fds = static_cast<double>(limit.rlim_cur);
  return s;
}

void write_process_stats(exposition& out, const process_stats& s) {
  out.family("process_cpu_seconds_total", family_type::counter,
             "Total user and system CPU time spent in seconds.");
  out.sample(s.cpu_seconds);
  out.family("process_resident_memory_bytes", family_type::gauge, "Resident memory size in bytes.");
  out.sample(s.resident_bytes);
  out.family("process_virtual_memory_bytes", family_type::gauge, "Virtual memory size in bytes.");
  out.sample(s.virtual_bytes);
  out.family("process_open_fds", family_type::gauge, "Number of open file descriptors.");
  out.sample(s.open_fds);
  out.family("process_max_fds", family_type::gauge, "Maximum number of open file descriptors.");
  out.sample(s.max_fds);
  out.family("process_start_time_seconds", family_type::gauge,
             "Start time of the process since unix epoch in seconds.");
  out.sample(s.start_time_seconds);
}

}  // namespace vigil::metrics
