// One end-to-end run: a fresh broker, the subject under test (vigild, or the re-publishing
// floor), a dashboard, and the load generator's shards; measures probe latency, the subject's
// CPU, peak RSS and whether it received everything that was published.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "e2e_processes.hpp"
#include "e2e_support.hpp"

namespace vigil::bench {

enum class subject : std::uint8_t {
  republisher,     // the floor: receive and re-publish, nothing else
  vigild_disk,     // vigild, state_dir on the disk (/tmp), as deployed
  vigild_tmpfs,    // vigild, state_dir on tmpfs (/dev/shm): the same work without fsync's wait
  min_subscriber,  // the floor for receiving alone: subscribe and count
};
std::string_view to_string(subject s);

struct programs {
  std::string vigild, config, loadgen, republisher, min_subscriber;
  std::string tcp_nodelay_shim;  // LD_PRELOADed into every client for tcp_nodelay runs
};

struct run_spec {
  bench::subject subject = subject::vigild_disk;
  int beds = 100;
  double rate = 0;  // heart rates per second over all beds; 0: one per bed per second
  double warmup_s = 5;
  double window_s = 20;  // measured after the warm-up
  int nibp_probes = 40;
  int hr_probes = 0;
  double shard_rate = 5000;  // heart rates/s one load generator process is asked for at most
  // Nagle's algorithm off on every socket: the broker's (set_tcp_nodelay) and the clients'
  // (load generator, subject) through programs::tcp_nodelay_shim.
  bool tcp_nodelay = true;
};

struct run_result {
  run_spec spec;
  latency nibp;  // publish -> SBP_HIGH (floor: publish -> echo), NIBP persistence subtracted
  latency hr;    // the HR 160 that completed the persistence -> HR_HIGH (vigild only)
  int hr_late_onsets = 0;     // HR_HIGH raised one reading after the persistence, not at it
  double cpu_pct = 0;         // subject, % of one core over the window
  double broker_cpu_pct = 0;  // mosquitto, likewise
  long peak_rss_kb = 0;       // subject's VmHWM at the end
  std::int64_t sent = 0;      // published by the load generator
  std::int64_t received = 0;  // counted by the subject
  std::int64_t publish_failures = 0;
  std::int64_t late_ms = 0;  // the furthest the load generator fell behind its schedule
  std::string problem;       // why the run could not be measured; empty when it could
  std::int64_t dropped() const { return sent - received; }
};

run_result run_once(const programs& p, const run_spec& spec);

// Publish call -> the dashboard receiving the probe bed's SBP_HIGH RAISED event, for each cuff
// probe (bed id -> publish us), minus the NIBP persistence.
latency sbp_high_latency(const std::vector<timed_message>& seen,
                         const std::map<std::string, std::int64_t>& probes,
                         std::int64_t persistence_ms);

}  // namespace vigil::bench
