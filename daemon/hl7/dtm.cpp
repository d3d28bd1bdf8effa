#include "hl7/dtm.hpp"

#include "hl7/civil.hpp"
#include "hl7/text.hpp"
#include "hl7/tz.hpp"

namespace vigil::hl7 {

namespace {

dtm_result fail(std::string why) {
  dtm_result r;
  r.error = std::move(why);
  return r;
}

bool digits(std::string_view s) {
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

int number(std::string_view s) {
  int v = 0;
  for (const char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

dtm_result parse_dtm(std::string_view text, std::string_view zone) {
  const std::string what = cat("DTM ", quoted(text));
  // Split off the offset: the first + or - (a DTM has no other sign).
  const auto sign_at = text.find_first_of("+-");
  const std::string_view stamp = text.substr(0, sign_at);
  const std::string_view offset =
      sign_at == std::string_view::npos ? std::string_view{} : text.substr(sign_at);

  const auto dot = stamp.find('.');
  const std::string_view whole = stamp.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view{} : stamp.substr(dot + 1);
  if (!digits(whole) ||
      (whole.size() != 8 && whole.size() != 10 && whole.size() != 12 && whole.size() != 14)) {
    return fail(what + " is not YYYYMMDD[HH[MM[SS[.S...]]]][+/-ZZZZ]");
  }
  if (dot != std::string_view::npos &&
      (whole.size() != 14 || !digits(fraction) || fraction.size() > 4)) {
    return fail(what + ": the fraction needs seconds and 1 to 4 digits");
  }
  const int year = number(whole.substr(0, 4));
  const int month = number(whole.substr(4, 2));
  const int day = number(whole.substr(6, 2));
  const int hour = whole.size() >= 10 ? number(whole.substr(8, 2)) : 0;
  const int minute = whole.size() >= 12 ? number(whole.substr(10, 2)) : 0;
  const int second = whole.size() >= 14 ? number(whole.substr(12, 2)) : 0;
  if (year < 1900 || month < 1 || month > 12 || day < 1 ||
      day > civil::days_in_month(year, month) || hour > 23 || minute > 59 || second > 59) {
    return fail(what + " is not a real date and time");
  }
  int millis = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    millis = millis * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  }
  const std::int64_t local_s =
      civil::days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;

  dtm_value v;
  if (!offset.empty()) {
    if (offset.size() != 5 || !digits(offset.substr(1))) {
      return fail(what + ": the offset is not +ZZZZ or -ZZZZ");
    }
    const int oh = number(offset.substr(1, 2));
    const int om = number(offset.substr(3, 2));
    if (oh > 14 || om > 59) return fail(what + ": the offset is out of range");
    const int sign = offset[0] == '-' ? -1 : 1;  // -0000: UTC, local offset unknown
    v.unix_ms = (local_s - sign * (oh * 3600 + om * 60)) * 1000 + millis;
    v.had_offset = true;
    return dtm_result{v, {}};
  }
  const auto tz = find_zone(zone);
  if (!tz) {
    return fail(
        cat(what, " has no offset and the time zone '", zone.substr(0, 64), "' is unknown"));
  }
  v.unix_ms = tz->to_unix(local_s) * 1000 + millis;
  v.had_offset = false;
  return dtm_result{v, {}};
}

}  // namespace vigil::hl7
