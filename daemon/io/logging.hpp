// Logging: spdlog to stderr (journald adds its own timestamps under systemd), and a limiter so
// that a sender flooding bad input cannot flood the log.
#pragma once

#include <spdlog/common.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "settings/settings.hpp"

namespace vigil::io {

// The configuration's [daemon] log_level as spdlog's level.
spdlog::level::level_enum to_spdlog(settings::log_level l);

// Replaces spdlog's default logger with one writing to stderr at `level`: plain lines with a
// timestamp on a terminal, "<N>"-prefixed lines without one under systemd ($JOURNAL_STREAM).
void init_logging(spdlog::level::level_enum level);

// The syslog priority prefix journald reads: "<3>" error, "<4>" warn, "<6>" info, "<7>" debug.
std::string_view journal_prefix(spdlog::level::level_enum level);

// Per key (e.g. a drop reason): the first `burst` messages of each window are logged, the rest
// counted; take_summaries() reports what was suppressed in windows that have ended.
// Time is an argument so tests need no clock. Not thread-safe: the loop thread owns it.
class log_limiter {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  explicit log_limiter(std::uint32_t burst = 5,
                       std::chrono::steady_clock::duration window = std::chrono::minutes(1));

  // True when this message should be logged.
  bool admit(std::string_view key, time_point now);

  struct summary {
    std::string key;
    std::uint64_t suppressed = 0;
  };
  // Keys whose window has ended with messages suppressed, each reported once per window.
  std::vector<summary> take_summaries(time_point now);

 private:
  struct window_state {
    time_point start;
    std::uint32_t logged = 0;
    std::uint64_t suppressed = 0;  // in this window
    std::uint64_t unreported = 0;  // suppressed in ended windows, not yet summarised
  };
  void roll(window_state& w, time_point now) const;

  std::uint32_t burst_;
  std::chrono::steady_clock::duration window_;
  std::map<std::string, window_state, std::less<>> keys_;
};

}  // namespace vigil::io
