#include "hl7/tz.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <utility>

#include "hl7/civil.hpp"

namespace vigil::hl7 {

namespace {

// The POSIX TZ string of a TZif footer, e.g. "CET-1CEST,M3.5.0,M10.5.0/3".
struct posix_rule {
  struct when {
    char kind = 'M';  // 'J': Julian day 1..365 without Feb 29; 'D': day 0..365; 'M': m.w.d
    int month = 0, week = 0, day = 0;
    std::int32_t time = 7200;  // local seconds after midnight
  };
  std::int32_t std_offset = 0;  // seconds east of UTC
  bool has_dst = false;
  std::int32_t dst_offset = 0;
  when start{}, end{};

  static std::int64_t local_day(const when& w, std::int64_t year) {
    if (w.kind == 'J') {
      const int extra = civil::is_leap(year) && w.day >= 60 ? 1 : 0;
      return civil::days_from_civil(year, 1, 1) + w.day - 1 + extra;
    }
    if (w.kind == 'D') return civil::days_from_civil(year, 1, 1) + w.day;
    const std::int64_t first = civil::days_from_civil(year, w.month, 1);
    std::int64_t d = 1 + (w.day - civil::weekday(first) + 7) % 7 + (w.week - 1) * 7;
    while (d > civil::days_in_month(year, w.month)) d -= 7;
    return first + d - 1;
  }

