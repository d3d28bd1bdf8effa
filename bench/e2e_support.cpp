#include "e2e_support.hpp"

#include <mqtt/async_client.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "e2e_common.hpp"
#include "mosquitto_broker.hpp"

namespace vigil::bench {

// ---- broker ----

quiet_broker::quiet_broker(bool tcp_nodelay, const std::string& extra) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = test::free_tcp_port();
    std::string conf = "listener " + std::to_string(port_) + " 127.0.0.1\nallow_anonymous true\n";
    if (geteuid() == 0) conf += "user root\n";
    if (tcp_nodelay) conf += "set_tcp_nodelay true\n";
    conf += extra;
    process_ = std::make_unique<test::child_process>(
        std::vector<std::string>{"/usr/sbin/mosquitto", "-c", dir_.write("mosquitto.conf", conf)},
        (dir_.path() / "mosquitto.log").string());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (process_->running() && std::chrono::steady_clock::now() < deadline) {
      if (test::tcp_port_open(port_)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling for readiness
    }
    process_->kill_now();  // the port was taken, or it hung: try another
  }
  throw std::runtime_error("mosquitto did not start: " + dir_.read("mosquitto.log"));
}

quiet_broker::~quiet_broker() { process_->stop(SIGTERM, std::chrono::seconds(3)); }

// ---- dashboard ----

class dashboard::callbacks : public mqtt::callback {
 public:
  explicit callbacks(dashboard& owner) : owner_(owner) {}
  void message_arrived(mqtt::const_message_ptr msg) override {
    const auto t = wall_us();  // first: the time is what is measured
    std::lock_guard lock(owner_.mutex_);
    owner_.messages_.push_back({msg->get_topic(), msg->get_payload_str(), t});
  }

 private:
  dashboard& owner_;
};

dashboard::dashboard(const std::string& broker_uri, const std::vector<std::string>& filters)
    : callbacks_(std::make_unique<callbacks>(*this)),
      client_(std::make_unique<mqtt::async_client>(
          broker_uri, "vigil-bench-dashboard-" + std::to_string(getpid()),
          mqtt::create_options(MQTTVERSION_5))) {
  client_->set_callback(*callbacks_);
  const auto opts =
      mqtt::connect_options_builder().mqtt_version(MQTTVERSION_5).clean_start(true).finalize();
  if (!client_->connect(opts)->wait_for(std::chrono::seconds(10))) {
    throw std::runtime_error("dashboard: cannot connect to " + broker_uri);
  }
  for (const auto& f : filters) client_->subscribe(f, 1)->wait();
}

dashboard::~dashboard() {
  try {
    client_->disable_callbacks();
    client_->disconnect()->wait_for(std::chrono::seconds(2));
  } catch (const mqtt::exception&) {
    // The broker may be gone already.
  }
  client_.reset();
  std::lock_guard lock(mutex_);  // Paho's last callback, which held it, is over
}

std::vector<timed_message> dashboard::messages() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

std::size_t dashboard::count() const {
  std::lock_guard lock(mutex_);
  return messages_.size();
}

// ---- /proc ----

namespace {

// utime + stime of a /proc/.../stat file, in seconds (0 if it is gone).
double stat_cpu_s(const std::string& path) {
  std::ifstream in(path);
  std::string stat;
  std::getline(in, stat);
  const auto name_end = stat.rfind(')');
  if (name_end == std::string::npos || name_end + 2 > stat.size()) return 0;
  // Fields after the command name, which is in parentheses and may hold spaces.
  std::istringstream rest(stat.substr(name_end + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

std::chrono::duration<double> cpu_time(pid_t pid) {
  return std::chrono::duration<double>(stat_cpu_s("/proc/" + std::to_string(pid) + "/stat"));
}

bool reset_peak_rss(pid_t pid) {
  std::ofstream out("/proc/" + std::to_string(pid) + "/clear_refs");
  out << "5\n";
  out.flush();
  return static_cast<bool>(out);
}

std::vector<task_cpu> task_cpu_times(pid_t pid) {
  std::vector<task_cpu> tasks;
  std::error_code ec;
  const std::filesystem::path dir = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    task_cpu t;
    t.tid = static_cast<pid_t>(std::stol(entry.path().filename().string()));
    std::ifstream comm(entry.path() / "comm");
    std::getline(comm, t.name);
    t.cpu_s = stat_cpu_s((entry.path() / "stat").string());
    tasks.push_back(std::move(t));
  }
  return tasks;
}

std::optional<long> peak_rss_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("VmHWM:")) return std::stol(line.substr(6));
  }
  return std::nullopt;
}

double load_average_1min() {
  std::ifstream in("/proc/loadavg");
  double one = 0;
  in >> one;
  return one;
}

// ---- latency ----

latency summarize(std::vector<double> samples_ms, std::size_t expected) {
  latency l;
  l.expected = expected;
  l.seen = samples_ms.size();
  if (samples_ms.empty()) return l;
  std::sort(samples_ms.begin(), samples_ms.end());
  // Nearest rank: the smallest sample with at least p % of the samples at or below it.
  auto rank = [&](double p) {
    const auto r = static_cast<std::size_t>(std::ceil(p / 100 * static_cast<double>(l.seen)));
    return samples_ms[std::max<std::size_t>(r, 1) - 1];
  };
  l.p50_ms = rank(50);
  l.p99_ms = rank(99);
  l.max_ms = samples_ms.back();
  return l;
}

}  // namespace vigil::bench
