#include "hl7/mdc.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

namespace vigil::hl7::mdc {

namespace {

using q = quantity;
using bp = bp_family;

// Codes: partition * 65536 + term code ([NOM]); checked against [TF2], [ICE] and [IPF] samples.
constexpr std::array<term, 20> terms = {{
    {147842, "MDC_ECG_HEART_RATE MDC_ECG_CARD_BEAT_RATE", q::heart_rate, hr_source::ecg, bp::none},
    {149530, "MDC_PULS_OXIM_PULS_RATE", q::heart_rate, hr_source::spo2, bp::none},
    {149522, "MDC_BLD_PULS_RATE_INV", q::heart_rate, hr_source::arterial, bp::none},
    {149546, "MDC_PULS_RATE_NON_INV", q::heart_rate, hr_source::nibp, bp::none},
    {149514, "MDC_PULS_RATE", q::heart_rate, hr_source::generic, bp::none},
    {150017, "MDC_PRESS_BLD_SYS", q::systolic, hr_source::ecg, bp::unspecified},
    {150018, "MDC_PRESS_BLD_DIA", q::diastolic, hr_source::ecg, bp::unspecified},
    {150019, "MDC_PRESS_BLD_MEAN", q::mean, hr_source::ecg, bp::unspecified},
    {150021, "MDC_PRESS_BLD_NONINV_SYS", q::systolic, hr_source::ecg, bp::nibp},
    {150022, "MDC_PRESS_BLD_NONINV_DIA", q::diastolic, hr_source::ecg, bp::nibp},
    {150023, "MDC_PRESS_BLD_NONINV_MEAN", q::mean, hr_source::ecg, bp::nibp},
    {150033, "MDC_PRESS_BLD_ART_SYS", q::systolic, hr_source::ecg, bp::arterial},
    {150034, "MDC_PRESS_BLD_ART_DIA", q::diastolic, hr_source::ecg, bp::arterial},
    {150035, "MDC_PRESS_BLD_ART_MEAN", q::mean, hr_source::ecg, bp::arterial},
    {150037, "MDC_PRESS_BLD_ART_ABP_SYS", q::systolic, hr_source::ecg, bp::arterial},
    {150038, "MDC_PRESS_BLD_ART_ABP_DIA", q::diastolic, hr_source::ecg, bp::arterial},
    {150039, "MDC_PRESS_BLD_ART_ABP_MEAN", q::mean, hr_source::ecg, bp::arterial},
    {150301, "MDC_PRESS_CUFF_SYS", q::systolic, hr_source::ecg, bp::cuff},
    {150302, "MDC_PRESS_CUFF_DIA", q::diastolic, hr_source::ecg, bp::cuff},
    {150303, "MDC_PRESS_CUFF_MEAN", q::mean, hr_source::ecg, bp::cuff},
}};  // anything else (SpO2 150456, pulmonary 150045-47, ...) is not read

// Units by identifier ([NOM] dimensions; UCUM spellings seen in [TF2] and [IPF]).
struct unit_name {
  std::string_view id;
  unit u;
};
constexpr std::array<unit_name, 10> units = {{
    {"264864", unit::per_minute},
    {"/min", unit::per_minute},
    {"{beat}/min", unit::per_minute},
    {"{beats}/min", unit::per_minute},
    {"bpm", unit::per_minute},
    {"266016", unit::mmhg},
    {"mm[Hg]", unit::mmhg},
    {"mmHg", unit::mmhg},
    {"265987", unit::kpa},
    {"kPa", unit::kpa},
}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::optional<std::uint32_t> hex(std::string_view s) {
  std::uint32_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  if (ec != std::errc{} || end != s.data() + s.size() || s.size() != 4) return std::nullopt;
  return v;
}

}  // namespace

const term* find(std::uint32_t code) {
  const auto it =
      std::find_if(terms.begin(), terms.end(), [&](const term& t) { return t.code == code; });
  return it == terms.end() ? nullptr : &*it;
}

const term* find(quantity q, bp_family family) {
  const auto it = std::find_if(terms.begin(), terms.end(), [&](const term& t) {
    return t.what == q && t.bp == family && t.hr == hr_source::ecg;
  });
  return it == terms.end() ? nullptr : &*it;
}

std::string_view refid(const term& t) { return t.refids.substr(0, t.refids.find(' ')); }

bool refid_agrees(const term& t, std::string_view refid) {
  refid = trim(refid);
  if (refid.empty() || refid.substr(0, 4) != "MDC_") return true;
  std::string_view names = t.refids;
  while (!names.empty()) {
    const auto space = names.find(' ');
    if (names.substr(0, space) == refid) return true;
    if (space == std::string_view::npos) break;
    names.remove_prefix(space + 1);
  }
  return false;
}

std::optional<std::uint32_t> parse_code(std::string_view text) {
  text = trim(text);
  const auto dash = text.find('-');
  if (dash != std::string_view::npos) {
    const auto partition = hex(text.substr(0, dash));
    const auto code = hex(text.substr(dash + 1));
    if (!partition || !code || *partition > 0xFF) return std::nullopt;
    return *partition * 65536 + *code;
  }
  std::uint32_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

unit classify_unit(std::string_view identifier, std::string_view alternate) {
  for (const auto id : {trim(identifier), trim(alternate)}) {
    const auto code = id.find('-') != std::string_view::npos ? parse_code(id) : std::nullopt;
    const std::string decimal = code ? std::to_string(*code) : std::string(id);  // MDIL hex
    for (const auto& u : units) {
      if (u.id == decimal) return u.u;
    }
  }
  return unit::other;
}

std::optional<double> parse_nm(std::string_view text) {
  text = trim(text);
  std::string_view body = text;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) body.remove_prefix(1);
  const auto dot = body.find('.');
  const std::string_view whole = body.substr(0, dot);
  const std::string_view frac =
      dot == std::string_view::npos ? std::string_view{} : body.substr(dot + 1);
  const auto all_digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.size() + frac.size() == 0 || whole.size() > 15 || frac.size() > 15 ||
      !all_digits(whole) || !all_digits(frac)) {
    return std::nullopt;
  }
  if (text.front() == '+') text.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace vigil::hl7::mdc
