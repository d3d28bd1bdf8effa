#include "child_process.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace vigil::test {

namespace {

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

child_process::child_process(std::vector<std::string> argv, const std::string& output_file) {
  // Everything the child needs is prepared before fork(): between fork and exec only
  // async-signal-safe calls are allowed, and the test process has Paho's threads.
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  const pid_t parent = getpid();
  const int out = ::open(output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (out < 0) throw std::runtime_error("cannot open " + output_file);

  pid_ = fork();
  if (pid_ < 0) {
    ::close(out);
    throw std::runtime_error("fork failed");
  }
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  ::close(out);
}

child_process::~child_process() {
  if (running()) kill_now();
}

std::optional<int> child_process::reap(bool block) {
  if (status_ || pid_ <= 0) return status_;
  int status = 0;
  const pid_t r = waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (r == pid_) status_ = decode_status(status);
  return status_;
}

bool child_process::running() { return pid_ > 0 && !reap(false); }

std::optional<int> child_process::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!reap(false)) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling waitpid
  }
  return status_;
}

std::optional<int> child_process::stop(int sig, std::chrono::milliseconds grace) {
  if (!running()) return status_;
  ::kill(pid_, sig);
  if (auto code = wait_exit(grace)) return code;
  kill_now();
  return std::nullopt;
}

void child_process::kill_now() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  reap(true);
}

run_result run_to_completion(std::vector<std::string> argv, std::chrono::milliseconds timeout) {
  char path[] = "/tmp/vigil-run-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  ::close(fd);
  run_result result;
  {
    child_process child(std::move(argv), path);
    result.exit_code = child.wait_exit(timeout).value_or(-1);
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  result.output = text.str();
  std::filesystem::remove(path);
  return result;
}

}  // namespace vigil::test
