#include "hl7/er7.hpp"

#include <array>

#include "hl7/text.hpp"

namespace vigil::hl7 {

namespace {

bool is_upper_or_digit(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_alnum(char c) { return is_upper_or_digit(c) || (c >= 'a' && c <= 'z'); }
bool is_header_id(std::string_view id) { return id == "MSH" || id == "FHS" || id == "BHS"; }

// A segment may begin at k: three capitals/digits (the first a capital), then the field
// separator or the end of the segment.
bool segment_starts_at(std::string_view t, std::size_t k, char field_sep) {
  if (k + 3 > t.size()) return false;
  if (t[k] < 'A' || t[k] > 'Z' || !is_upper_or_digit(t[k + 1]) || !is_upper_or_digit(t[k + 2]))
    return false;
  if (k + 3 == t.size()) return true;
  const char c = t[k + 3];
  return c == field_sep || c == '\r' || c == '\n';
}

// After a \n at k-1: the rest is only line ends, or a segment starts. Otherwise the \n is
// data inside a field (NTE text may hold one).
bool boundary_after(std::string_view t, std::size_t k, char field_sep) {
  while (k < t.size() && (t[k] == '\r' || t[k] == '\n')) ++k;
  return k == t.size() || segment_starts_at(t, k, field_sep);
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t") == std::string_view::npos; }

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const auto k = s.find(sep, start);
    if (k == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, k - start));
    start = k + 1;
  }
}

std::string_view nth(std::string_view s, char sep, std::size_t n) {
  if (n == 0) return {};
  std::size_t start = 0;
  for (std::size_t i = 1; i < n; ++i) {
    const auto k = s.find(sep, start);
    if (k == std::string_view::npos) return {};
    start = k + 1;
  }
  const auto k = s.find(sep, start);
  return s.substr(start, k == std::string_view::npos ? std::string_view::npos : k - start);
}

er7_error error_at(std::string_view seg, int index, int field, std::string text) {
  return er7_error{std::string(seg), index, field, std::move(text)};
}

std::string printable(std::string_view s) {
  std::string out;
  for (const char c : s.substr(0, 16)) {
    if (c >= 0x20 && c < 0x7F) {
      out.push_back(c);
    } else {
      static constexpr std::array<char, 16> hex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                   '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
      const auto u = static_cast<unsigned char>(c);
      out.append("\\x");
      out.push_back(hex[u >> 4]);
      out.push_back(hex[u & 0xF]);
    }
  }
  return out;
}

// Reads the delimiters from a header segment (MSH, FHS, BHS): field separator at 3, then the
// encoding characters up to the next field separator.
std::optional<er7_error> read_delimiters(std::string_view seg, delimiters& d) {
  const std::string id(seg.substr(0, 3));
  if (seg.size() < 8) {
    return error_at(id, 1, 2, id + " is too short to hold its delimiters (MSH-1, MSH-2)");
  }
  d.field = seg[3];
  const auto end = seg.find(d.field, 4);
  const std::string_view enc =
      seg.substr(4, end == std::string_view::npos ? seg.size() - 4 : end - 4);
  if (enc.size() != 4 && enc.size() != 5) {
    return error_at(id, 1, 2, cat(id, "-2 must hold 4 or 5 encoding characters, not ", enc.size()));
  }
  std::string all(1, d.field);
  all.append(enc);
  for (std::size_t i = 0; i < all.size(); ++i) {
    const char c = all[i];
    if (is_alnum(c) || c == ' ' || c == '\r' || c == '\n' || c == '\0') {
      return error_at(id, 1, i == 0 ? 1 : 2,
                      cat(id, " delimiter '", printable(std::string_view(&all[i], 1)),
                          "' is not allowed (letters, digits, space, CR, LF)"));
    }
    if (all.find(c, i + 1) != std::string::npos) {
      return error_at(id, 1, 2, cat(id, " uses the delimiter '", c, "' twice"));
    }
  }
  d.component = enc[0];
  d.repetition = enc[1];
  d.escape = enc[2];
  d.subcomponent = enc[3];
  d.truncation = enc.size() == 5 ? enc[4] : '\0';
  return std::nullopt;
}

}  // namespace

std::string_view segment::field(std::size_t n) const {
  return n < fields.size() ? fields[n] : std::string_view{};
}

const segment* message::find(std::string_view id) const {
  for (const auto& s : segments_) {
    if (s.id() == id) return &s;
  }
  return nullptr;
}

std::vector<std::string_view> message::repetitions(std::string_view field) const {
  return split(field, delims_.repetition);
}

std::string_view message::component(std::string_view value, std::size_t c) const {
  return nth(value, delims_.component, c);
}

std::string_view message::subcomponent(std::string_view comp, std::size_t s) const {
  return nth(comp, delims_.subcomponent, s);
}

