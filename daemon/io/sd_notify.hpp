// systemd's readiness and watchdog protocol (sd_notify(3)), written by hand: one datagram of
// "KEY=VALUE" lines to the unix socket named by $NOTIFY_SOCKET. libsystemd would be one more
// dependency for a dozen lines (stack-notes.md). Outside systemd every call does nothing.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::io {

class sd_notifier {
 public:
  // Reads $NOTIFY_SOCKET ('/path' or '@abstract') and $WATCHDOG_USEC (honoured only when
  // $WATCHDOG_PID is unset or names this process, as sd_watchdog_enabled() does).
  static sd_notifier from_environment();
  sd_notifier() = default;
  sd_notifier(std::string socket_path, std::optional<std::chrono::microseconds> watchdog);
  ~sd_notifier();
  sd_notifier(sd_notifier&& other) noexcept;
  sd_notifier& operator=(sd_notifier&& other) noexcept;
  sd_notifier(const sd_notifier&) = delete;
  sd_notifier& operator=(const sd_notifier&) = delete;

  bool enabled() const { return !socket_path_.empty(); }
  // How often the service manager wants WATCHDOG=1; nullopt when it does not.
  std::optional<std::chrono::microseconds> watchdog_interval() const { return watchdog_; }

  // Sends one datagram, e.g. "READY=1\nSTATUS=connected". Best effort: false if it could not
  // be sent (the daemon must not stop watching patients because systemd is not listening).
  bool notify(std::string_view state);

 private:
  std::string socket_path_;
  std::optional<std::chrono::microseconds> watchdog_;
  int fd_ = -1;
};

}  // namespace vigil::io
