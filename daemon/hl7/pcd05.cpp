#include "hl7/pcd05.hpp"

#include "hl7/dtm.hpp"
#include "hl7/er7.hpp"

namespace vigil::hl7 {
namespace {

// Unescaped subcomponent s of component c of a raw field's first repetition ("" if absent).
std::string sub_text(const message& m, std::string_view raw, std::size_t c, std::size_t s) {
  const auto reps = m.repetitions(raw);
  if (reps.empty()) return "";
  return m.unescape(m.subcomponent(m.component(reps.front(), c), s)).value_or("");
}

// Words joined by one space, empty ones left out.
std::string words(std::initializer_list<std::string> parts) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out.push_back(' ');
    out.append(p);
  }
  return out;
}

std::int64_t time_of(std::string_view dtm) {
  if (dtm.empty()) return 0;
  const auto r = parse_dtm(dtm, "UTC");
  return r.value ? r.value->unix_ms : 0;
}

ack_reply read_ack(const message& m) {
  ack_reply a;
  const segment* msa = m.find("MSA");
  if (!msa) return a;
  a.code = m.text(*msa, 1);
  a.control_id = m.text(*msa, 2);
  std::string errors = m.text(*msa, 3);
  for (const auto& s : m.segments()) {
    if (s.id() != "ERR") continue;
    const std::string code = m.text(s, 3, 1);
    const std::string code_text = m.text(s, 3, 2);
    std::string e = words({code, code_text});
    const std::string user = m.text(s, 8);
    if (!user.empty()) e.append(e.empty() ? "" : ": ").append(user);
    if (e.empty()) continue;
    if (!errors.empty()) errors.append("; ");
    errors.append(e);
  }
  a.error_text = std::move(errors);
  return a;
}

pcd05_recipient read_prt(const message& m, const segment& s) {
  pcd05_recipient r;
  r.role = m.text(s, 4, 1);
  r.status = m.text(s, 3, 2);
  if (r.status.empty()) r.status = m.text(s, 3, 1);
  r.person = words({m.text(s, 5, 1), m.text(s, 5, 2), m.text(s, 5, 3)});
  r.telecom = m.text(s, 15, 12);  // unformatted telephone number
  if (r.telecom.empty()) {
    r.telecom = words({m.text(s, 15, 4), m.text(s, 15, 7), m.text(s, 15, 1)});
  }
  r.at_ms = time_of(m.text(s, 11));
  return r;
}

void read_status(const message& m, const ack_params& params, am_message& out) {
  const auto req = ack_request_from(m);
  const segment* obr = m.find("OBR");
  if (!obr) {
    out.error = "ORA^R41 without an OBR segment";
    out.reply =
        build_ack(req, ack_kind::reject,
                  {{.segment = "OBR", .code = err::segment_sequence, .text = out.error}}, params);
    return;
  }
  pcd05_status st;
  const segment* msh = m.find("MSH");
  st.control_id = m.text(*msh, 10);
  st.sender = m.text(*msh, 3);
  if (st.sender.empty()) st.sender = m.text(*msh, 4);  // Dräger's mock AM names a facility
  if (const segment* msa = m.find("MSA")) st.start_control_id = m.text(*msa, 2);
  st.indication_id = m.text(*obr, 3, 1);
  st.indication_namespace = m.text(*obr, 3, 2);
  st.alert_id = sub_text(m, obr->field(29), 2, 1);
  if (st.alert_id.empty()) st.alert_id = st.indication_id;
  for (const auto& s : m.segments()) {
    if (s.id() == "PRT") st.recipients.push_back(read_prt(m, s));
  }
  if (!st.recipients.empty()) {
    st.status = st.recipients.front().status;
    st.at_ms = st.recipients.front().at_ms;
  }
  if (st.status.empty()) {
    if (const segment* obx = m.find("OBX")) st.status = m.text(*obx, 5, 1);
  }
  if (st.at_ms == 0) st.at_ms = time_of(m.text(*msh, 7));
  out.reply = build_ack(req, ack_kind::accept, {}, params);
  out.status = std::move(st);
}

}  // namespace

am_message read_am_message(std::string_view frame, const ack_params& params) {
  am_message out;
  message m;
  if (auto e = parse_er7(frame, m)) {
    out.error = "not an HL7 message: " + e->text;
    return out;
  }
  const segment* msh = m.find("MSH");
  const std::string type = msh ? m.text(*msh, 9, 1) : "";
  const std::string trigger = msh ? m.text(*msh, 9, 2) : "";
  if (type == "ACK") {
    out.ack = read_ack(m);
    if (out.ack.code.empty() || out.ack.control_id.empty()) {
      out.error = "an ACK without MSA-1 and MSA-2";
      return out;
    }
    out.what = am_message::kind::ack;
    return out;
  }
  if (type == "ORA" && trigger == "R41") {
    out.what = am_message::kind::status;
    read_status(m, params, out);
    return out;
  }
  out.error = "unexpected message type '" + type + "^" + trigger + "'";
  return out;
}

std::string describe(const pcd05_status& s) {
  std::string out = "PCD-05 ";
  out.append(s.control_id).append(" from ").append(s.sender.empty() ? "the AM" : s.sender);
  out.append(": alert ").append(s.alert_id);
  if (s.indication_id != s.alert_id || !s.indication_namespace.empty()) {
    out.append(" (indication ").append(s.indication_id);
    if (!s.indication_namespace.empty()) out.append("^").append(s.indication_namespace);
    out.append(")");
  }
  out.append(" ").append(s.status.empty() ? "(no status)" : s.status);
  for (const auto& r : s.recipients) {
    const std::string who = words({r.person, r.telecom.empty() ? "" : "(" + r.telecom + ")"});
    if (!who.empty()) out.append(" to ").append(who);
    if (!r.status.empty() && r.status != s.status) out.append(" ").append(r.status);
  }
  if (s.at_ms != 0) out.append(" at ").append(format_dtm_utc(s.at_ms));
  return out;
}

}  // namespace vigil::hl7
