#include "ctl/parse.hpp"

#include <charconv>
#include <cstdio>
#include <string>

#include <algorithm>
#include <vector>

#include "codec/topics.hpp"

namespace vigil::ctl {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto at = s.find(sep);
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return parts;
    s.remove_prefix(at + 1);
  }
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<std::string_view> bed_of_alarm_id(std::string_view id) {
  // Bed ids cannot contain ':' and condition codes are [A-Z_], so a valid id has three parts.
  const auto parts = split(id, ':');
  if (parts.size() != 3 || !codec::valid_bed_id(parts[0]) || parts[1].empty() ||
      !all_digits(parts[2])) {
    return std::nullopt;
  }
  return parts[0];
}

std::optional<core::time_ms> parse_time(std::string_view t, core::time_ms now) {
  if (t == "now") return now;
  const auto number = [](std::string_view s) -> std::optional<std::int64_t> {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
  };
  if (t.size() >= 2 && std::string_view("dhms").find(t.back()) != std::string_view::npos) {
    const auto n = number(t.substr(0, t.size() - 1));
    if (!n || *n < 0 || *n > 100'000) return std::nullopt;
    const std::int64_t unit = t.back() == 'd'   ? 86'400'000
                              : t.back() == 'h' ? 3'600'000
                              : t.back() == 'm' ? 60'000
                                                : 1'000;
    return now - *n * unit;
  }
  if (t.find('-') == std::string_view::npos) return number(t);
  // YYYY-MM-DD[THH:MM[:SS]][Z]
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  std::string text(t);
  if (!text.empty() && text.back() == 'Z') text.pop_back();
  char tail = 0;
  const int got =
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &tail);
  const bool date_only = got == 3 && text.size() == 10;
  if (!(date_only || got == 5 || got == 6) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
      mi > 59 || s > 60 || y < 1970) {
    return std::nullopt;
  }
  // Days from civil (Howard Hinnant's algorithm), so no time zone is ever consulted.
  y -= mo <= 2;
  const int era = y / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  return ((days * 24 + h) * 60 + mi) * 60'000 + static_cast<std::int64_t>(s) * 1000;
}

std::optional<out_format> parse_format(std::string_view text) {
  if (text == "table") return out_format::table;
  if (text == "csv") return out_format::csv;
  if (text == "json") return out_format::json;
  return std::nullopt;
}

bool topic_matches(std::string_view filter, std::string_view topic) {
  const auto want = split(filter, '/');
  const auto have = split(topic, '/');
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i] == "#") return true;
    if (i >= have.size() || (want[i] != "+" && want[i] != have[i])) return false;
  }
  return want.size() == have.size();
}

}  // namespace vigil::ctl