  std::int32_t offset_at(std::int64_t t) const {
    if (!has_dst) return std_offset;
    const std::int64_t year = civil::year_of(civil::floor_div(t + std_offset, 86400));
    const std::int64_t s = local_day(start, year) * 86400 + start.time - std_offset;
    const std::int64_t e = local_day(end, year) * 86400 + end.time - dst_offset;
    const bool in_dst = s < e ? (t >= s && t < e) : !(t >= e && t < s);
    return in_dst ? dst_offset : std_offset;
  }
};

struct cursor {
  std::string_view s;
  std::size_t p = 0;
  bool at(char c) const { return p < s.size() && s[p] == c; }
  bool digit() const { return p < s.size() && s[p] >= '0' && s[p] <= '9'; }
  std::optional<int> number(int max_digits) {
    if (!digit()) return std::nullopt;
    int v = 0;
    for (int i = 0; i < max_digits && digit(); ++i) v = v * 10 + (s[p++] - '0');
    return v;
  }
};

bool read_name(cursor& c) {
  if (c.at('<')) {
    const auto close = c.s.find('>', c.p);
    if (close == std::string_view::npos) return false;
    c.p = close + 1;
    return true;
  }
  const std::size_t from = c.p;
  while (c.p < c.s.size() &&
         ((c.s[c.p] >= 'A' && c.s[c.p] <= 'Z') || (c.s[c.p] >= 'a' && c.s[c.p] <= 'z')))
    ++c.p;
  return c.p - from >= 3;
}

// [+-]h[h[h]][:mm[:ss]] in seconds.
std::optional<std::int32_t> read_hms(cursor& c) {
  int sign = 1;
  if (c.at('+') || c.at('-')) sign = c.s[c.p++] == '-' ? -1 : 1;
  const auto h = c.number(3);
  if (!h || *h > 167) return std::nullopt;
  std::int32_t secs = *h * 3600;
  for (const int unit : {60, 1}) {
    if (!c.at(':')) break;
    ++c.p;
    const auto v = c.number(2);
    if (!v || *v > 59) return std::nullopt;
    secs += *v * unit;
  }
  return sign * secs;
}

bool read_when(cursor& c, posix_rule::when& w) {
  if (c.at('M')) {
    ++c.p;
    const auto m = c.number(2);
    if (!m || *m < 1 || *m > 12 || !c.at('.')) return false;
    ++c.p;
    const auto wk = c.number(1);
    if (!wk || *wk < 1 || *wk > 5 || !c.at('.')) return false;
    ++c.p;
    const auto d = c.number(1);
    if (!d || *d > 6) return false;
    w = {'M', *m, *wk, *d, 7200};
  } else {
    const bool julian = c.at('J');
    if (julian) ++c.p;
    const auto n = c.number(3);
    if (!n || (julian ? (*n < 1 || *n > 365) : *n > 365)) return false;
    w = {julian ? 'J' : 'D', 0, 0, *n, 7200};
  }
  if (c.at('/')) {
    ++c.p;
    const auto t = read_hms(c);
    if (!t) return false;
    w.time = *t;
  }
  return true;
}

std::optional<posix_rule> parse_posix(std::string_view s) {
  cursor c{s};
  posix_rule r;
  if (!read_name(c)) return std::nullopt;
  const auto std_off = read_hms(c);
  if (!std_off) return std::nullopt;
  r.std_offset = -*std_off;  // POSIX counts west of UTC as positive
  if (c.p == s.size()) return r;
  if (!read_name(c)) return std::nullopt;
  r.has_dst = true;
  r.dst_offset = r.std_offset + 3600;
  if (!c.at(',') && c.p < s.size()) {
    const auto dst_off = read_hms(c);
    if (!dst_off) return std::nullopt;
    r.dst_offset = -*dst_off;
  }
  if (c.p == s.size()) {  // no rule given: POSIX leaves it to the implementation; glibc's US one
    r.start = {'M', 3, 2, 0, 7200};
    r.end = {'M', 11, 1, 0, 7200};
    return r;
  }
  if (!c.at(',')) return std::nullopt;
  ++c.p;
  if (!read_when(c, r.start) || !c.at(',')) return std::nullopt;
  ++c.p;
  if (!read_when(c, r.end) || c.p != s.size()) return std::nullopt;
  return r;
}

struct bytes {
  std::string_view s;
  std::size_t p = 0;
  bool ok = true;
  std::uint64_t take(std::size_t n) {
    if (!ok || s.size() - p < n) {
      ok = false;
      return 0;
    }
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(s[p + i]);
    p += n;
    return v;
  }
  void skip(std::uint64_t n) {
    if (!ok || s.size() - p < n) {
      ok = false;
      return;
    }
    p += static_cast<std::size_t>(n);
  }
};

struct tzif_counts {
  std::uint64_t isut = 0, isstd = 0, leap = 0, time = 0, type = 0, chars = 0;
};

bool read_header(bytes& b, char& version, tzif_counts& n) {
  if (b.s.size() - b.p < 44 || b.s.substr(b.p, 4) != "TZif") return false;
  version = b.s[b.p + 4];
  b.skip(20);
  n.isut = b.take(4);
  n.isstd = b.take(4);
  n.leap = b.take(4);
  n.time = b.take(4);
  n.type = b.take(4);
  n.chars = b.take(4);
  return b.ok && n.type >= 1 && n.type <= 256 && n.time <= 100000 &&
         (n.isut == 0 || n.isut == n.type) && (n.isstd == 0 || n.isstd == n.type);
}

}  // namespace

struct time_zone::rule : posix_rule {
  explicit rule(const posix_rule& r) : posix_rule(r) {}
};

std::optional<time_zone> time_zone::from_tzif(std::string_view data) {
  bytes b{data};
  char version = 0;
  tzif_counts n;
  if (!read_header(b, version, n)) return std::nullopt;
  std::size_t time_size = 4;
  if (version >= '2') {
    b.skip(n.time * 5 + n.type * 6 + n.chars + n.leap * 8 + n.isstd + n.isut);
    if (!read_header(b, version, n)) return std::nullopt;
    time_size = 8;
  }
  time_zone z;
  z.transitions_.reserve(static_cast<std::size_t>(n.time));
  for (std::uint64_t i = 0; i < n.time; ++i) {
    const std::uint64_t raw = b.take(time_size);
    const std::int64_t t = time_size == 4
                               ? static_cast<std::int32_t>(static_cast<std::uint32_t>(raw))
                               : static_cast<std::int64_t>(raw);
    if (!z.transitions_.empty() && t <= z.transitions_.back()) return std::nullopt;
    z.transitions_.push_back(t);
  }
  std::vector<std::uint8_t> index;
  for (std::uint64_t i = 0; i < n.time; ++i) index.push_back(static_cast<std::uint8_t>(b.take(1)));
  std::vector<std::int32_t> type_offsets;
  for (std::uint64_t i = 0; i < n.type; ++i) {
    const auto off = static_cast<std::int32_t>(static_cast<std::uint32_t>(b.take(4)));
    b.skip(2);  // isdst, designation index
    if (off < -25 * 3600 || off > 26 * 3600) return std::nullopt;
    type_offsets.push_back(off);
  }
  b.skip(n.chars + n.leap * (time_size + 4) + n.isstd + n.isut);
  if (!b.ok) return std::nullopt;
  for (const auto i : index) {
    if (i >= type_offsets.size()) return std::nullopt;
    z.offsets_.push_back(type_offsets[i]);
  }
  z.initial_offset_ = type_offsets[0];
  if (time_size == 8 && b.p < data.size()) {
    const std::string_view rest = data.substr(b.p);
    if (rest.size() < 2 || rest[0] != '\n') return std::nullopt;
    const auto close = rest.find('\n', 1);
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view tz = rest.substr(1, close - 1);
    if (!tz.empty()) {
      const auto r = parse_posix(tz);
      if (!r) return std::nullopt;
      z.footer_ = std::make_shared<const rule>(*r);
    }
  }
  return z;
}

time_zone time_zone::utc() { return time_zone{}; }

std::int32_t time_zone::offset_at(std::int64_t unix_s) const {
  if (transitions_.empty() || unix_s < transitions_.front()) {
    return transitions_.empty() && footer_ ? footer_->offset_at(unix_s) : initial_offset_;
  }
  if (unix_s >= transitions_.back() && footer_) return footer_->offset_at(unix_s);
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), unix_s);
  return offsets_[static_cast<std::size_t>(it - transitions_.begin()) - 1];
}

