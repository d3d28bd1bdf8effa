// A child process for tests: started with PR_SET_PDEATHSIG so a crashed test leaves nothing
// behind, stopped by its PID. The death signal follows the *thread* that started the child, so
// start children from the test's main thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace vigil::test {

class child_process {
 public:
  // argv[0] is the executable's path. stdout and stderr go to `output_file` (appended).
  child_process(std::vector<std::string> argv, const std::string& output_file);
  ~child_process();  // SIGKILL if still running
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  // Sends `sig` and waits up to `grace` for the exit; then SIGKILL. Returns the exit code,
  // or 128 + signal number when it died of a signal, nullopt if it had to be SIGKILLed.
  std::optional<int> stop(int sig, std::chrono::milliseconds grace);
  // Waits up to `timeout` for the child to exit on its own; returns the status as stop() does.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  void kill_now();  // SIGKILL, no grace: a crash as the broker sees it

 private:
  std::optional<int> reap(bool block);

  pid_t pid_ = -1;
  std::optional<int> status_;
};

// Runs a command to completion; returns its exit code and everything it printed.
struct run_result {
  int exit_code = -1;
  std::string output;
};
run_result run_to_completion(std::vector<std::string> argv, std::chrono::milliseconds timeout);

}  // namespace vigil::test
