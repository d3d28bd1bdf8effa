// The broker flags of vigilctl and vigil-replay, checked with the very rules vigild applies
// to the same keys in its file, so a station and a gateway hear the same reasons.
#include <algorithm>
#include <array>

#include "settings/checks.hpp"
#include "settings/schema.hpp"

namespace vigil::settings {
namespace {

using namespace detail;

constexpr std::array<std::string_view, 5> flag_keys{"broker_uri", "credentials_file", "tls_ca_file",
                                                    "tls_cert_file", "tls_key_file"};

// "broker_uri" is contract.md's --broker; the others are their key with dashes.
std::string flag_of(std::string_view key) {
  if (key == "broker_uri") return "--broker";
  std::string flag = "--" + std::string{key};
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

}  // namespace

std::vector<config_error> check_client_flags(const mqtt_settings& m) {
  daemon_settings s;
  s.mqtt = m;
  std::vector<config_error> errors;
  for (auto key : flag_keys) {
    const auto* text = std::get_if<text_spec>(&find_global_key("mqtt", key)->kind);
    const auto value = text->get(s);
    if (!value) continue;
    if (auto problem = text->check(*value)) {
      errors.push_back({"command line", 0, 0, flag_of(key), toml_string(*value), *problem});
    }
  }
  if (!errors.empty()) return errors;  // the rules between flags say nothing new then
  for (auto& p : tls_problems(m, flag_of)) {
    const auto* text = std::get_if<text_spec>(&find_global_key("mqtt", p.key)->kind);
    errors.push_back({"command line", 0, 0, flag_of(p.key), toml_string(text->get(s).value_or("")),
                      std::move(p.message)});
  }
  return errors;
}

}  // namespace vigil::settings
