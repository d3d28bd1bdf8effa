#include "io/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <utility>

namespace vigil::io {

void init_logging(spdlog::level::level_enum level) {
  auto logger = spdlog::stderr_color_mt("vigild");
  // systemd sets JOURNAL_STREAM when stderr goes to the journal, which stamps each line itself.
  logger->set_pattern(std::getenv("JOURNAL_STREAM") ? "[%l] %v" : "%Y-%m-%d %H:%M:%S.%e [%l] %v");
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
}

log_limiter::log_limiter(std::uint32_t burst, std::chrono::steady_clock::duration window)
    : burst_(burst), window_(window) {}

void log_limiter::roll(window_state& w, time_point now) const {
  if (now - w.start < window_) return;
  w.unreported += w.suppressed;
  w = window_state{now, 0, 0, w.unreported};
}

bool log_limiter::admit(std::string_view key, time_point now) {
  auto it = keys_.find(key);
  if (it == keys_.end()) it = keys_.emplace(std::string(key), window_state{now}).first;
  auto& w = it->second;
  roll(w, now);
  if (w.logged < burst_) {
    ++w.logged;
    return true;
  }
  ++w.suppressed;
  return false;
}

std::vector<log_limiter::summary> log_limiter::take_summaries(time_point now) {
  std::vector<summary> out;
  for (auto& [key, w] : keys_) {
    roll(w, now);
    if (w.unreported > 0) out.push_back({key, std::exchange(w.unreported, 0)});
  }
  return out;
}

}  // namespace vigil::io
