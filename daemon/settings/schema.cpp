#include "settings/schema.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <sstream>

#include <toml++/toml.h>

#include "settings/checks.hpp"

namespace vigil::settings::detail {
namespace {

using P = core::phase_config;
using C = core::condition_id;
using R = number_ref;

// Ranges are what a clinician could sensibly ask for; the sources of the defaults are in
// config/vigild.toml. Phase keys: [alarms] sets all three phases, [alarms.<phase>] one.
const std::array<phase_key_spec, 22> phase_key_list{{
    {"hr_high_medium",
     {unit::number, 60, 250, [](P& p) -> R { return &p.limit(C::hr_high).medium; }}},
    {"hr_high_high", {unit::number, 60, 250, [](P& p) -> R { return &p.limit(C::hr_high).high; }}},
    {"hr_low_medium",
     {unit::number, 25, 120, [](P& p) -> R { return &p.limit(C::hr_low).medium; }}},
    {"hr_low_high", {unit::number, 25, 120, [](P& p) -> R { return &p.limit(C::hr_low).high; }}},
    {"sbp_high_medium",
     {unit::number, 100, 260, [](P& p) -> R { return &p.limit(C::sbp_high).medium; }}},
    {"sbp_high_high",
     {unit::number, 100, 260, [](P& p) -> R { return &p.limit(C::sbp_high).high; }}},
    {"dbp_high_medium",
     {unit::number, 50, 200, [](P& p) -> R { return &p.limit(C::dbp_high).medium; }}},
    {"dbp_high_high",
     {unit::number, 50, 200, [](P& p) -> R { return &p.limit(C::dbp_high).high; }}},
    {"sbp_low_medium",
     {unit::number, 50, 160, [](P& p) -> R { return &p.limit(C::sbp_low).medium; }}},
    {"sbp_low_high", {unit::number, 50, 160, [](P& p) -> R { return &p.limit(C::sbp_low).high; }}},
    {"map_low_medium",
     {unit::number, 30, 120, [](P& p) -> R { return &p.limit(C::map_low).medium; }}},
    {"map_low_high", {unit::number, 30, 120, [](P& p) -> R { return &p.limit(C::map_low).high; }}},
    {"sbp_rise_medium",
     {unit::number, 5, 100, [](P& p) -> R { return &p.limit(C::sbp_rise).medium; }}},
    {"dbp_rise_medium",
     {unit::number, 5, 80, [](P& p) -> R { return &p.limit(C::dbp_rise).medium; }}},
    {"hr_hysteresis", {unit::number, 0, 30, [](P& p) -> R { return &p.hr_hysteresis; }}},
    {"pressure_hysteresis",
     {unit::number, 0, 30, [](P& p) -> R { return &p.pressure_hysteresis; }}},
    {"continuous_persistence_s",
     {unit::seconds, 0, 120, [](P& p) -> R { return &p.continuous_persistence_ms; }}},
    {"nibp_persistence_s",
     {unit::seconds, 0, 3600, [](P& p) -> R { return &p.nibp_persistence_ms; }}},
    {"continuous_clear_delay_s",
     {unit::seconds, 0, 120, [](P& p) -> R { return &p.continuous_clear_delay_ms; }}},
    {"nibp_clear_delay_s",
     {unit::seconds, 0, 3600, [](P& p) -> R { return &p.nibp_clear_delay_ms; }}},
    {"hr_stale_s", {unit::seconds, 1, 600, [](P& p) -> R { return &p.hr_stale_ms; }}},
    {"nibp_interval_s", {unit::seconds, 10, 3600, [](P& p) -> R { return &p.nibp_interval_ms; }}},
}};

using S = daemon_settings;
using N = number_spec<daemon_settings>;

const std::array<key_spec, 35> global_key_list{{
    {"mqtt", "broker_uri",
     text_spec{check_broker_uri,
               [](const S& s) -> std::optional<std::string> { return s.mqtt.broker_uri; },
               [](S& s, std::string v) { s.mqtt.broker_uri = std::move(v); }},
     on_reload::restart},
    {"mqtt", "client_id",
     text_spec{check_client_id, [](const S& s) { return s.mqtt.client_id; },
               [](S& s, std::string v) { s.mqtt.client_id = std::move(v); }},
     on_reload::restart},
    {"mqtt", "prefix",
     text_spec{check_prefix, [](const S& s) -> std::optional<std::string> { return s.mqtt.prefix; },
               [](S& s, std::string v) { s.mqtt.prefix = std::move(v); }},
     on_reload::restart},
    {"mqtt", "instance",
     text_spec{check_instance,
               [](const S& s) -> std::optional<std::string> { return s.mqtt.instance; },
               [](S& s, std::string v) { s.mqtt.instance = std::move(v); }},
     on_reload::restart},
    {"mqtt", "keepalive_s",
     N{unit::integer, 1, 3600, [](S& s) -> R { return &s.mqtt.keepalive_s; }}, on_reload::restart},
    {"mqtt", "session_expiry_s",
     N{unit::integer, 0, 604800, [](S& s) -> R { return &s.mqtt.session_expiry_s; }},
     on_reload::restart},
    {"mqtt", "reconnect_min_s",
     N{unit::integer, 1, 60, [](S& s) -> R { return &s.mqtt.reconnect_min_s; }},
     on_reload::restart},
    {"mqtt", "reconnect_max_s",
     N{unit::integer, 1, 600, [](S& s) -> R { return &s.mqtt.reconnect_max_s; }},
     on_reload::restart},
    {"mqtt", "credentials_file",
     text_spec{check_secret_file, [](const S& s) { return s.mqtt.credentials_file; },
               [](S& s, std::string v) { s.mqtt.credentials_file = std::move(v); }},
     on_reload::restart},
    {"mqtt", "tls_ca_file",
     text_spec{check_readable_file, [](const S& s) { return s.mqtt.tls_ca_file; },
               [](S& s, std::string v) { s.mqtt.tls_ca_file = std::move(v); }},
     on_reload::restart},
    {"mqtt", "tls_cert_file",
     text_spec{check_readable_file, [](const S& s) { return s.mqtt.tls_cert_file; },
               [](S& s, std::string v) { s.mqtt.tls_cert_file = std::move(v); }},
     on_reload::restart},
    {"mqtt", "tls_key_file",
     text_spec{check_secret_file, [](const S& s) { return s.mqtt.tls_key_file; },
               [](S& s, std::string v) { s.mqtt.tls_key_file = std::move(v); }},
     on_reload::restart},
    {"mqtt", "json_view", bool_spec{[](S& s) -> bool& { return s.mqtt.json_view; }},
     on_reload::restart},
    {"daemon", "log_level",
     text_spec{
         check_log_level,
         [](const S& s) -> std::optional<std::string> {
           return std::string{to_string(s.log_level)};
         },
         [](S& s, std::string v) { s.log_level = parse_log_level(v).value_or(s.log_level); }}},
    {"daemon", "state_dir",
     text_spec{check_path, [](const S& s) -> std::optional<std::string> { return s.state_dir; },
               [](S& s, std::string v) { s.state_dir = std::move(v); }},
     on_reload::restart},
    {"store", "url",
     text_spec{check_store_url, [](const S& s) { return s.store.url; },
               [](S& s, std::string v) { s.store.url = std::move(v); }},
     on_reload::restart},
    {"store", "credentials_file",
     text_spec{check_secret_file, [](const S& s) { return s.store.credentials_file; },
               [](S& s, std::string v) { s.store.credentials_file = std::move(v); }},
     on_reload::restart},
    {"daemon", "status_interval_s",
     N{unit::seconds, 1, 3600, [](S& s) -> R { return &s.status_interval_ms; }}},
    {"recording", "enabled", bool_spec{[](S& s) -> bool& { return s.recording.enabled; }},
     on_reload::restart},
    {"recording", "dir",
     text_spec{check_path, [](const S& s) -> std::optional<std::string> { return s.recording.dir; },
               [](S& s, std::string v) { s.recording.dir = std::move(v); }},
     on_reload::restart},
    {"metrics", "listen",
     text_spec{check_listen,
               [](const S& s) -> std::optional<std::string> { return s.metrics.listen; },
               [](S& s, std::string v) { s.metrics.listen = std::move(v); }},
     on_reload::restart},
    {"record", "retention_days",
     N{unit::integer, 1, 3650, [](S& s) -> R { return &s.record.retention_days; }},
     on_reload::restart},
    {"record", "idle_trend_minutes",
     N{unit::integer, 0, 1440, [](S& s) -> R { return &s.record.idle_trend_minutes; }},
     on_reload::restart},
    {"record", "dir",
     text_spec{check_optional_path, [](const S& s) { return s.record.dir; },
               [](S& s, std::string v) { s.record.dir = std::move(v); }},
     on_reload::restart},
    // Minutes take decimals so a test can compress a whole session into seconds.
    {"infusion", "min_minutes",
     N{unit::minutes, 0, 240, [](S& s) -> R { return &s.engine.infusion_min_ms; }}},
    {"infusion", "max_minutes",
     N{unit::minutes, 0.01, 240, [](S& s) -> R { return &s.engine.infusion_max_ms; }}},
    {"infusion", "recovery_minutes",
     N{unit::minutes, 0.01, 1440, [](S& s) -> R { return &s.engine.recovery_ms; }}},
    {"infusion", "nibp_grace_s",
     N{unit::seconds, 0, 600, [](S& s) -> R { return &s.engine.nibp_grace_ms; }}},
    {"baseline", "lookback_minutes",
     N{unit::minutes, 0, 240, [](S& s) -> R { return &s.engine.baseline_lookback_ms; }}},
    {"baseline", "elevated_systolic",
     N{unit::number, 100, 220, [](S& s) -> R { return &s.engine.baseline_elevated_systolic; }}},
    {"baseline", "elevated_diastolic",
     N{unit::number, 60, 140, [](S& s) -> R { return &s.engine.baseline_elevated_diastolic; }}},
    {"escalation", "ack_silence_s",
     N{unit::seconds, 1, 3600, [](S& s) -> R { return &s.engine.ack_silence_ms; }}},
    {"escalation", "escalate_medium_s",
     N{unit::seconds, 1, 3600, [](S& s) -> R { return &s.engine.escalate_medium_ms; }}},
    {"escalation", "escalate_high_s",
     N{unit::seconds, 1, 3600, [](S& s) -> R { return &s.engine.escalate_high_ms; }}},
    {"escalation", "max_level",
     N{unit::integer, 1, 10, [](S& s) -> R { return &s.engine.escalation_max_level; }}},
}};

const std::array<std::string_view, 10> table_list{"mqtt",     "daemon",    "store",  "recording",
                                                  "metrics",  "record",    "alarms", "infusion",
                                                  "baseline", "escalation"};

const std::array<order_rule, 8> phase_rule_list{{
    {"hr_high_medium", "hr_high_high", relation::greater_equal},
    {"sbp_high_medium", "sbp_high_high", relation::greater_equal},
    {"dbp_high_medium", "dbp_high_high", relation::greater_equal},
    {"hr_low_medium", "hr_low_high", relation::less_equal},
    {"sbp_low_medium", "sbp_low_high", relation::less_equal},
    {"map_low_medium", "map_low_high", relation::less_equal},
    // Overlapping low and high limits would alarm on every reading.
    {"hr_low_medium", "hr_high_medium", relation::greater},
    {"sbp_low_medium", "sbp_high_medium", relation::greater},
}};

const std::array<order_rule, 2> global_rule_list{{
    {"infusion.min_minutes", "infusion.max_minutes", relation::greater_equal},
    {"mqtt.reconnect_min_s", "mqtt.reconnect_max_s", relation::greater_equal},
}};

double scale(unit kind) {
  return kind == unit::seconds ? 1000.0 : kind == unit::minutes ? 60'000.0 : 1.0;
}

}  // namespace

std::span<const std::string_view> table_names() { return table_list; }
std::span<const key_spec> global_keys() { return global_key_list; }
std::span<const phase_key_spec> phase_keys() { return phase_key_list; }
std::span<const order_rule> phase_rules() { return phase_rule_list; }

const key_spec* find_global_key(std::string_view table, std::string_view name) {
  auto it = std::find_if(global_key_list.begin(), global_key_list.end(),
                         [&](const key_spec& k) { return k.table == table && k.name == name; });
  return it == global_key_list.end() ? nullptr : &*it;
}

const phase_key_spec* find_phase_key(std::string_view name) {
  auto it = std::find_if(phase_key_list.begin(), phase_key_list.end(),
                         [&](const phase_key_spec& k) { return k.name == name; });
  return it == phase_key_list.end() ? nullptr : &*it;
}
std::span<const order_rule> global_rules() { return global_rule_list; }

template <class T>
std::optional<double> get_number(const number_spec<T>& spec, const T& obj) {
  // The accessor is shared by reading and writing; reading never writes through it.
  number_ref ref = spec.ref(const_cast<T&>(obj));
  return std::visit(
      [&](auto* p) -> std::optional<double> {
        using V = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<V, std::optional<double>>) {
          return *p;
        } else {
          return static_cast<double>(*p) / scale(spec.kind);
        }
      },
      ref);
}

