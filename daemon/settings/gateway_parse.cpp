// vigil-gateway.toml -> validated gateway_settings, every error collected (one --check-config
// run lists everything to fix), each naming its line, key and what is allowed.
#include <algorithm>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "hl7/tz.hpp"
#include "settings/checks.hpp"
#include "settings/gateway_settings.hpp"
#include "settings/schema.hpp"

namespace vigil::settings {
namespace {

using namespace detail;

std::optional<std::string> check_bed_id(std::string_view v) {
  const bool ok = !v.empty() && v.size() <= 64 && std::all_of(v.begin(), v.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
  if (ok) return std::nullopt;
  return "not a bed id: 1-64 characters of [A-Za-z0-9_.-]";
}

std::optional<std::string> check_zone(std::string_view v) {
  if (hl7::find_zone(v)) return std::nullopt;
  return "unknown time zone: an IANA name under /usr/share/zoneinfo, e.g. \"Europe/Berlin\"";
}

std::optional<std::string> check_host_port(std::string_view v) {
  if (v.empty()) return std::nullopt;
  const auto colon = v.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return "expected host:port, or \"\" for off";
  const auto port = v.substr(colon + 1);
  int p = 0;
  for (char c : port) {
    if (c < '0' || c > '9' || p > 65535) return "the port must be 1..65535";
    p = p * 10 + (c - '0');
  }
  if (port.empty() || p < 1 || p > 65535) return "the port must be 1..65535";
  return std::nullopt;
}

class reader {
 public:
  explicit reader(std::string_view file) : file_(file) {}

  void error(const toml::node* at, std::string key, std::string message) {
    errors.push_back({file_, at ? at->source().begin.line : 0, 0, std::move(key),
                      at ? (at->is_table() ? "" : toml_text(*at)) : "", std::move(message)});
  }

  // Every key of `t` must be one of `known`; `where` prefixes the key in errors.
  void only(const toml::table& t, std::string_view where, std::set<std::string_view> known) {
    for (const auto& [k, v] : t)
      if (!known.contains(k.str())) error(&v, path(where, k.str()), "unknown key");
  }

  template <class Set>
  void text(const toml::table& t, std::string_view where, std::string_view key, text_check check,
            Set set) {
    const auto* n = t.get(key);
    if (!n) return;
    const auto* s = n->as_string();
    if (!s) return error(n, path(where, key), "expected a string");
    if (check)
      if (auto problem = check(s->get())) return error(n, path(where, key), *problem);
    set(s->get());
  }

  template <class T>
  void integer(const toml::table& t, std::string_view where, std::string_view key, std::int64_t min,
               std::int64_t max, std::int64_t scale, T& out) {
    const auto* n = t.get(key);
    if (!n) return;
    const auto* i = n->as_integer();
    if (!i || i->get() < min || i->get() > max)
      return error(n, path(where, key),
                   "expected a whole number " + std::to_string(min) + ".." + std::to_string(max));
    out = static_cast<T>(i->get() * scale);
  }

  void boolean(const toml::table& t, std::string_view where, std::string_view key, bool& out) {
    const auto* n = t.get(key);
    if (!n) return;
    const auto* b = n->as_boolean();
    if (!b) return error(n, path(where, key), "expected true or false");
    out = b->get();
  }

  const toml::table* table(const toml::table& root, std::string_view key) {
    const auto* n = root.get(key);
    if (!n) return nullptr;
    if (!n->is_table()) error(n, std::string(key), "expected a table");
    return n->as_table();
  }

  static std::string path(std::string_view where, std::string_view key) {
    return where.empty() ? std::string(key) : std::string(where) + "." + std::string(key);
  }

  std::vector<config_error> errors;

 private:
  std::string file_;
};

void read_mqtt(reader& r, const toml::table& t, mqtt_settings& m) {
  r.only(t, "mqtt",
         {"broker_uri", "client_id", "prefix", "instance", "keepalive_s", "credentials_file",
          "tls_ca_file", "tls_cert_file", "tls_key_file"});
  r.text(t, "mqtt", "broker_uri", check_broker_uri, [&](auto v) { m.broker_uri = v; });
  r.text(t, "mqtt", "client_id", check_client_id, [&](auto v) { m.client_id = v; });
  r.text(t, "mqtt", "prefix", check_prefix, [&](auto v) { m.prefix = v; });
  r.text(t, "mqtt", "instance", check_instance, [&](auto v) { m.instance = v; });
  r.integer(t, "mqtt", "keepalive_s", 2, 3600, 1, m.keepalive_s);
  r.text(t, "mqtt", "credentials_file", check_secret_file, [&](auto v) { m.credentials_file = v; });
  r.text(t, "mqtt", "tls_ca_file", check_readable_file, [&](auto v) { m.tls_ca_file = v; });
  r.text(t, "mqtt", "tls_cert_file", check_readable_file, [&](auto v) { m.tls_cert_file = v; });
  r.text(t, "mqtt", "tls_key_file", check_secret_file, [&](auto v) { m.tls_key_file = v; });
  for (auto& p : tls_problems(m, [](std::string_view k) { return std::string("mqtt.").append(k); }))
    r.error(t.get(p.key), std::string("mqtt.").append(p.key), p.message);
}

void read_mllp(reader& r, const toml::table& t, mllp_settings& m) {
  r.only(t, "mllp",
         {"listen", "max_frame_bytes", "frame_timeout_s", "idle_timeout_s", "max_connections",
          "tls_cert_file", "tls_key_file", "tls_ca_file"});
  r.text(t, "mllp", "listen", check_listen, [&](auto v) { m.listen = v; });
  if (m.listen.empty()) r.error(t.get("listen"), "mllp.listen", "the gateway needs a listener");
  r.integer(t, "mllp", "max_frame_bytes", 1024, 64 << 20, 1, m.max_frame_bytes);
  r.integer(t, "mllp", "frame_timeout_s", 1, 3600, 1000, m.frame_timeout_ms);
  r.integer(t, "mllp", "idle_timeout_s", 10, 86'400, 1000, m.idle_timeout_ms);
  r.integer(t, "mllp", "max_connections", 1, 65'536, 1, m.max_connections);
  r.text(t, "mllp", "tls_cert_file", check_readable_file, [&](auto v) { m.tls_cert_file = v; });
  r.text(t, "mllp", "tls_key_file", check_secret_file, [&](auto v) { m.tls_key_file = v; });
  r.text(t, "mllp", "tls_ca_file", check_readable_file, [&](auto v) { m.tls_ca_file = v; });
  if (m.tls_cert_file.has_value() != m.tls_key_file.has_value())
    r.error(t.get(m.tls_cert_file ? "tls_cert_file" : "tls_key_file"),
            m.tls_cert_file ? "mllp.tls_cert_file" : "mllp.tls_key_file",
            "TLS needs both tls_cert_file and tls_key_file");
  if (m.tls_ca_file && !m.tls_cert_file)
    r.error(t.get("tls_ca_file"), "mllp.tls_ca_file",
            "checks senders' certificates only over TLS: set tls_cert_file and tls_key_file");
}

void read_sender(reader& r, const toml::table& t, const std::string& name, hl7::sender_profile& p,
                 sender_timing& timing) {
  const std::string where = "senders." + name;
  r.only(t, where,
         {"application", "time_zone", "report_interval_s", "offline_after_s", "hr_fallbacks",
          "x_with_value_is_valid", "cuff_codes_are_nibp", "unspecified_bp_is_nibp", "test_data",
          "max_future_skew_s"});
  p.name = name;
  r.text(t, where, "application", nullptr, [&](auto v) { p.application = v; });
  if (name != "default" && p.application.empty())
    r.error(&t, where + ".application", "a sender needs the MSH-3 it sends as");
  if (name == "default" && t.contains("application"))
    r.error(t.get("application"), where + ".application",
            "the default sender applies to every MSH-3 the others do not name");
  r.text(t, where, "time_zone", check_zone, [&](auto v) { p.time_zone = v; });
  r.integer(t, where, "report_interval_s", 0, 86'400, 1000, timing.report_interval_ms);
  timing.offline_after_ms = 3 * static_cast<core::time_ms>(timing.report_interval_ms);
  r.integer(t, where, "offline_after_s", 1, 3 * 86'400, 1000, timing.offline_after_ms);
  if (timing.offline_after_ms < timing.report_interval_ms)
    r.error(t.get("offline_after_s"), where + ".offline_after_s",
            "must be at least report_interval_s, or every report would come too late");
  if (const auto* n = t.get("hr_fallbacks")) {
    const auto* a = n->as_array();
    if (!a) r.error(n, where + ".hr_fallbacks", "expected a list, e.g. [\"spo2\", \"arterial\"]");
    for (std::size_t i = 0; a && i < a->size(); ++i) {
      const auto* s = a->get(i)->as_string();
      const auto* it = s ? std::find(std::begin(hl7::hr_source_names) + 1,
                                     std::end(hl7::hr_source_names), s->get())
                         : std::end(hl7::hr_source_names);
      if (it == std::end(hl7::hr_source_names)) {
        r.error(a->get(i), where + ".hr_fallbacks", "one of spo2, arterial, nibp, generic");
        continue;
      }
      p.hr_fallbacks.push_back(static_cast<hl7::hr_source>(it - std::begin(hl7::hr_source_names)));
    }
  }
  r.boolean(t, where, "x_with_value_is_valid", p.x_with_value_is_valid);
  r.boolean(t, where, "cuff_codes_are_nibp", p.cuff_codes_are_nibp);
  r.boolean(t, where, "unspecified_bp_is_nibp", p.unspecified_bp_is_nibp);
  r.boolean(t, where, "test_data", p.test_data);
  r.integer(t, where, "max_future_skew_s", 0, 86'400, 1000, p.max_future_skew_ms);
}

void read_senders(reader& r, const toml::table& t, gateway_settings& g) {
  std::set<std::string> applications;
  for (const auto& [k, v] : t) {
    const std::string name(k.str());
    const auto* sender = v.as_table();
    if (!sender) {
      r.error(&v, "senders." + name, "expected a table [senders." + name + "]");
      continue;
    }
    if (check_instance(name)) {
      r.error(&v, "senders." + name, "a sender's name is 1-64 characters of [A-Za-z0-9_.-]");
      continue;
    }
    hl7::sender_profile p;
    read_sender(r, *sender, name, p, g.timing[name]);
    if (name == "default") {
      g.mapping.fallback = std::move(p);
      continue;
    }
    if (!applications.insert(p.application).second)
      r.error(sender->get("application"), "senders." + name + ".application",
              "another sender already has MSH-3 \"" + p.application + "\"");
    g.mapping.senders.push_back(std::move(p));
  }
}

void read_beds(reader& r, const toml::table& t, gateway_settings& g) {
  for (const auto& [k, v] : t) {
    const std::string location(k.str());
    const auto* bed = v.as_string();
    if (!bed) {
      r.error(&v, "beds.\"" + location + "\"", "expected a bed id in quotes");
      continue;
    }
    if (auto problem = check_bed_id(bed->get())) {
      r.error(&v, "beds.\"" + location + "\"", *problem);
      continue;
    }
    if (std::count(location.begin(), location.end(), '^') > 2 || location.empty()) {
      r.error(&v, "beds.\"" + location + "\"",
              "a location is PV1-3's first three components, \"unit^room^bed\"");
      continue;
    }
    g.mapping.beds.emplace(location, bed->get());
  }
}

void read_alert_manager(reader& r, const toml::table& t, alert_manager_settings& a) {
  constexpr std::string_view w = "alert_manager";
  r.only(t, w,
         {"address", "sending_application", "sending_facility", "receiving_application",
          "receiving_facility", "ack_timeout_s", "request_status"});
  r.text(t, w, "address", check_host_port, [&](auto v) { a.address = v; });
  r.text(t, w, "sending_application", nullptr, [&](auto v) { a.sending_application = v; });
  r.text(t, w, "sending_facility", nullptr, [&](auto v) { a.sending_facility = v; });
  r.text(t, w, "receiving_application", nullptr, [&](auto v) { a.receiving_application = v; });
  r.text(t, w, "receiving_facility", nullptr, [&](auto v) { a.receiving_facility = v; });
  r.integer(t, w, "ack_timeout_s", 1, 600, 1000, a.ack_timeout_ms);
  r.boolean(t, w, "request_status", a.request_status);
}

void read_root(reader& r, const toml::table& root, gateway_settings& g) {
  r.only(root, "", {"mqtt", "daemon", "metrics", "mllp", "senders", "beds", "alert_manager"});
  g.mapping.fallback.name = "default";
  g.timing["default"];
  if (const auto* t = r.table(root, "mqtt")) read_mqtt(r, *t, g.mqtt);
  if (const auto* t = r.table(root, "daemon")) {
    r.only(*t, "daemon", {"log_level", "state_dir"});
    r.text(*t, "daemon", "log_level", check_log_level,
           [&](auto v) { g.log_level = *parse_log_level(v); });
    r.text(*t, "daemon", "state_dir", check_path, [&](auto v) { g.state_dir = v; });
  }
  if (const auto* t = r.table(root, "metrics")) {
    r.only(*t, "metrics", {"listen"});
    r.text(*t, "metrics", "listen", check_listen, [&](auto v) { g.metrics_listen = v; });
  }
  if (const auto* t = r.table(root, "mllp")) read_mllp(r, *t, g.mllp);
  if (const auto* t = r.table(root, "senders")) read_senders(r, *t, g);
  if (const auto* t = r.table(root, "beds")) read_beds(r, *t, g);
  if (const auto* t = r.table(root, "alert_manager")) read_alert_manager(r, *t, g.alert_manager);
}

}  // namespace

const sender_timing& gateway_settings::timing_of(std::string_view sender) const {
  const auto it = timing.find(sender);
  return it != timing.end() ? it->second : timing.at("default");
}

gateway_load_result parse_gateway(std::string_view text, std::string_view file_name) {
  reader r(file_name);
  gateway_settings g;
  try {
    read_root(r, toml::parse(text, std::string(file_name)), g);
  } catch (const toml::parse_error& e) {
    r.errors.push_back({std::string(file_name), e.source().begin.line, e.source().begin.column, "",
                        "", std::string(e.description())});
  }
  std::stable_sort(r.errors.begin(), r.errors.end(), [](const auto& x, const auto& y) {
    return std::pair{x.line, x.column} < std::pair{y.line, y.column};
  });
  gateway_load_result out;
  if (r.errors.empty()) out.settings = std::move(g);
  out.errors = std::move(r.errors);
  return out;
}

gateway_load_result load_gateway_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {std::nullopt, {{path, 0, 0, "", "", "cannot read the file"}}};
  std::ostringstream text;
  text << in.rdbuf();
  return parse_gateway(text.str(), path);
}

}  // namespace vigil::settings
