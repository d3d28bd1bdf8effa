#include "hl7/pcd01_rows.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "hl7/ack.hpp"
#include "hl7/dtm.hpp"
#include "hl7/text.hpp"

namespace vigil::hl7::detail {

namespace {

using core::validity;

// OBX-8 flags that make a value INVALID or QUESTIONABLE ([TF2] Tables B.8.5-6, B.8.5-7).
constexpr std::string_view invalid_flags[] = {"INV", "NAV", "BUSY", "NAN", "PINF", "NINF", "NI",
                                              "NA",  "OFF", "MSK",  "OTH", "TEST", "DEMO"};
constexpr std::string_view questionable_flags[] = {"QUES", "EARLY", "CAL"};
constexpr double max_bpm = 350;
constexpr double max_mmhg = 400;

template <std::size_t N>
bool contains(const std::string_view (&list)[N], std::string_view s) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

// OBX-4 "1.1.1.0" -> {"1","1","1"}: trailing zeros mark a device level, not a deeper one.
std::vector<std::string> path_of(std::string_view sub_id) {
  std::vector<std::string> path;
  std::size_t start = 0;
  while (start <= sub_id.size() && !sub_id.empty()) {
    const auto dot = sub_id.find('.', start);
    path.emplace_back(sub_id.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  while (!path.empty() && path.back() == "0") path.pop_back();
  return path;
}

std::string key_of(const std::vector<std::string>& path, std::size_t levels) {
  std::string key;
  for (std::size_t i = 0; i < levels; ++i) {
    if (i > 0) key.push_back('.');
    key.append(path[i]);
  }
  return key;
}

// OBX-18 (first repetition: the lowest level) -> "EUI-64:<HEX>" or "EI-1^EI-2^EI-3^EI-4"
// without trailing empty components; "" when empty.
std::string device_id(const message& msg, std::string_view obx18) {
  const std::string_view first = msg.repetitions(obx18).front();
  if (message::is_null(first)) return {};
  std::string ei[4];
  for (std::size_t i = 0; i < 4; ++i) {
    ei[i] = msg.unescape(msg.component(first, i + 1)).value_or(std::string{});
  }
  if (ei[3] == "EUI-64" && !(ei[2].empty() && ei[0].empty())) {
    std::string hex = ei[2].empty() ? ei[0] : ei[2];
    std::transform(hex.begin(), hex.end(), hex.begin(), [](char c) {
      return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    });
    return cat("EUI-64:", hex);
  }
  std::size_t n = 4;
  while (n > 0 && ei[n - 1].empty()) --n;
  std::string id;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) id.push_back('^');
    id.append(ei[i]);
  }
  return id;
}

// OBX-14's first component ("" when empty or the explicit null).
std::string_view first_time(const message& msg, const segment& obx) {
  const std::string_view t = msg.component(msg.repetitions(obx.field(14)).front(), 1);
  return message::is_null(t) ? std::string_view{} : t;
}

struct node {
  std::string_view obx14;  // first repetition, first component
  std::string_view obx18;
  int segment_index = 0;
};

validity status_validity(std::string_view status, bool has_value, bool x_with_value_is_valid) {
  if (status == "R" || status == "F" || status == "C" || status == "U") return validity::valid;
  if (status == "P" || status == "S" || status.empty()) return validity::questionable;
  if (status == "X" && has_value && x_with_value_is_valid) return validity::valid;
  return validity::invalid;  // D, W, X, and anything outside [TF2] Table B.8.5-11
}

bool allowed(const sender_profile& p, const mdc::term& t) {
  if (t.what == mdc::quantity::heart_rate) {
    return t.hr == hr_source::ecg ||
           std::find(p.hr_fallbacks.begin(), p.hr_fallbacks.end(), t.hr) != p.hr_fallbacks.end();
  }
  if (t.bp == mdc::bp_family::cuff) return p.cuff_codes_are_nibp;
  if (t.bp == mdc::bp_family::unspecified) return p.unspecified_bp_is_nibp;
  return t.bp != mdc::bp_family::none;
}

rejection reject(int index, int field, int code, std::string text) {
  return rejection{"OBX", index, field, code, std::move(text)};
}

}  // namespace

validity worse(validity a, validity b) {
  const auto rank = [](validity v) {
    return v == validity::invalid ? 2 : v == validity::questionable ? 1 : 0;
  };
  return rank(a) >= rank(b) ? (a == validity::unspecified ? validity::valid : a) : b;
}

void read_group(const row_context& ctx, const obr_group& group, std::vector<metric>& metrics,
                std::vector<rejection>& rejections) {
  const message& msg = *ctx.msg;
  const sender_profile& profile = *ctx.profile;
  std::map<std::string, node, std::less<>> nodes;
  std::set<int> skipped;
  for (const auto& [index, seg] : group.obx) {
    const std::string sub = msg.text(*seg, 4);
    if (sub.empty()) continue;
    const std::string key = key_of(path_of(sub), path_of(sub).size());
    const std::string_view t14 = first_time(msg, *seg);
    if (!nodes.emplace(key, node{t14, seg->field(18), index}).second) {
      rejections.push_back(
          reject(index, 4, err::duplicate_key,
                 cat("OBX-4 ", quoted(sub), " repeats an earlier row's place in this OBR (segment ",
                     nodes[key].segment_index, "); row ignored")));
      skipped.insert(index);
    }
  }
  for (const auto& [index, seg] : group.obx) {
    if (skipped.count(index) != 0) continue;
    const std::string_view obx3 = msg.repetitions(seg->field(3)).front();
    const std::string system = msg.unescape(msg.component(obx3, 3)).value_or("?");
    if (!system.empty() && system != "MDC" && system != "MDIL") continue;  // not an MDC code
    const auto code = mdc::parse_code(msg.component(obx3, 1));
    const mdc::term* term = code ? mdc::find(*code) : nullptr;
    if (term == nullptr || !allowed(profile, *term)) continue;  // not read: ignored
    const std::string refid = msg.unescape(msg.component(obx3, 2)).value_or(std::string{});
    if (!mdc::refid_agrees(*term, refid)) {
      rejections.push_back(reject(index, 3, err::table_value,
                                  cat("OBX-3 code ", term->code, " is not ", quoted(refid),
                                      " (number and name disagree); row ignored")));
      continue;
    }
    const bool is_hr = term->what == mdc::quantity::heart_rate;
    const std::string sub = msg.text(*seg, 4);
    const auto path = path_of(sub);

    // OBX-5: one number, or nothing (then the reading is INVALID).
    const std::string_view raw5 = seg->field(5);
    std::optional<double> value;
    if (!raw5.empty() && !message::is_null(raw5)) {
      if (msg.repetitions(raw5).size() > 1) {
        rejections.push_back(
            reject(index, 5, err::data_type, "OBX-5 repeats: a numeric observation has one value"));
        continue;
      }
      const auto text = msg.unescape(raw5);
      value = text ? mdc::parse_nm(*text) : std::nullopt;
      if (!value) {
        rejections.push_back(reject(
            index, 5, err::data_type,
            cat("OBX-5 ", quoted(text ? std::string_view(*text) : raw5), " is not a number")));
        continue;
      }
      const std::string type = msg.text(*seg, 2);
      if (type != "NM") {
        rejections.push_back(reject(index, 2, err::data_type,
                                    cat("OBX-2 is ", quoted(type), "; a numeric value needs NM")));
        continue;
      }
      const auto unit =
          mdc::classify_unit(msg.component(seg->field(6), 1), msg.component(seg->field(6), 4));
      const bool unit_ok =
          is_hr ? unit == mdc::unit::per_minute : unit == mdc::unit::mmhg || unit == mdc::unit::kpa;
      if (!unit_ok) {
        rejections.push_back(reject(index, 6, err::table_value,
                                    cat("OBX-6 unit ", quoted(msg.text(*seg, 6)), " is not ",
                                        is_hr ? "per minute (264864, /min, {beat}/min)"
                                              : "a pressure (266016, mm[Hg], kPa)")));
        continue;
      }
      if (unit == mdc::unit::kpa) *value *= mdc::mmhg_per_kpa;
    }

    // Time and device: the row's own OBX-14 / OBX-18, else the nearest parent's, else OBR-7
    // and MSH-3 + the MDS number.
    std::string_view time = first_time(msg, *seg);
    std::string time_where = "OBX";
    int time_index = index;
    int time_field = 14;
    std::string device = device_id(msg, seg->field(18));
    for (std::size_t levels = path.size(); levels-- > 1;) {
      const auto it = nodes.find(key_of(path, levels));
      if (it == nodes.end()) continue;
      if (time.empty() && !it->second.obx14.empty()) {
        time = it->second.obx14;
        time_index = it->second.segment_index;
      }
      if (device.empty()) device = device_id(msg, it->second.obx18);
    }
    if (time.empty()) {
      time = msg.component(msg.repetitions(group.obr->field(7)).front(), 1);
      if (message::is_null(time)) time = {};
      time_where = "OBR";
      time_index = group.obr_index;
      time_field = 7;
    }
    if (device.empty()) device = cat(ctx.msh3, '/', path.empty() ? std::string("1") : path[0]);
    if (time.empty()) {
      rejections.push_back(reject(index, 14, err::required_field_missing,
                                  "no time: OBX-14 (own or a parent's) and OBR-7 are empty"));
      continue;
    }
    const auto at = parse_dtm(msg.unescape(time).value_or(std::string{}), profile.time_zone);
    if (!at.value) {
      rejections.push_back(rejection{time_where, time_index, time_field, err::data_type, at.error});
      continue;
    }

    // Validity: OBX-11, OBX-8, range, zone, skew, test data ([TF2] B.8.5; ihe-pcd.md section 5).
    validity v =
        status_validity(msg.text(*seg, 11), value.has_value(), profile.x_with_value_is_valid);
    for (const auto rep : msg.repetitions(seg->field(8))) {
      const std::string flag = msg.unescape(msg.component(rep, 1)).value_or(std::string{});
      if (contains(invalid_flags, flag)) v = validity::invalid;
      if (contains(questionable_flags, flag)) v = worse(v, validity::questionable);
    }
    if (!value) v = validity::invalid;
    if (value && (*value < 0 || *value > (is_hr ? max_bpm : max_mmhg))) v = validity::invalid;
    if (!at.value->had_offset) v = worse(v, validity::questionable);
    if (at.value->unix_ms > ctx.now_ms + profile.max_future_skew_ms) v = validity::invalid;
    if (ctx.test_data) v = validity::invalid;

    metric m;
    m.term = term;
    m.segment_index = index;
    m.obr_index = group.obr_index;
    const auto dot = sub.rfind('.');
    m.group = dot == std::string::npos ? std::string{} : sub.substr(0, dot);
    m.device = std::move(device);
    m.at_ms = at.value->unix_ms;
    m.value = value;
    m.validity = v;
    metrics.push_back(std::move(m));
  }
}

void assemble(const sender_profile& profile, const std::vector<metric>& metrics,
              pcd01_report& out) {
  for (const auto& m : metrics) {
    if (std::find(out.devices.begin(), out.devices.end(), m.device) == out.devices.end()) {
      out.devices.push_back(m.device);
    }
  }
  // Heart rate: one source per device, or its readings would interleave.
  const auto rank = [&](hr_source s) {
    if (s == hr_source::ecg) return std::size_t{0};
    const auto it = std::find(profile.hr_fallbacks.begin(), profile.hr_fallbacks.end(), s);
    return static_cast<std::size_t>(it - profile.hr_fallbacks.begin()) + 1;
  };
  std::map<std::string, std::size_t, std::less<>> best;
  for (const auto& m : metrics) {
    if (m.term->what != mdc::quantity::heart_rate) continue;
    const auto [it, fresh] = best.emplace(m.device, rank(m.term->hr));
    if (!fresh) it->second = std::min(it->second, rank(m.term->hr));
  }
  for (const auto& m : metrics) {
    if (m.term->what != mdc::quantity::heart_rate || rank(m.term->hr) != best[m.device]) continue;
    out.heart_rates.push_back(
        core::heart_rate{m.device, m.at_ms, 0, m.value.value_or(0), m.validity});
  }

  // Blood pressure: the SYS, DIA and MEAN rows of one OBR and OBX-4 parent.
  struct bp_rows {
    std::string key;
    bool arterial = false;
    const metric* row[3] = {nullptr, nullptr, nullptr};  // systolic, diastolic, mean
  };
  std::vector<bp_rows> groups;
  for (const auto& m : metrics) {
    if (m.term->what == mdc::quantity::heart_rate) continue;
    const bool arterial = m.term->bp == mdc::bp_family::arterial;
    std::string key = cat(m.obr_index, '|', m.group, arterial ? "|A" : "|N");
    auto it =
        std::find_if(groups.begin(), groups.end(), [&](const bp_rows& g) { return g.key == key; });
    if (it == groups.end()) {
      groups.push_back(bp_rows{std::move(key), arterial});
      it = groups.end() - 1;
    }
    const auto slot = static_cast<std::size_t>(m.term->what) - 1;
    if (it->row[slot] != nullptr) {
      out.rejections.push_back(reject(
          m.segment_index, 3, err::duplicate_key,
          cat("a second ", m.term->refids.substr(0, m.term->refids.find(' ')),
              " in one blood pressure group (OBX-4 parent ", quoted(m.group), "); row ignored")));
      continue;
    }
    it->row[slot] = &m;
  }
  for (const auto& g : groups) {
    const metric* sys = g.row[0];
    const metric* dia = g.row[1];
    const metric* mean = g.row[2];
    if (sys == nullptr || dia == nullptr) {
      const metric* present = sys != nullptr ? sys : dia != nullptr ? dia : mean;
      out.rejections.push_back(
          reject(present->segment_index, 3, err::required_field_missing,
                 cat(sys == nullptr ? "no systolic" : "no diastolic",
                     " row beside this one (OBX-4 parent ", quoted(present->group),
                     "): a blood pressure needs both; rows ignored")));
      continue;
    }
    core::blood_pressure bp;
    bp.device_id = sys->device;
    bp.measured_at_ms = sys->at_ms;
    bp.systolic_mmhg = sys->value.value_or(0);
    bp.diastolic_mmhg = dia->value.value_or(0);
    if (mean != nullptr && mean->value) bp.mean_mmhg = *mean->value;
    bp.source = g.arterial ? core::bp_source::arterial : core::bp_source::nibp;
    bp.validity = worse(sys->validity, dia->validity);
    if (mean != nullptr) bp.validity = worse(bp.validity, mean->validity);
    out.pressures.push_back(std::move(bp));
  }
}

}  // namespace vigil::hl7::detail
