#include "core/text.hpp"

#include <charconv>
#include <cmath>

namespace vigil::core::text {

std::string number(double v) {
  char buf[64];
  const double rounded = std::round(v * 10.0) / 10.0;
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, rounded, std::chars_format::fixed, 1);
  std::string s(buf, ec == std::errc{} ? end : buf);
  if (s.size() > 2 && s.ends_with(".0")) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

std::string clock(std::int64_t ms) {
  if (ms < 0) ms = 0;
  const std::int64_t total_s = ms / 1000;
  const std::int64_t m = total_s / 60;
  const std::int64_t s = total_s % 60;
  return std::to_string(m) + (s < 10 ? ":0" : ":") + std::to_string(s);
}

std::string seconds(std::int64_t ms) { return number(static_cast<double>(ms) / 1'000.0); }
std::string minutes(std::int64_t ms) { return number(static_cast<double>(ms) / 60'000.0); }

std::string unit_for_people(std::string_view ucum) {
  return ucum == "mm[Hg]" ? std::string("mmHg") : std::string(ucum);
}

std::string_view op(direction d) {
  switch (d) {
    case direction::above: return ">";
    case direction::at_or_above: return "\u2265";
    case direction::below: return "<";
  }
  return "?";
}

std::string when(phase p, time_ms now, time_ms started_at, time_ms stopped_at) {
  if (p == phase::infusion) return " at " + clock(now - started_at) + " into infusion";
  if (p == phase::recovery) return " at " + clock(now - stopped_at) + " into recovery";
  return {};
}

}  // namespace vigil::core::text