std::int64_t time_zone::to_unix(std::int64_t local_s) const {
  // Zone changes are months apart: the offsets a day either side are the candidates.
  const std::int32_t before = offset_at(local_s - 86400);
  const std::int32_t after = offset_at(local_s + 86400);
  const std::int64_t u_before = local_s - before;
  if (offset_at(u_before) == before) return u_before;  // also the earlier of a repeated hour
  const std::int64_t u_after = local_s - after;
  if (offset_at(u_after) == after) return u_after;
  return u_before;  // a skipped local time: read with the offset before the change
}

std::shared_ptr<const time_zone> find_zone(std::string_view name) {
  return find_zone(name, "/usr/share/zoneinfo");
}

std::shared_ptr<const time_zone> find_zone(std::string_view name, const std::string& root) {
  static const auto utc = std::make_shared<const time_zone>(time_zone::utc());
  if (name == "UTC" || name == "Etc/UTC") return utc;
  const bool safe = !name.empty() && name.size() <= 128 && name.front() != '/' &&
                    name.find("..") == std::string_view::npos &&
                    std::all_of(name.begin(), name.end(), [](char c) {
                      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                             (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '-' || c == '/';
                    });
  if (!safe) return nullptr;
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const time_zone>, std::less<>> cache;
  std::string key = root;
  key.push_back('\0');
  key.append(name);
  const std::lock_guard lock(mutex);
  if (const auto it = cache.find(key); it != cache.end()) return it->second;
  std::shared_ptr<const time_zone> zone;
  std::string path = root;
  path.push_back('/');
  path.append(name);
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::string data(1 << 20, '\0');
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    data.resize(static_cast<std::size_t>(in.gcount()));
    if (auto z = time_zone::from_tzif(data))
      zone = std::make_shared<const time_zone>(std::move(*z));
  }
  cache.emplace(std::move(key), zone);
  return zone;
}

}  // namespace vigil::hl7
