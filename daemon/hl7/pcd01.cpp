#include "hl7/pcd01.hpp"

#include <algorithm>

#include "hl7/ack.hpp"
#include "hl7/er7.hpp"
#include "hl7/pcd01_rows.hpp"
#include "hl7/text.hpp"

namespace vigil::hl7 {

namespace {

constexpr std::size_t max_err_segments = 20;  // the ACK names this many problems, then counts

// PV1-3: the first three components (point of care, room, bed), unescaped, without trailing
// empty ones: "HO Surgery^OR^1", "B1".
std::string location_of(const message& msg, const segment& pv1) {
  std::string parts[3];
  for (std::size_t i = 0; i < 3; ++i) parts[i] = msg.text(pv1, 3, i + 1);
  std::size_t n = 3;
  while (n > 0 && parts[n - 1].empty()) --n;
  std::string key;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) key.push_back('^');
    key.append(parts[i]);
  }
  return key;
}

struct outcome {
  ack_kind kind = ack_kind::accept;
  void at_least(ack_kind k) { kind = std::max(kind, k); }
};

// Reads the segments after MSH: the patient's location, the OBR groups and their rows.
void read_body(const message& msg, const mapping& m, detail::row_context& ctx, pcd01_report& out,
               outcome& result) {
  const auto& segs = msg.segments();
  std::vector<detail::obr_group> groups;
  bool have_pv1 = false;
  bool patient_mapped = false;
  for (std::size_t i = 1; i < segs.size(); ++i) {
    const segment& s = segs[i];
    const int index = static_cast<int>(i) + 1;
    const std::string_view id = s.id();
    if (id == "PID") {
      patient_mapped = false;  // a new patient: its PV1 says where
    } else if (id == "PV1") {
      const std::string location = location_of(msg, s);
      if (!have_pv1) {
        have_pv1 = true;
        out.location = location;
        if (location.empty()) {
          out.rejections.push_back({"PV1", index, 3, err::required_field_missing,
                                    "PV1-3 (patient location) is empty: the bed is not known; "
                                    "nothing read"});
        } else if (const auto it = m.beds.find(location); it != m.beds.end()) {
          out.bed = it->second;
          patient_mapped = true;
        } else {
          out.rejections.push_back(
              {"PV1", index, 3, err::table_value,
               cat("PV1-3 location '", std::string_view(location).substr(0, 80),
                   "' is not mapped to a bed; nothing read")});
        }
      } else {
        const auto it = m.beds.find(location);
        patient_mapped = !out.bed.empty() && it != m.beds.end() && it->second == out.bed;
        if (!patient_mapped && !out.bed.empty()) {
          out.rejections.push_back(
              {"PV1", index, 3, err::segment_sequence,
               cat("a second patient location '", std::string_view(location).substr(0, 80),
                   "' in one message: only the first bed's observations are read")});
        }
      }
    } else if (id == "OBR") {
      groups.push_back(detail::obr_group{index, &s, {}});
      if (!patient_mapped) groups.back().obr = nullptr;  // read nothing for this patient
    } else if (id == "OBX") {
      if (groups.empty()) {
        out.rejections.push_back(
            {"OBX", index, 0, err::segment_sequence, "OBX before any OBR; row ignored"});
      } else {
        groups.back().obx.emplace_back(index, &s);
      }
    } else if (id == "MSH" || id == "FHS" || id == "BHS" || id == "BTS" || id == "FTS") {
      out.rejections.push_back({std::string(id), index, 0, err::segment_sequence,
                                "a second message header in one frame: batches are not read"});
      result.at_least(ack_kind::reject);
      return;
    }  // NTE, PRT, Z-segments and the rest are not read
  }
  if (!have_pv1) {
    out.rejections.push_back({"PV1", 0, 3, err::required_field_missing,
                              "no PV1 segment: PV1-3 (patient location) names the bed; "
                              "nothing read"});
  }
  if (groups.empty()) {
    out.rejections.push_back(
        {"OBR", 0, 0, err::segment_sequence, "no OBR segment: no observations to read"});
  }
  if (out.bed.empty()) return;
  std::vector<detail::metric> metrics;
  for (const auto& g : groups) {
    if (g.obr == nullptr) continue;
    if (g.obx.empty()) {
      out.rejections.push_back(
          {"OBR", g.obr_index, 0, err::segment_sequence, "OBR without OBX rows"});
      continue;
    }
    detail::read_group(ctx, g, metrics, out.rejections);
  }
  detail::assemble(*ctx.profile, metrics, out);
}

}  // namespace