template <class T>
void set_number(const number_spec<T>& spec, T& obj, double file_value) {
  std::visit(
      [&](auto* p) {
        using V = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<V, double> || std::is_same_v<V, std::optional<double>>) {
          *p = file_value;
        } else if constexpr (std::is_same_v<V, core::time_ms>) {
          *p = std::llround(file_value * scale(spec.kind));
        } else {
          *p = static_cast<V>(file_value);  // integers: range-checked by the caller
        }
      },
      spec.ref(obj));
}

template std::optional<double> get_number(const number_spec<daemon_settings>&,
                                          const daemon_settings&);
template std::optional<double> get_number(const number_spec<core::phase_config>&,
                                          const core::phase_config&);
template void set_number(const number_spec<daemon_settings>&, daemon_settings&, double);
template void set_number(const number_spec<core::phase_config>&, core::phase_config&, double);

std::string format_number(double v) {
  std::array<char, 64> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v,
                                 std::chars_format::fixed);  // "1e+05" would read back as a float
  return ec == std::errc{} ? std::string(buf.data(), end) : std::string{"nan"};
}

std::string allowed_range(double min, double max) {
  return format_number(min) + ".." + format_number(max);
}

std::string toml_text(const toml::node& n) {
  // Basic "strings" only: what people write, and what the messages quote back to them.
  constexpr auto flags =
      toml::toml_formatter::default_flags &
      ~(toml::format_flags::allow_literal_strings | toml::format_flags::allow_multi_line_strings |
        toml::format_flags::allow_real_tabs_in_strings);
  std::ostringstream os;
  os << toml::toml_formatter{n, flags};
  return os.str();
}

std::string toml_string(std::string_view v) {
  return toml_text(toml::value<std::string>{std::string{v}});
}

}  // namespace vigil::settings::detail
