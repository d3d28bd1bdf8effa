// A real vigild as a child process with a generated configuration file, stopped by its PID.
//
//   vigil::test::vigild_process vigild({.executable = VIGILD_PATH, .broker_uri = broker.uri(),
//                                       .config_toml = "[alarms]\n..."});
//   ... wait for its ONLINE status, publish, assert ...
//   EXPECT_EQ(vigild.stop(), 0);
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "temp_dir.hpp"

namespace vigil::test {

struct vigild_options {
  std::string executable;  // path to vigild
  std::string broker_uri;  // passed as --broker
  std::string prefix = "clinic";
  std::string instance = "test";
  // The configuration file's text. "@DIR@" is replaced by a private temporary directory
  // (for state_dir and the like). --broker, --prefix and --instance override it.
  std::string config_toml;
  std::vector<std::string> extra_args;
  // NAME=value pairs added to vigild's environment (e.g. a test hook).
  std::vector<std::string> environment = {};
};

class vigild_process {
 public:
  explicit vigild_process(vigild_options opts);  // starts it; does not wait for readiness
  ~vigild_process();                             // SIGKILL if still running
  vigild_process(const vigild_process&) = delete;
  vigild_process& operator=(const vigild_process&) = delete;

  // SIGTERM; the exit code (nullopt if it had to be SIGKILLed after `grace`).
  std::optional<int> stop(std::chrono::milliseconds grace = std::chrono::seconds(3));
  void kill();        // SIGKILL: a crash
  pid_t pid() const;  // e.g. to read its CPU time in /proc
  bool running();
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);

  std::string log() const;  // what vigild wrote to stdout and stderr
  // Waits until the log contains `text` (polling the file), e.g. to know vigild has tried and
  // failed to connect. False after `timeout`.
  bool wait_log(const std::string& text, std::chrono::milliseconds timeout) const;
  std::string config_path() const { return config_path_; }
  const vigild_options& options() const { return opts_; }

 private:
  vigild_options opts_;
  temp_dir dir_;
  std::string config_path_;
  std::unique_ptr<child_process> process_;
};

}  // namespace vigil::test
