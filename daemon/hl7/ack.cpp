#include "hl7/ack.hpp"

#include <array>

#include "hl7/civil.hpp"

namespace vigil::hl7 {

namespace {

// Table 0357's names for the codes this room sends.
std::string_view code_name(int code) {
  switch (code) {
    case err::segment_sequence: return "Segment sequence error";
    case err::required_field_missing: return "Required field missing";
    case err::data_type: return "Data type error";
    case err::table_value: return "Table value not found";
    case err::unsupported_message_type: return "Unsupported message type";
    case err::unsupported_event: return "Unsupported event code";
    case err::unsupported_processing_id: return "Unsupported processing id";
    case err::unsupported_version: return "Unsupported version id";
    case err::duplicate_key: return "Duplicate key identifier";
    case err::application_internal: return "Application internal error";
    default: return "";
  }
}

std::string_view severity_code(severity s) {
  switch (s) {
    case severity::warning: return "W";
    case severity::information: return "I";
    case severity::error: break;
  }
  return "E";
}

void two(std::string& out, std::int64_t v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

}  // namespace

bool enhanced_mode(std::string_view accept_ack_type) {
  return accept_ack_type == "AL" || accept_ack_type == "ER" || accept_ack_type == "SU";
}

std::string ack_code(const ack_request& req, ack_kind kind) {
  std::string code(1, enhanced_mode(req.accept_ack_type) ? 'C' : 'A');
  switch (kind) {
    case ack_kind::accept: code.push_back('A'); break;
    case ack_kind::error: code.push_back('E'); break;
    case ack_kind::reject: code.push_back('R'); break;
  }
  return code;
}

ack_request ack_request_from(const message& msg) {
  ack_request r;
  if (msg.segments().empty() || msg.segments().front().id() != "MSH") return r;
  const segment& msh = msg.segments().front();
  const auto re = [&](std::string_view raw) { return msg.reencode(raw).value_or(std::string{}); };
  r.sending_application = re(msh.field(3));
  r.sending_facility = re(msh.field(4));
  r.receiving_application = re(msh.field(5));
  r.receiving_facility = re(msh.field(6));
  r.trigger_event = re(msg.component(msh.field(9), 2));
  r.control_id = re(msh.field(10));
  r.processing_id = re(msg.component(msh.field(11), 1));
  r.version = re(msg.component(msh.field(12), 1));
  r.accept_ack_type = msg.text(msh, 15);
  return r;
}

std::string format_dtm_utc(std::int64_t unix_ms) {
  const std::int64_t days = civil::floor_div(unix_ms, 86400000);
  const std::int64_t ms_of_day = unix_ms - days * 86400000;
  const std::int64_t year = civil::year_of(days);
  int month = 1;
  std::int64_t day = days - civil::days_from_civil(year, 1, 1) + 1;
  while (day > civil::days_in_month(year, month)) day -= civil::days_in_month(year, month++);
  std::string out = std::to_string(year);
  two(out, month);
  two(out, day);
  two(out, ms_of_day / 3600000);
  two(out, ms_of_day / 60000 % 60);
  two(out, ms_of_day / 1000 % 60);
  out.push_back('.');
  const std::int64_t ms = ms_of_day % 1000;
  out.push_back(static_cast<char>('0' + ms / 100));
  two(out, ms % 100);
  out.append("+0000");
  return out;
}

std::string build_ack(const ack_request& req, ack_kind kind, const std::vector<ack_error>& errors,
                      const ack_params& params) {
  std::string out = "MSH|^~\\&|";
  out.append(req.receiving_application.empty() ? escape_text(params.application)
                                               : req.receiving_application);
  out.push_back('|');
  out.append(req.receiving_facility);
  out.push_back('|');
  out.append(req.sending_application);
  out.push_back('|');
  out.append(req.sending_facility);
  out.push_back('|');
  out.append(params.timestamp);
  out.append("||ACK");
  if (!req.trigger_event.empty()) {
    out.push_back('^');
    out.append(req.trigger_event);
    out.append("^ACK");
  }
  out.push_back('|');
  out.append(escape_text(params.control_id));
  out.push_back('|');
  out.append(req.processing_id.empty() ? "P" : req.processing_id);
  out.push_back('|');
  out.append(req.version.empty() ? "2.6" : req.version);
  out.append("\rMSA|");
  out.append(ack_code(req, kind));
  out.push_back('|');
  out.append(req.control_id);
  out.push_back('\r');
  for (const auto& e : errors) {
    out.append("ERR||");
    if (!e.segment.empty()) {  // ERR-2 (ERL): segment id ^ sequence ^ field position
      out.append(escape_text(e.segment));
      if (e.segment_index > 0 || e.field > 0) out.push_back('^');
      if (e.segment_index > 0) out.append(std::to_string(e.segment_index));
      if (e.field > 0) {
        out.push_back('^');
        out.append(std::to_string(e.field));
      }
    }
    out.push_back('|');
    out.append(std::to_string(e.code));
    out.push_back('^');
    out.append(code_name(e.code));
    out.append("^HL70357|");
    out.append(severity_code(e.severity));
    out.append("||||");
    out.append(escape_text(e.text));
    out.push_back('\r');
  }
  return out;
}

}  // namespace vigil::hl7
