#include "am_listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <stdexcept>

namespace vigil::test {
namespace {

// MSH-10 of a message: the text after its ninth '|'.
std::string control_id(const std::string& m) {
  std::size_t at = 0;
  for (int bars = 0; bars < 9; ++bars) {
    at = m.find('|', at);
    if (at == std::string::npos) return "";
    ++at;
  }
  return m.substr(at, m.find('|', at) - at);
}

}  // namespace

am_listener::am_listener() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(listen_fd_, 8) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    throw std::runtime_error("am_listener: cannot listen");
  }
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { run(); });
}

am_listener::~am_listener() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
}

void am_listener::run() {
  std::map<int, std::string> conns;  // fd -> bytes not yet framed
  while (!stop_) {
    std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
    for (const auto& [fd, _] : conns) fds.push_back({fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
    if (fds[0].revents & POLLIN) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) conns[fd];
    }
    for (std::size_t i = 1; i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const int fd = fds[i].fd;
      char buf[8192];
      const auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) {
        ::close(fd);
        conns.erase(fd);
        continue;
      }
      auto& in = conns[fd];
      in.append(buf, static_cast<std::size_t>(n));
      for (;;) {
        const auto start = in.find('\x0b');
        const auto end = in.find("\x1c\x0d", start == std::string::npos ? 0 : start);
        if (start == std::string::npos || end == std::string::npos) break;
        std::string m = in.substr(start + 1, end - start - 1);
        in.erase(0, end + 2);
        const std::string ack = "\x0bMSH|^~\\&|AM||VIGIL||20261202120000+0000||ACK^R40^ACK|A" +
                                control_id(m) + "|P|2.6\rMSA|CA|" + control_id(m) + "\r\x1c\x0d";
        ::send(fd, ack.data(), ack.size(), MSG_NOSIGNAL);
        {
          std::lock_guard lock(mutex_);
          messages_.push_back(std::move(m));
        }
        arrived_.notify_all();
      }
    }
  }
  for (const auto& [fd, _] : conns) ::close(fd);
}

std::vector<std::string> am_listener::messages() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

bool am_listener::wait_until(const std::function<bool(const std::vector<std::string>&)>& done,
                             std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] { return done(messages_); });
}

}  // namespace vigil::test
