// The standard process metrics every Prometheus client library exports (process_cpu_seconds_total,
// process_resident_memory_bytes, process_virtual_memory_bytes, process_open_fds,
// process_max_fds, process_start_time_seconds), read from Linux's /proc for this process.
#pragma once

#include <optional>
#include <string_view>

#include "metrics/exposition.hpp"

namespace vigil::metrics {

struct process_stats {
  double cpu_seconds = 0;
  double resident_bytes = 0;
  double virtual_bytes = 0;
  double open_fds = 0;
  double max_fds = 0;
  double start_time_seconds = 0;  // Unix seconds
};

// Parses /proc/[pid]/stat's text (the comm field may hold spaces and parentheses) with the
// system's clock ticks per second, page size and boot time (/proc/stat's btime).
std::optional<process_stats> parse_proc_stat(std::string_view stat, double ticks_per_second,
                                             double page_bytes, double boot_time_seconds);

// This process, now; nullopt where /proc cannot be read.
std::optional<process_stats> read_process_stats();

void write_process_stats(exposition& out, const process_stats& s);

}  // namespace vigil::metrics