const sender_profile& mapping::sender_for(std::string_view msh3) const {
  const sender_profile* fallback_profile = &fallback;
  for (const auto& s : senders) {
    if (!s.application.empty() && s.application == msh3) return s;
    if (s.application.empty()) fallback_profile = &s;
  }
  return *fallback_profile;
}

pcd01_report read_pcd01(std::string_view message_text, const mapping& m, core::time_ms now_ms) {
  return read_pcd01(message_text, m, now_ms, pcd01_options{});
}

pcd01_report read_pcd01(std::string_view message_text, const mapping& m, core::time_ms now_ms,
                        const pcd01_options& options) {
  pcd01_report out;
  outcome result;
  message msg;
  const auto parse_error = parse_er7(message_text, msg);
  const segment* msh = msg.segments().empty() ? nullptr : &msg.segments().front();
  if (msh != nullptr && msh->id() != "MSH") {
    out.rejections.push_back(
        {std::string(msh->id()), 1, 0, err::unsupported_message_type,
         cat("a batch (", msh->id(), ") is not accepted: send one message per MLLP frame")});
    result.at_least(ack_kind::reject);
    msh = nullptr;
  } else if (parse_error) {
    out.rejections.push_back({parse_error->segment, parse_error->segment_index, parse_error->field,
                              err::segment_sequence, parse_error->text});
    result.at_least(ack_kind::reject);
  }
  const ack_request req = msh != nullptr ? ack_request_from(msg) : ack_request{};
  if (msh != nullptr) {
    out.message_type = msg.text(*msh, 9, 1);
    const std::string trigger = msg.text(*msh, 9, 2);
    if (!trigger.empty()) out.message_type += cat('^', trigger);
    out.sending_application = msg.text(*msh, 3, 1);
    out.control_id = msg.text(*msh, 10);
    out.version = msg.text(*msh, 12);
    const sender_profile& profile = m.sender_for(out.sending_application);
    out.sender = profile.name;
    out.test_data = profile.test_data || msg.text(*msh, 11) != "P";
    if (result.kind == ack_kind::accept) {
      if (msg.text(*msh, 9, 1) != "ORU" || trigger != "R01") {
        const bool oru = msg.text(*msh, 9, 1) == "ORU";
        out.rejections.push_back(
            {"MSH", 1, 9, oru ? err::unsupported_event : err::unsupported_message_type,
             cat("MSH-9 '", out.message_type, "' is not read here: only ORU^R01 (IHE PCD-01)")});
        result.at_least(ack_kind::reject);
      } else if (out.control_id.empty()) {
        out.rejections.push_back(
            {"MSH", 1, 10, err::required_field_missing, "MSH-10 (message control id) is empty"});
        result.at_least(ack_kind::reject);
      } else {
        detail::row_context ctx{&msg, &profile, out.sending_application, now_ms, out.test_data};
        read_body(msg, m, ctx, out, result);
      }
    }
  }
  if (result.kind == ack_kind::accept && !out.rejections.empty()) result.at_least(ack_kind::error);
  if (out.bed.empty() || result.kind == ack_kind::reject) {
    out.heart_rates.clear();
    out.pressures.clear();
    out.devices.clear();
  }

  std::vector<ack_error> errors;
  for (const auto& r : out.rejections) {
    if (errors.size() == max_err_segments) break;
    errors.push_back(
        ack_error{r.segment, r.segment_index, r.field, r.error_code, severity::error, r.text});
  }
  if (out.rejections.size() > max_err_segments) {
    errors.back().text +=
        cat(" (and ", out.rejections.size() - max_err_segments, " more problems not listed)");
  }
  ack_params params;
  params.application = options.application;
  params.timestamp = format_dtm_utc(now_ms);
  params.control_id = !options.ack_control_id.empty() ? options.ack_control_id
                      : out.control_id.empty()        ? std::string("ACK")
                                                      : cat('A', out.control_id);
  out.ack = build_ack(req, result.kind, errors, params);
  out.ack_code = ack_code(req, result.kind);
  return out;
}

}  // namespace vigil::hl7
