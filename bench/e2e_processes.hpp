// The processes an end-to-end run starts around the broker: the subject (a vigild binary, the
// re-publishing floor or the minimal subscriber) and the load generator's shards, and what
// each of them says when it is done. Shared by the classic runs (e2e_run) and the scale runs
// (e2e_scale), so both start and read their processes the same way.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "temp_dir.hpp"

namespace vigil::bench {

enum class subject_kind : std::uint8_t {
  vigild,          // a vigild binary with the shipped configuration
  republisher,     // vigil_republisher: receives and re-publishes
  min_subscriber,  // vigil_min_subscriber: receives and counts
};

struct subject_options {
  subject_kind kind = subject_kind::vigild;
  std::string program;  // the executable
  std::string config;   // vigild: the vigild.toml to start from (its /var/lib/vigil replaced)
  // vigild: what replaces /var/lib/vigil. Empty: a directory of the process's own, gone with
  // it; the scale runs pass one that outlives a process so a second vigild finds the beds.
  std::filesystem::path state_root;
  std::string tcp_nodelay_shim;  // non-empty: LD_PRELOADed (Nagle off on the client's socket)
};

// What a subject's output says at exit; -1 where it says nothing.
struct subject_counts {
  std::int64_t received = -1;     // messages it counted (vigild: "mqtt: N received")
  std::int64_t loop_behind = -1;  // vigild: dropped with the loop behind
  std::int64_t readings = -1;     // vigild: "engine readings accepted: N"
  // Durable commits: the rewritten store's "store: N commit(s), ..." or, from the vigild
  // before it, "state: ... saved in M directory sync(s)" (one sync pass is one commit).
  std::int64_t commits = -1;
  std::int64_t rows = -1;            // bed rows (store:) or bed files (state:) written
  std::string commit_line;           // "store" or "state": which of the two lines was found
  std::int64_t store_failures = -1;  // failure(s) / error(s) on that line
  bool exited = false;               // exited within the grace, not SIGKILLed
};
subject_counts parse_subject_output(subject_kind kind, const std::string& text);
// The topic a subject announces itself on once subscribed (retained).
std::string ready_topic(subject_kind kind);

class subject_process {
 public:
  subject_process(const subject_options& o, const std::string& broker_uri);
  subject_process(const subject_process&) = delete;
  subject_process& operator=(const subject_process&) = delete;

  pid_t pid() const { return process_->pid(); }
  bool running() { return process_->running(); }
  std::string log() const;
  // The topic it announces itself on, and whether a message there says it is ready.
  std::string ready_topic() const { return bench::ready_topic(kind_); }
  bool is_ready(const std::string& payload) const;
  // SIGTERM, up to `grace` for the exit (a vigild with a backlog saves it first), then the
  // counts its output gives. stop_seconds(): how long the exit took.
  subject_counts stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  double stop_seconds() const { return stop_seconds_; }

 private:
  subject_kind kind_;
  test::temp_dir dir_;
  std::string log_;
  std::unique_ptr<test::child_process> process_;
  double stop_seconds_ = 0;
};

// The load generator's arguments, for all of its shards.
struct loadgen_spec {
  int beds = 100;
  double rate = 0;  // heart rates per second over all beds; 0: one per bed per second
  std::int64_t start_us = 0;
  double warmup_s = 0;
  double duration_s = 10;  // warm-up included
  int nibp_probes = 0;
  int hr_probes = 0;
  bool probe_new_beds = false;  // cuff probes on beds of their own, new to the subject
  std::int64_t tick_us = 0;     // vigil_loadgen --tick-us
  double shard_rate = 5000;     // heart rates/s one process is asked for at most
};

// What the load generator's shards printed (e2e_common.hpp), summed.
struct generator_report {
  std::map<std::string, std::int64_t> nibp_probes;             // bed id -> publish us
  std::map<std::string, std::vector<std::int64_t>> hr_probes;  // bed id -> each HR 160's
  std::int64_t sent = 0, window_sent = 0, failed = 0, late_us = 0;
  std::string problem;
};

class loadgen_shards {
 public:
  loadgen_shards(const std::string& loadgen, const std::string& tcp_nodelay_shim,
                 const std::string& broker_uri, const loadgen_spec& spec);
  // Waits for every shard to finish (at most `timeout` each) and reads their reports.
  generator_report wait(std::chrono::milliseconds timeout);

 private:
  test::temp_dir logs_;
  std::vector<std::unique_ptr<test::child_process>> shards_;
};

std::string read_text_file(const std::filesystem::path& path);

}  // namespace vigil::bench
