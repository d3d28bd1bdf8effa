// Pieces of the end-to-end benchmark: a quiet broker, a dashboard that timestamps what it
// receives in microseconds, and what /proc says about a process.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "child_process.hpp"
#include "temp_dir.hpp"

namespace mqtt {
class async_client;
}

namespace vigil::bench {

// /usr/sbin/mosquitto on 127.0.0.1 at a free port with Debian's defaults, logging only
// connections: tests/support's broker logs every PUBLISH (log_type all), which would make the
// broker the thing measured. `tcp_nodelay`: set_tcp_nodelay true (Nagle off on its sockets).
// `extra`: more configuration lines.
class quiet_broker {
 public:
  // Started and accepting connections, or throws.
  explicit quiet_broker(bool tcp_nodelay, const std::string& extra = {});
  ~quiet_broker();
  quiet_broker(const quiet_broker&) = delete;
  quiet_broker& operator=(const quiet_broker&) = delete;

  std::string uri() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return process_->pid(); }

 private:
  test::temp_dir dir_;
  int port_ = 0;
  std::unique_ptr<test::child_process> process_;
};

struct timed_message {
  std::string topic;
  std::string payload;
  std::int64_t received_us = 0;  // wall_us() in Paho's callback
};

// An MQTT 5 subscriber, QoS 1, like a nurse-station dashboard.
class dashboard {
 public:
  dashboard(const std::string& broker_uri, const std::vector<std::string>& filters);
  ~dashboard();
  dashboard(const dashboard&) = delete;
  dashboard& operator=(const dashboard&) = delete;

  std::vector<timed_message> messages() const;
  // Waits until a message on `topic` satisfies `ready`, false after `timeout`.
  template <class Pred>
  bool wait_for(const std::string& topic, Pred ready, std::chrono::milliseconds timeout) const;
  std::size_t count() const;

 private:
  class callbacks;
  mutable std::mutex mutex_;
  std::vector<timed_message> messages_;
  std::unique_ptr<callbacks> callbacks_;
  std::unique_ptr<mqtt::async_client> client_;  // last: destroyed first
};

// From /proc/PID: CPU time (user + system) so far, and peak resident set (VmHWM).
std::chrono::duration<double> cpu_time(pid_t pid);
std::optional<long> peak_rss_kb(pid_t pid);
// Sets VmHWM back to the current resident set (writes 5 to /proc/PID/clear_refs, Linux 4.0
// on), so a later peak_rss_kb() is the peak since now; false if the kernel refused.
bool reset_peak_rss(pid_t pid);

// Each live thread of a process (/proc/PID/task/TID): its name (comm) and CPU time so far.
// The main thread, TID == PID, is vigild's event loop.
struct task_cpu {
  pid_t tid = 0;
  std::string name;
  double cpu_s = 0;
};
std::vector<task_cpu> task_cpu_times(pid_t pid);

// The machine's 1-minute load average (/proc/loadavg): other work shares the cores.
double load_average_1min();

// Latency summary of a set of samples, in milliseconds.
struct latency {
  std::size_t expected = 0;  // probes sent
  std::size_t seen = 0;      // answered
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
};
latency summarize(std::vector<double> samples_ms, std::size_t expected);

template <class Pred>
bool dashboard::wait_for(const std::string& topic, Pred ready,
                         std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (const auto& m : messages()) {
      if (m.topic == topic && ready(m)) return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling for a start-up
  }
}

}  // namespace vigil::bench
