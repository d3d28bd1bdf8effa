#include "io/tcp_nodelay.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <charconv>
#include <filesystem>
#include <string>
#include <system_error>

namespace vigil::io {

namespace {

bool is_tcp_stream(int fd) {
  int type = 0;
  socklen_t len = sizeof type;
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM) {
    return false;
  }
  sockaddr_storage addr{};
  socklen_t addr_len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &addr_len) != 0) return false;
  return addr.ss_family == AF_INET || addr.ss_family == AF_INET6;
}

}  // namespace

std::size_t disable_nagle_on_tcp_sockets() {
  std::size_t set = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    const auto name = entry.path().filename().string();
    int fd = -1;
    const auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), fd);
    if (err != std::errc{} || end != name.data() + name.size() || !is_tcp_stream(fd)) continue;
    const int on = 1;
    if (::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) == 0) ++set;
  }
  return set;
}

}  // namespace vigil::io
