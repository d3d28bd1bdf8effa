// Validators for the text keys, shared by the file parser and the command-line overrides so a
// value is accepted or refused the same way wherever it comes from.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "settings/settings.hpp"

namespace vigil::settings::detail {

std::optional<std::string> check_broker_uri(std::string_view v);
std::optional<std::string> check_prefix(std::string_view v);
std::optional<std::string> check_instance(std::string_view v);
std::optional<std::string> check_client_id(std::string_view v);
std::optional<std::string> check_path(std::string_view v);
std::optional<std::string> check_optional_path(std::string_view v);  // "" (off) or a path
std::optional<std::string> check_listen(std::string_view v);         // "" or an IP address:port
std::optional<std::string> check_log_level(std::string_view v);
// A path to a regular file this process can read: checked when the file is named, so an
// operator learns of a missing certificate from --check-config, not from a failed handshake.
std::optional<std::string> check_readable_file(std::string_view v);
// Also neither readable nor writable by others (secret_file_problem).
std::optional<std::string> check_secret_file(std::string_view v);
// [store] url: "sqlite:///abs/path" or a PostgreSQL URI without a password.
std::optional<std::string> check_store_url(std::string_view v);

// The [mqtt] keys of TLS files that are set ("tls_ca_file", ...), for the rule that they need
// a TLS broker_uri: the one rule --broker can break in a file that was valid on its own.
std::vector<std::string_view> tls_keys_set(const mqtt_settings& m);

struct key_problem {
  std::string_view key;  // the [mqtt] key to blame, e.g. "tls_cert_file"
  std::string message;
};
// The rules between broker_uri and the TLS keys: a TLS file with a plain broker_uri would
// silently go unused (and the password go out in clear); a client certificate is useless
// without its private key, and the reverse. `name` spells a key the way its user wrote it
// ("mqtt.tls_key_file" in a file, "--tls-key-file" on a command line).
std::vector<key_problem> tls_problems(const mqtt_settings& m,
                                      std::string (*name)(std::string_view key));
inline constexpr std::string_view tls_schemes = "ssl://, mqtts:// or wss://";

std::optional<log_level> parse_log_level(std::string_view v);

}  // namespace vigil::settings::detail
