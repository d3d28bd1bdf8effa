// gateway_settings -> TOML, the effective configuration --check-config prints: every key with
// its value, defaults included, readable back by parse_gateway() to the same settings.
#include <sstream>

#include "settings/gateway_settings.hpp"

namespace vigil::settings {
namespace {

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

void optional_text(std::ostream& o, std::string_view key, const std::optional<std::string>& v) {
  if (v) o << key << " = " << quoted(*v) << '\n';
  else o << "# " << key << " unset\n";
}

void sender(std::ostream& o, const hl7::sender_profile& p, const sender_timing& t) {
  o << "\n[senders." << p.name << "]\n";
  if (!p.application.empty()) o << "application = " << quoted(p.application) << '\n';
  o << "time_zone = " << quoted(p.time_zone) << '\n'
    << "report_interval_s = " << t.report_interval_ms / 1000 << '\n'
    << "offline_after_s = " << t.offline_after_ms / 1000 << '\n'
    << "hr_fallbacks = [";
  for (std::size_t i = 0; i < p.hr_fallbacks.size(); ++i)
    o << (i ? ", " : "") << quoted(hl7::hr_source_names[static_cast<int>(p.hr_fallbacks[i])]);
  o << "]\n"
    << std::boolalpha << "x_with_value_is_valid = " << p.x_with_value_is_valid << '\n'
    << "cuff_codes_are_nibp = " << p.cuff_codes_are_nibp << '\n'
    << "unspecified_bp_is_nibp = " << p.unspecified_bp_is_nibp << '\n'
    << "test_data = " << p.test_data << '\n'
    << "max_future_skew_s = " << p.max_future_skew_ms / 1000 << '\n';
}

}  // namespace

std::string describe(const gateway_settings& s) {
  std::ostringstream o;
  const auto& m = s.mqtt;
  o << "[mqtt]\nbroker_uri = " << quoted(m.broker_uri) << '\n';
  optional_text(o, "client_id", m.client_id);
  o << "prefix = " << quoted(m.prefix) << "\ninstance = " << quoted(m.instance)
    << "\nkeepalive_s = " << m.keepalive_s << '\n';
  optional_text(o, "credentials_file", m.credentials_file);
  optional_text(o, "tls_ca_file", m.tls_ca_file);
  optional_text(o, "tls_cert_file", m.tls_cert_file);
  optional_text(o, "tls_key_file", m.tls_key_file);
  o << "\n[daemon]\nlog_level = " << quoted(to_string(s.log_level))
    << "\nstate_dir = " << quoted(s.state_dir)
    << "\n\n[metrics]\nlisten = " << quoted(s.metrics_listen) << '\n';
  const auto& l = s.mllp;
  o << "\n[mllp]\nlisten = " << quoted(l.listen) << "\nmax_frame_bytes = " << l.max_frame_bytes
    << "\nframe_timeout_s = " << l.frame_timeout_ms / 1000
    << "\nidle_timeout_s = " << l.idle_timeout_ms / 1000
    << "\nmax_connections = " << l.max_connections << '\n';
  optional_text(o, "tls_cert_file", l.tls_cert_file);
  optional_text(o, "tls_key_file", l.tls_key_file);
  optional_text(o, "tls_ca_file", l.tls_ca_file);
  sender(o, s.mapping.fallback, s.timing_of("default"));
  for (const auto& p : s.mapping.senders) sender(o, p, s.timing_of(p.name));
  o << "\n[beds]\n";
  for (const auto& [location, bed] : s.mapping.beds)
    o << quoted(location) << " = " << quoted(bed) << '\n';
  const auto& a = s.alert_manager;
  o << "\n[alert_manager]\naddress = " << quoted(a.address)
    << "\nsending_application = " << quoted(a.sending_application)
    << "\nsending_facility = " << quoted(a.sending_facility)
    << "\nreceiving_application = " << quoted(a.receiving_application)
    << "\nreceiving_facility = " << quoted(a.receiving_facility)
    << "\nack_timeout_s = " << a.ack_timeout_ms / 1000 << std::boolalpha
    << "\nrequest_status = " << a.request_status << '\n';
  return o.str();
}

}  // namespace vigil::settings
