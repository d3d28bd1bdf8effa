// vigild's configuration: config/vigild.toml parsed once into a validated, immutable struct.
// Every error names file, line, key, value and allowed range, and all of them are reported at
// once, so an operator fixes a file in one pass (chrony-style "invalid value at line N").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"

namespace vigil::settings {

enum class log_level : std::uint8_t { trace, debug, info, warn, error };

struct mqtt_settings {
  std::string broker_uri = "tcp://127.0.0.1:1883";
  // Unset: "vigild-{instance}", so the id follows --instance (see client_id_or_default()).
  std::optional<std::string> client_id;
  std::string prefix = "clinic";     // topic root; may hold inner '/', never + or #
  std::string instance = "default";  // [A-Za-z0-9_.-]{1,64}, like a bed id
  int keepalive_s = 10;
  std::uint32_t session_expiry_s = 3600;  // MQTT 5 persistent session
  int reconnect_min_s = 1;                // Paho reconnect intervals are whole seconds
  int reconnect_max_s = 5;
  std::optional<std::string> credentials_file;  // unset: anonymous
  // Used only over TLS (uses_tls()). No CA file: the system's trust store verifies the broker.
  std::optional<std::string> tls_ca_file;
  std::optional<std::string> tls_cert_file;  // a client certificate, always with its key
  std::optional<std::string> tls_key_file;
  // Publish everything a second time as JSON under {prefix}/json/ (README, "JSON view").
  bool json_view = false;

  std::string client_id_or_default() const { return client_id ? *client_id : "vigild-" + instance; }
  bool uses_tls() const {
    return broker_uri.starts_with("ssl://") || broker_uri.starts_with("mqtts://") ||
           broker_uri.starts_with("wss://");
  }
};

struct recording_settings {
  bool enabled = false;
  std::string dir = "/var/lib/vigil/recordings";
};

// An IP address (v4, or v6 in brackets in the file) and a TCP port to listen on.
struct listen_address {
  std::string host;
  std::uint16_t port = 0;
};
// "127.0.0.1:9739", "[::1]:9739" -> the address; nullopt if it is none (a name is none).
std::optional<listen_address> parse_listen_address(std::string_view text);

struct metrics_settings {
  // Where /metrics and /ready are served; "" turns the endpoint off. Loopback by default:
  // the metrics name no patient, but who may scrape them is the site's choice.
  std::string listen = "127.0.0.1:9739";
};

// The record (README "The record"): the alarm history, the trend and the sessions in the
// store, and each ended session's record (PDF and FHIR bundle) written to `dir`.
struct record_settings {
  std::uint32_t retention_days = 90;      // history, trend and sessions older than this are pruned
  std::uint32_t idle_trend_minutes = 60;  // trend outside a session is kept this long
  // Unset: {state_dir}/records, so a vigild with its state elsewhere (a test, a second
  // instance) never writes into another's. "": no files (the store still keeps it all).
  std::optional<std::string> dir;
  std::string dir_or_default(const std::string& state_dir) const {
    return dir ? *dir : state_dir + "/records";
  }
};

// Where vigild keeps its state (README "Running a pair"): a SQLite file of its own, or a
// PostgreSQL database shared by a pair (or several pairs, one per prefix).
struct store_settings {
  // "sqlite:///abs/path" or a libpq URI "postgresql://[user@]host[:port]/db[?params]" (never
  // with a password in it). Unset: "sqlite://{state_dir}/vigil.db".
  std::optional<std::string> url;
  // PostgreSQL's user (first line) and password (second line), like mqtt.credentials_file.
  std::optional<std::string> credentials_file;
  std::string url_or_default(const std::string& state_dir) const {
    return url ? *url : "sqlite://" + state_dir + "/vigil.db";
  }
  bool shared() const;  // a PostgreSQL url: a pair's (README "Running a pair")
};
// "postgresql://..." or "postgres://...".
bool is_postgres_url(std::string_view url);

struct daemon_settings {
  mqtt_settings mqtt;
  settings::log_level log_level = log_level::info;
  std::string state_dir = "/var/lib/vigil";
  store_settings store;
  recording_settings recording;
  metrics_settings metrics;
  record_settings record;
  core::time_ms status_interval_ms = 10'000;
  // Plausibility ranges (alarms.md section 3) are fixed: they stay at core's defaults.
  core::engine_config engine;
};

// One problem in the configuration. `line`/`column` are 1-based, 0 when not known (command
// line, or a rule about values that all kept their defaults).
struct config_error {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;  // set for TOML syntax errors only
  std::string key;           // dotted path, e.g. "alarms.infusion.sbp_high_medium"; may be empty
  std::string value;         // as written, TOML syntax (strings quoted); may be empty
  std::string message;       // what is wrong, with the allowed range

  // "vigild.toml:42: alarms.infusion.sbp_high_medium = 500: out of range, allowed 100..260"
  std::string to_string() const;
};

struct load_result {
  std::optional<daemon_settings> settings;  // set exactly when errors is empty
  std::vector<config_error> errors;         // sorted by line
};

// Reads and validates a file; a file that cannot be read is one error naming it.
load_result load_file(const std::string& path);
// `file_name` only labels the errors.
load_result parse(std::string_view text, std::string_view file_name);

// Command-line flags that override the file (contract.md: --broker, --prefix, --instance).
struct overrides {
  std::optional<std::string> broker_uri;
  std::optional<std::string> prefix;
  std::optional<std::string> instance;
};

// Validates each flag like its key in the file; applies the valid ones, returns the errors
// (file "command line", key the flag's name).
std::vector<config_error> apply_overrides(daemon_settings& s, const overrides& o);
// The same for the [mqtt] table of another daemon's file (vigil-gateway).
std::vector<config_error> apply_overrides(mqtt_settings& m, const overrides& o);

// The MQTT client id of the instance that leads: [mqtt] client_id when set; else on a shared
// (PostgreSQL) store "vigild-{prefix}" ('/' as '_'), the same on every member of the pair, so
// the new leader resumes the old one's session and the broker hands it the queued inputs; else
// "vigild-{instance}".
std::string leader_client_id(const daemon_settings& s);
// A standby's own id while it waits: "{leader_client_id}-standby-{instance}".
std::string standby_client_id(const daemon_settings& s);

// A credentials file: the user name on its first line, the password on its second. Throws
// std::runtime_error naming `key` and the file when it is exposed to others (secret_file_problem)
// or does not hold both lines.
struct credentials {
  std::string user;
  std::string password;
};
credentials read_credentials(const std::string& path, std::string_view key);

// The effective configuration as TOML that parse() reads back to the same settings.
std::string describe(const daemon_settings& s);

// The keys, "table.key" in the file's order, that differ between the running settings and
// `next` and that a running vigild cannot take over on SIGHUP (its connection, its identity on
// the broker, files it holds open): marked on_reload::restart in the key table.
std::vector<std::string> keys_needing_restart(const daemon_settings& running,
                                              const daemon_settings& next);

std::string_view to_string(log_level l);

// vigilctl and vigil-replay reach the broker with the [mqtt] keys broker_uri, credentials_file
// and tls_*_file given as flags (--broker, --credentials-file, --tls-ca-file, --tls-cert-file,
// --tls-key-file). Checked as vigild checks them in its file; the errors name the flags.
std::vector<config_error> check_client_flags(const mqtt_settings& m);

// Why a file that holds a secret (password, private key) must not be used, or nullopt: it must
// be a regular file this process can read, and neither readable nor writable by others.
std::optional<std::string> secret_file_problem(const std::string& path);

}  // namespace vigil::settings
