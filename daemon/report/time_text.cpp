#include "report/time_text.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace vigil::report {

namespace {

// Seconds since the epoch rounded towards minus infinity, and the milliseconds left over.
std::pair<std::time_t, int> split(core::time_ms at_ms) {
  core::time_ms s = at_ms / 1000;
  core::time_ms ms = at_ms % 1000;
  if (ms < 0) {
    ms += 1000;
    s -= 1;
  }
  return {static_cast<std::time_t>(s), static_cast<int>(ms)};
}

std::tm utc(std::time_t s) {
  std::tm tm{};
  gmtime_r(&s, &tm);
  return tm;
}

std::string format(const char* fmt, const std::tm& tm) {
  std::array<char, 64> buf{};
  const std::size_t n = std::strftime(buf.data(), buf.size(), fmt, &tm);
  return {buf.data(), n};
}

}  // namespace

std::string utc_iso(core::time_ms at_ms) {
  return format("%Y-%m-%dT%H:%M:%SZ", utc(split(at_ms).first));
}

std::string utc_iso_ms(core::time_ms at_ms) {
  const auto [s, ms] = split(at_ms);
  std::array<char, 8> frac{};
  std::snprintf(frac.data(), frac.size(), ".%03dZ", ms);
  return format("%Y-%m-%dT%H:%M:%S", utc(s)) + frac.data();
}

std::string utc_clock(core::time_ms at_ms) { return format("%H:%M:%S", utc(split(at_ms).first)); }

std::string elapsed(core::time_ms ms) {
  const bool negative = ms < 0;
  const core::time_ms s = (negative ? -ms : ms) / 1000;
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%s%lld:%02lld", negative ? "-" : "",
                static_cast<long long>(s / 60), static_cast<long long>(s % 60));
  return buf.data();
}

std::string minutes_text(double minutes) {
  std::array<char, 32> buf{};
  const double tenths = std::round(minutes * 10.0);
  if (std::fmod(tenths, 10.0) == 0.0) std::snprintf(buf.data(), buf.size(), "%.0f", tenths / 10.0);
  else std::snprintf(buf.data(), buf.size(), "%.1f", tenths / 10.0);
  return buf.data();
}

}  // namespace vigil::report
