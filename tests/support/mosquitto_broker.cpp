#include "mosquitto_broker.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <stdexcept>
#include <thread>

namespace vigil::test {

namespace {

constexpr const char* mosquitto_path = "/usr/sbin/mosquitto";
constexpr auto ready_timeout = std::chrono::seconds(5);

sockaddr_in loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

}  // namespace

int free_tcp_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr = loopback(0);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot bind 127.0.0.1:0");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool tcp_port_open(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr = loopback(port);
  const bool open = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return open;
}

mosquitto_broker::mosquitto_broker() : mosquitto_broker(options{}) {}

mosquitto_broker::mosquitto_broker(options opts) : opts_(opts) { start(); }

mosquitto_broker::~mosquitto_broker() = default;  // child_process SIGKILLs a running broker

std::string mosquitto_broker::uri() const {
  return opts_.scheme + "://127.0.0.1:" + std::to_string(port_);
}

void mosquitto_broker::start() {
  if (running()) return;
  const bool fresh_port = port_ == 0;
  // Another process can take a just-freed port before the broker binds it: try a few.
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (fresh_port) port_ = free_tcp_port();
    if (try_start()) return;
  }
  throw std::runtime_error("mosquitto did not start; its log:\n" + log());
}

bool mosquitto_broker::try_start() {
  std::string conf = opts_.config ? opts_.config(port_)
                                  : "listener " + std::to_string(port_) + " 127.0.0.1\n" +
                                        "allow_anonymous true\n";
  conf += std::string{"log_dest stderr\n"} + "log_type all\n" + "set_tcp_nodelay true\n";
  // As root, mosquitto drops to user `mosquitto` unless told otherwise and then cannot write
  // into our directory.
  if (geteuid() == 0) conf += "user root\n";
  if (opts_.persistence) {
    conf += "persistence true\npersistence_location " + dir_.path().string() + "/\n";
  }
  const std::string conf_path = dir_.write("mosquitto.conf", conf);
  process_ =
      std::make_unique<child_process>(std::vector<std::string>{mosquitto_path, "-c", conf_path},
                                      (dir_.path() / "mosquitto.log").string());

  const auto deadline = std::chrono::steady_clock::now() + ready_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_->running()) return false;  // e.g. the port was taken: try again
    if (tcp_port_open(port_)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling for readiness
  }
  process_->kill_now();
  return false;
}

void mosquitto_broker::stop() {
  if (process_) process_->stop(SIGTERM, std::chrono::seconds(5));
}

void mosquitto_broker::kill() {
  if (process_) process_->kill_now();
}

bool mosquitto_broker::running() { return process_ && process_->running(); }

std::string mosquitto_broker::log() const { return dir_.read("mosquitto.log"); }

}  // namespace vigil::test
