#include "mllp_sender.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace vigil::test {
namespace {

int wait_readable(int fd, std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return 0;
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(left.count()));
}

}  // namespace

mllp_sender::mllp_sender(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    if (fd_ >= 0) ::close(fd_);
    throw std::runtime_error("mllp_sender: cannot connect to 127.0.0.1:" + std::to_string(port));
  }
}

mllp_sender::~mllp_sender() {
  if (fd_ >= 0) ::close(fd_);
}

void mllp_sender::send_raw(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("mllp_sender: send failed");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::optional<std::string> mllp_sender::send(std::string_view message,
                                             std::chrono::milliseconds timeout) {
  std::string framed = "\x0b";
  framed += message;
  framed += "\x1c\x0d";
  send_raw(framed);
  return receive(timeout);
}

std::optional<std::string> mllp_sender::receive(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto start = pending_.find('\x0b');
    const auto end = pending_.find("\x1c\x0d", start == std::string::npos ? 0 : start);
    if (start != std::string::npos && end != std::string::npos) {
      std::string frame = pending_.substr(start + 1, end - start - 1);
      pending_.erase(0, end + 2);
      return frame;
    }
    if (wait_readable(fd_, deadline) <= 0) return std::nullopt;
    char buf[4096];
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return std::nullopt;
    pending_.append(buf, static_cast<std::size_t>(n));
  }
}

bool mllp_sender::closed_by_peer(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (wait_readable(fd_, deadline) <= 0) return false;
    char buf[4096];
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return true;
    pending_.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace vigil::test
