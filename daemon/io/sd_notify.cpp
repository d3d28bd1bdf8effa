#include "io/sd_notify.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace vigil::io {

namespace {

std::optional<long long> env_number(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  long long n = 0;
  const auto end = v + std::strlen(v);
  const auto [p, ec] = std::from_chars(v, end, n);
  if (ec != std::errc{} || p != end) return std::nullopt;
  return n;
}

}  // namespace

sd_notifier sd_notifier::from_environment() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  std::optional<std::chrono::microseconds> watchdog;
  const auto usec = env_number("WATCHDOG_USEC");
  const auto pid = env_number("WATCHDOG_PID");
  if (usec && *usec > 0 && (!pid || *pid == static_cast<long long>(getpid()))) {
    watchdog = std::chrono::microseconds(*usec);
  }
  return sd_notifier(socket ? socket : "", watchdog);
}

sd_notifier::sd_notifier(std::string socket_path, std::optional<std::chrono::microseconds> watchdog)
    : socket_path_(std::move(socket_path)), watchdog_(watchdog) {
  // Only absolute paths and abstract names are valid, as in sd_notify(3).
  if (socket_path_.empty() || (socket_path_[0] != '/' && socket_path_[0] != '@') ||
      socket_path_.size() >= sizeof(sockaddr_un::sun_path)) {
    socket_path_.clear();
    return;
  }
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) socket_path_.clear();
}

sd_notifier::~sd_notifier() {
  if (fd_ >= 0) ::close(fd_);
}

sd_notifier::sd_notifier(sd_notifier&& other) noexcept
    : socket_path_(std::move(other.socket_path_)),
      watchdog_(other.watchdog_),
      fd_(std::exchange(other.fd_, -1)) {
  other.socket_path_.clear();
}

sd_notifier& sd_notifier::operator=(sd_notifier&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    socket_path_ = std::exchange(other.socket_path_, {});
    watchdog_ = other.watchdog_;
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

bool sd_notifier::notify(std::string_view state) {
  if (!enabled()) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, socket_path_.data(), socket_path_.size());
  // An abstract name is '@' in the variable and a leading NUL on the wire; its length counts.
  if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';
  const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_path_.size());
  const auto sent = ::sendto(fd_, state.data(), state.size(), MSG_NOSIGNAL,
                             reinterpret_cast<const sockaddr*>(&addr), len);
  return sent == static_cast<ssize_t>(state.size());
}

}  // namespace vigil::io
