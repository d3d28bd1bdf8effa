// Validators for the text keys, shared by the file parser and the command-line overrides so a
// value is accepted or refused the same way wherever it comes from.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "settings/settings.hpp"

namespace vigil::settings::detail {

std::optional<std::string> check_broker_uri(std::string_view v);
std::optional<std::string> check_prefix(std::string_view v);
std::optional<std::string> check_instance(std::string_view v);
std::optional<std::string> check_client_id(std::string_view v);
std::optional<std::string> check_path(std::string_view v);
std::optional<std::string> check_log_level(std::string_view v);

std::optional<log_level> parse_log_level(std::string_view v);

}  // namespace vigil::settings::detail
