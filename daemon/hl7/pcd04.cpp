#include "hl7/pcd04.hpp"

#include <initializer_list>
#include <optional>
#include <vector>

#include "core/conditions.hpp"
#include "core/text.hpp"
#include "hl7/ack.hpp"
#include "hl7/er7.hpp"
#include "hl7/pcd04_codes.hpp"

namespace vigil::hl7 {
namespace {

// "SEG|f1|f2|...\r", trailing empty fields left off. Fields are already encoded.
std::string seg(std::string_view id, std::initializer_list<std::string> fields) {
  std::vector<std::string_view> f(fields.begin(), fields.end());
  while (!f.empty() && f.back().empty()) f.pop_back();
  std::string out(id);
  for (const auto& v : f) {
    out.push_back('|');
    out.append(v);
  }
  out.push_back('\r');
  return out;
}

// Components joined by `sep`, trailing empty ones left off. Components are already encoded.
std::string join(char sep, std::initializer_list<std::string> parts) {
  std::vector<std::string_view> p(parts.begin(), parts.end());
  while (!p.empty() && p.back().empty()) p.pop_back();
  std::string out;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (i > 0) out.push_back(sep);
    out.append(p[i]);
  }
  return out;
}

std::string encode(const hd& h) {
  return join('^', {escape_text(h.namespace_id), escape_text(h.universal_id),
                    escape_text(h.universal_id_type)});
}

std::string encode(const location& l) {
  return join('^', {escape_text(l.point_of_care), escape_text(l.room), escape_text(l.bed),
                    escape_text(l.facility)});
}

// A CWE for an MDC term: code^REFID^MDC.
std::string cwe(const mdc_term& t) {
  std::string out = std::to_string(t.code);
  out.push_back('^');
  out.append(t.refid);
  out.append("^MDC");
  return out;
}

std::string_view phase_of(const core::alarm_event& e) {
  switch (e.transition) {
    case core::transition::raised: return is_first_indication(e) ? "start" : "update";
    case core::transition::escalated: return "escalate";
    case core::transition::acknowledged: return "acknowledged";
    case core::transition::reminded: return "update";
    case core::transition::latched: return "update";
    case core::transition::ended: return "end";
    case core::transition::notice: return "start_only";
    case core::transition::unspecified: break;
  }
  return "update";
}

std::string_view state_of(const core::alarm_event& e) {
  if (e.transition == core::transition::notice) return "active";
  switch (e.state) {
    case core::alarm_state::active:
    case core::alarm_state::acknowledged: return "active";
    case core::alarm_state::latched: return "latched";
    case core::alarm_state::ended: return "inactive";
    case core::alarm_state::unspecified: break;
  }
  return "active";
}

std::string_view inactivation_of(const core::alarm_event& e) {
  return e.state == core::alarm_state::acknowledged ? "alert-acknowledged" : "enabled";
}

std::string_view priority_of(core::priority p) {
  switch (p) {
    case core::priority::low: return "PL";
    case core::priority::medium: return "PM";
    case core::priority::high: return "PH";
    case core::priority::unspecified: break;
  }
  return "PN";
}

std::string_view type_of(core::alarm_kind k) {
  switch (k) {
    case core::alarm_kind::physiological: return "SP";
    case core::alarm_kind::technical: return "ST";
    case core::alarm_kind::procedural:
    case core::alarm_kind::notice: return "SA";
    case core::alarm_kind::unspecified: break;
  }
  return "ST";
}

// HL7 OBX-7's forms for one limit: "<upper" when the alarm is above it, ">lower" below it.
std::string reference_range(core::direction d, double limit) {
  std::string out = d == core::direction::below ? ">" : "<";
  out.append(core::text::number(limit));
  return out;
}

alarm_codes codes_of(const core::alarm_event& e) {
  const auto id = core::condition_named(e.condition);
  return id ? codes_for(*id) : unknown_condition_codes;
}

// An ST facet row: OBX|n|ST|<attr>|1.0.0.0.<facet>|<value>||||||F
std::string facet(int n, const mdc_term& attr, int facet_no, std::string_view value) {
  std::string sub_id = "1.0.0.0.";
  sub_id.append(std::to_string(facet_no));
  return seg("OBX", {std::to_string(n), "ST", cwe(attr), sub_id, std::string(value), "", "", "", "",
                     "", "F"});
}

std::string source_row(int n, const core::alarm_event& e, const alarm_codes& c) {
  const std::string sub_id = "1.0.0.0.2";
  if (!c.physiological) {
    return seg("OBX", {std::to_string(n), "CWE", cwe(acm::attr_alert_source), sub_id, cwe(c.source),
                       "", "", "", "", "", "F"});
  }
  const bool has_value = c.value_is_metric && e.value.has_value();
  const std::string unit =
      cwe(c.unit.term) + "^" + escape_text(c.unit.ucum) + "^" + escape_text(c.unit.ucum) + "^UCUM";
  return seg("OBX", {std::to_string(n), has_value ? "NM" : "", cwe(c.source), sub_id,
                     has_value ? core::text::number(*e.value) : "", has_value ? unit : "",
                     c.value_is_metric && e.limit ? reference_range(c.direction, *e.limit) : "", "",
                     "", "", "F"});
}

}  // namespace

