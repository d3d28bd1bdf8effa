#include "vigild_process.hpp"

#include <csignal>
#include <thread>

namespace vigil::test {

namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

}  // namespace

vigild_process::vigild_process(vigild_options opts) : opts_(std::move(opts)) {
  config_path_ =
      dir_.write("vigild.toml", replace_all(opts_.config_toml, "@DIR@", dir_.path().string()));
  std::vector<std::string> argv;
  if (!opts_.environment.empty()) {  // env(1) execs vigild in its place: the PID is vigild's
    argv.emplace_back("/usr/bin/env");
    argv.insert(argv.end(), opts_.environment.begin(), opts_.environment.end());
  }
  for (const auto& a : {opts_.executable, std::string("--config"), config_path_,
                        std::string("--broker"), opts_.broker_uri, std::string("--prefix"),
                        opts_.prefix, std::string("--instance"), opts_.instance}) {
    argv.push_back(a);
  }
  argv.insert(argv.end(), opts_.extra_args.begin(), opts_.extra_args.end());
  process_ =
      std::make_unique<child_process>(std::move(argv), (dir_.path() / "vigild.log").string());
}

vigild_process::~vigild_process() = default;

std::optional<int> vigild_process::stop(std::chrono::milliseconds grace) {
  return process_->stop(SIGTERM, grace);
}

void vigild_process::kill() { process_->kill_now(); }

pid_t vigild_process::pid() const { return process_->pid(); }

bool vigild_process::running() { return process_->running(); }

std::optional<int> vigild_process::wait_exit(std::chrono::milliseconds timeout) {
  return process_->wait_exit(timeout);
}

std::string vigild_process::log() const { return dir_.read("vigild.log"); }

bool vigild_process::wait_log(const std::string& text, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (log().find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling the log file
  }
  return true;
}

}  // namespace vigil::test
