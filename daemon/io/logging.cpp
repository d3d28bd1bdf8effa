#include "io/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <utility>

namespace vigil::io {

spdlog::level::level_enum to_spdlog(settings::log_level l) {
  using settings::log_level;
  switch (l) {
    case log_level::trace: return spdlog::level::trace;
    case log_level::debug: return spdlog::level::debug;
    case log_level::info: return spdlog::level::info;
    case log_level::warn: return spdlog::level::warn;
    case log_level::error: return spdlog::level::err;
  }
  return spdlog::level::info;
}

namespace {

// "%*": the sd-daemon(3) priority prefix journald turns into the entry's PRIORITY.
class syslog_priority_flag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string_view p = journal_prefix(msg.level);
    dest.append(p.data(), p.data() + p.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<syslog_priority_flag>();
  }
};

}  // namespace

std::string_view journal_prefix(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::critical: return "<2>";
    case spdlog::level::err: return "<3>";
    case spdlog::level::warn: return "<4>";
    case spdlog::level::info: return "<6>";
    default: return "<7>";
  }
}

void init_logging(spdlog::level::level_enum level) {
  auto logger = spdlog::stderr_color_mt("vigild");
  // systemd sets JOURNAL_STREAM when stderr goes to the journal, which stamps each line itself
  // and reads its priority from the "<N>" prefix.
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<syslog_priority_flag>('*');
  formatter->set_pattern(std::getenv("JOURNAL_STREAM") ? "%*[%l] %v"
                                                       : "%Y-%m-%d %H:%M:%S.%e [%l] %v");
  logger->set_formatter(std::move(formatter));
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