std::optional<std::string> message::unescape(std::string_view raw) const {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != delims_.escape) {
      out.push_back(raw[i]);
      continue;
    }
    const auto close = raw.find(delims_.escape, i + 1);
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view code = raw.substr(i + 1, close - i - 1);
    if (code == "F") {
      out.push_back(delims_.field);
    } else if (code == "S") {
      out.push_back(delims_.component);
    } else if (code == "T") {
      out.push_back(delims_.subcomponent);
    } else if (code == "R") {
      out.push_back(delims_.repetition);
    } else if (code == "E") {
      out.push_back(delims_.escape);
    } else if (code == "P" && delims_.truncation != '\0') {
      out.push_back(delims_.truncation);
    } else {
      out.append(raw.substr(i, close - i + 1));  // \Xhh\, \H\, \N\, ...: as written
    }
    i = close;
  }
  return out;
}

std::string message::text(const segment& s, std::size_t n, std::size_t c) const {
  const std::string_view first = nth(s.field(n), delims_.repetition, 1);
  const std::string_view comp = component(first, c);
  if (is_null(comp)) return {};
  auto text = unescape(comp);
  return text ? std::move(*text) : std::string{};
}

std::optional<std::string> message::reencode(std::string_view raw) const {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == delims_.escape) {
      const auto close = raw.find(delims_.escape, i + 1);
      if (close == std::string_view::npos) return std::nullopt;
      out.push_back('\\');
      out.append(raw.substr(i + 1, close - i - 1));
      out.push_back('\\');
      i = close;
    } else if (c == delims_.component) {
      out.push_back('^');
    } else if (c == delims_.repetition) {
      out.push_back('~');
    } else if (c == delims_.subcomponent) {
      out.push_back('&');
    } else {
      out.append(escape_text(std::string_view(&raw[i], 1)));
    }
  }
  return out;
}

std::string escape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '|': out.append("\\F\\"); break;
      case '^': out.append("\\S\\"); break;
      case '&': out.append("\\T\\"); break;
      case '~': out.append("\\R\\"); break;
      case '\\': out.append("\\E\\"); break;
      case '\r': out.append("\\X0D\\"); break;
      case '\n': out.append("\\X0A\\"); break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::optional<er7_error> parse_er7(std::string_view text, message& out) {
  out = message{};
  auto owned = std::make_shared<const std::string>(text);
  out.text_ = owned;
  std::string_view t = *owned;
  // Line ends before the first segment are tolerated (some senders start with one).
  t.remove_prefix(std::min(t.find_first_not_of("\r\n"), t.size()));
  if (t.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return error_at("", 0, 0, "empty message (no MSH segment)");
  }
  if (t.size() < 3 || !is_header_id(t.substr(0, 3))) {
    return error_at(
        "", 1, 0,
        cat("the message does not start with MSH (starts with '", printable(t.substr(0, 3)), "')"));
  }
  if (auto e = read_delimiters(t.substr(0, t.find_first_of("\r\n")), out.delims_)) return e;
  const char fs = out.delims_.field;

  std::size_t start = 0;
  int index = 0;
  while (start < t.size()) {
    std::size_t end = t.size();
    std::size_t next = t.size();
    for (std::size_t j = start;;) {
      j = t.find_first_of("\r\n", j);
      if (j == std::string_view::npos) break;
      if (t[j] == '\r') {
        end = j;
        next = j + 1 < t.size() && t[j + 1] == '\n' ? j + 2 : j + 1;
        break;
      }
      if (boundary_after(t, j + 1, fs)) {
        end = j;
        next = j + 1;
        break;
      }
      ++j;  // a \n inside a field is data
    }
    const std::string_view seg = t.substr(start, end - start);
    start = next;
    if (blank(seg)) continue;  // an empty line between or after segments
    ++index;
    if (!segment_starts_at(seg, 0, fs)) {
      return error_at("", index, 0,
                      cat("segment ", index, " starts with '", printable(seg.substr(0, 4)),
                          "', not a segment id (3 capitals or digits, then the field separator)"));
    }
    segment s;
    const std::string_view id = seg.substr(0, 3);
    if (is_header_id(id)) {
      delimiters d;
      if (auto e = read_delimiters(seg, d)) {
        e->segment_index = index;
        return e;
      }
      if (d.field != out.delims_.field || d.component != out.delims_.component ||
          d.repetition != out.delims_.repetition || d.escape != out.delims_.escape ||
          d.subcomponent != out.delims_.subcomponent) {
        return error_at(std::string(id), index, 2,
                        cat(id, " at segment ", index, " changes the delimiters"));
      }
      s.fields.push_back(id);
      s.fields.push_back(seg.substr(3, 1));
      const auto enc_end = seg.find(fs, 4);
      s.fields.push_back(
          seg.substr(4, enc_end == std::string_view::npos ? seg.size() - 4 : enc_end - 4));
      if (enc_end != std::string_view::npos) {
        for (auto f : split(seg.substr(enc_end + 1), fs)) s.fields.push_back(f);
      }
    } else {
      s.fields = split(seg, fs);
    }
    out.segments_.push_back(std::move(s));
  }
  return std::nullopt;
}

}  // namespace vigil::hl7