location location::from_text(std::string_view text) {
  location l;
  std::string* parts[] = {&l.point_of_care, &l.room, &l.bed, &l.facility};
  std::size_t i = 0;
  for (const char c : text) {
    if (c == '^') {
      if (++i == std::size(parts)) break;
      continue;
    }
    parts[i]->push_back(c);
  }
  return l;
}

bool is_first_indication(const core::alarm_event& e) {
  return e.transition == core::transition::notice ||
         (e.transition == core::transition::raised && e.at_ms == e.onset_ms);
}

indication_ids ids_for(const core::alarm_event& e) {
  if (is_first_indication(e)) return {e.alarm_id, ""};
  std::string obr3 = e.alarm_id;
  obr3.push_back('.');
  obr3.append(std::to_string(e.event_seq));
  return {std::move(obr3), e.alarm_id};
}

std::string control_id_for(const core::alarm_event& e) {
  std::string out = e.bed_id;
  out.push_back('.');
  out.append(std::to_string(e.event_seq));
  return out;
}

std::string build_oru_r40(const core::alarm_event& e, const pcd04_context& ctx) {
  const std::string packaged = format_dtm_utc(ctx.packaging_ms);
  const auto ids = ids_for(e);
  const auto codes = codes_of(e);
  const std::string ns = escape_text(ctx.sending_application.namespace_id);

  std::string m = "MSH|^~\\&|";
  m.append(join('|', {encode(ctx.sending_application), encode(ctx.sending_facility),
                      encode(ctx.receiving_application), encode(ctx.receiving_facility), packaged,
                      "", "ORU^R40^ORU_R40", escape_text(ctx.control_id), "P", "2.6", "", "", "AL",
                      ctx.ask_for_status ? "AL" : "NE", "", "UNICODE UTF-8", "", "",
                      "IHE_PCD_ACM_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.4.1^ISO"}));
  m.push_back('\r');
  m.append(seg("PV1", {"", escape_text(ctx.patient_class), encode(ctx.bed_location)}));

  const std::string obr3 = escape_text(ids.obr3) + "^" + ns;
  std::string obr29;  // EIP: the parent's filler number, as subcomponents of OBR-29.2
  if (!ids.obr29.empty()) {
    obr29 = "^";
    obr29.append(escape_text(ids.obr29)).append("&").append(ns);
  }
  m.append(seg("OBR", {"1",  "", obr3,     cwe(acm::evt_alarm),
                       "",   "", packaged, "",
                       "",   "", "",       "",
                       "",   "", "",       "",
                       "",   "", "",       "",
                       "",   "", "",       "",
                       "",   "", "",       "",
                       obr29}));

  // Facet 1: the event, with Vigil's condition as the alternate (local) code.
  const std::string event_value = cwe(codes.event) + "^" + escape_text(e.condition) + "^^99VIGIL";
  m.append(seg("OBX", {"1", "CWE", cwe(codes.event), "1.0.0.0.1", event_value, "", "", "", "", "",
                       "F", "", "", format_dtm_utc(e.at_ms)}));
  int n = 2;
  if (!e.text.empty()) {
    m.append(seg("OBX", {std::to_string(n++), "ST", cwe(acm::attr_alert_annotation), "1.0.0.0.1.1",
                         escape_text(e.text), "", "", "", "", "", "F"}));
  }
  m.append(source_row(n++, e, codes));
  m.append(facet(n++, acm::attr_event_phase, 3, phase_of(e)));
  m.append(facet(n++, acm::attr_alarm_state, 4, state_of(e)));
  m.append(facet(n++, acm::attr_inactivation_state, 5, inactivation_of(e)));
  m.append(facet(n++, acm::attr_alarm_priority, 6, priority_of(e.priority)));
  m.append(facet(n, acm::attr_alert_type, 7, type_of(e.kind)));
  return m;
}

}  // namespace vigil::hl7
