// A blocking Alert Manager for live tests: listens on 127.0.0.1 at a free port on its own
// thread, takes MLLP frames from any connection, records each message and answers it with an
// accept ACK (MSA|CA|<its MSH-10>), written here by hand. Thread-safe to read.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vigil::test {

class am_listener {
 public:
  am_listener();  // listens at once; throws when it cannot
  ~am_listener();
  am_listener(const am_listener&) = delete;
  am_listener& operator=(const am_listener&) = delete;

  int port() const { return port_; }
  std::vector<std::string> messages() const;  // every message received, in order, unframed
  // Waits until `done(messages())` holds; false after `timeout`.
  bool wait_until(const std::function<bool(const std::vector<std::string>&)>& done,
                  std::chrono::milliseconds timeout) const;

 private:
  void run();

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<std::string> messages_;
  std::thread thread_;
};

}  // namespace vigil::test
