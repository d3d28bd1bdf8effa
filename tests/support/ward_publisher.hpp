// A ward of well-behaved bedside gateways on one MQTT connection, for load and flood tests:
// every bed's heart rate once a second (QoS 0, the beds spread evenly over the second), and
// alarm-causing probes at times the test chooses:
//   - hr:   from `at` on, the bed's next `hr_readings` heart rates are 160, 161, 162, ...
//           (HR_HIGH once held for the persistence), then 80 again;
//   - nibp: at `at`, one NIBP reading of 186/95 on the bed (SBP_HIGH at once), QoS 1.
// Every probe reading of a bed has its own value, so an alarm event's value names the reading
// that raised it, and sent_at() tells when that reading was published.
//
// Runs on its own thread with its own Paho client (a second client in one process takes ~2 s
// to connect, stack-notes.md). Publishes never wait for the broker: a slow broker shows as
// latency, not as a late schedule.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace mqtt {
class async_client;
}

namespace vigil::test {

struct ward_probe {
  enum class kind { hr, nibp };
  kind what = kind::nibp;
  int bed = 0;
  std::chrono::milliseconds at{0};  // from start()
};

struct ward_options {
  std::string broker_uri;
  std::string prefix = "clinic";
  std::string bed_prefix = "ward-";
  int beds = 200;
  std::chrono::milliseconds duration{30'000};
  int hr_readings = 5;  // per hr probe
  std::vector<ward_probe> probes;
};

class ward_publisher {
 public:
  static constexpr double quiet_bpm = 80;
  static constexpr double first_probe_bpm = 160;
  static constexpr double probe_systolic = 186;
  static constexpr double probe_diastolic = 95;

  explicit ward_publisher(ward_options opts);  // connects; throws if it cannot within 10 s
  ~ward_publisher();                           // stops and disconnects
  ward_publisher(const ward_publisher&) = delete;
  ward_publisher& operator=(const ward_publisher&) = delete;

  // Starts publishing now, for opts.duration.
  void start();
  // Waits for the schedule to end (at most opts.duration after start()).
  void join();

  std::string bed_id(int bed) const;  // "ward-007"
  // When the probe reading of `value` on `bed` was published (wall ms), once it has been.
  std::optional<std::int64_t> sent_at(const std::string& bed, double value) const;
  // When the first reading of the bed's probe was published (wall ms), once it has been.
  std::optional<std::int64_t> probe_started_at(const std::string& bed) const;
  std::uint64_t published() const { return published_; }
  std::uint64_t refused() const { return refused_; }  // publishes Paho refused
  // Largest delay of a publish behind its schedule, ms: a check that the ward kept its pace.
  std::int64_t max_late_ms() const { return max_late_ms_; }

 private:
  struct scheduled {
    std::int64_t at_us;  // from start
    int bed;
    bool nibp;
    double value;  // bpm, or systolic
  };
  void plan();
  void run(std::chrono::steady_clock::time_point start);
  void publish(const scheduled& s);

  ward_options opts_;
  std::vector<scheduled> schedule_;
  std::unique_ptr<mqtt::async_client> client_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, double>, std::int64_t> sent_at_;  // probe readings only
  std::map<std::string, std::int64_t> probe_started_at_;
  std::atomic<std::uint64_t> published_{0};
  std::atomic<std::uint64_t> refused_{0};
  std::atomic<std::int64_t> max_late_ms_{0};
};

}  // namespace vigil::test
