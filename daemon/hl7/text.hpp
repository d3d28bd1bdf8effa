// Internal to the hl7 room: building a message text by appending, never "literal" + temporary
// (GCC 12 reports a false -Wrestrict on that at -O2).
#pragma once

#include <concepts>
#include <string>
#include <string_view>

namespace vigil::hl7 {

inline void append_part(std::string& out, std::string_view s) { out.append(s); }
inline void append_part(std::string& out, char c) { out.push_back(c); }
template <std::integral I>
requires(!std::same_as<I, char>) void append_part(std::string& out, I n) {
  out.append(std::to_string(n));
}

// cat("OBX-5 ", quoted(x), " is not a number", 5) -> one string.
template <typename... Parts>
std::string cat(const Parts&... parts) {
  std::string out;
  (append_part(out, parts), ...);
  return out;
}

// 's' (its first 40 characters) in single quotes, for error texts.
inline std::string quoted(std::string_view s) { return cat('\'', s.substr(0, 40), '\''); }

}  // namespace vigil::hl7
