#include "ctl/parse.hpp"

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
