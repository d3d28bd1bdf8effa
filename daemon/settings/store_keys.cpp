// The [store] keys (README "Running a pair"), the ids a pair's members use on the broker, and
// reading a credentials file (shared by [mqtt] and [store]).
#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "settings/checks.hpp"
#include "settings/settings.hpp"

namespace vigil::settings {

bool is_postgres_url(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

bool store_settings::shared() const { return url && is_postgres_url(*url); }

namespace detail {

std::optional<std::string> check_store_url(std::string_view v) {
  constexpr const char* allowed =
      "allowed \"sqlite:///absolute/path.db\" or \"postgresql://[user@]host[:port]/database"
      "[?param=value&...]\"";
  if (v.find('\0') != std::string_view::npos) return std::string("invalid URL, ") + allowed;
  if (v.starts_with("sqlite://")) {
    const auto path = v.substr(9);
    if (path.size() > 1 && path.front() == '/' && path.back() != '/') return std::nullopt;
    return std::string("not an absolute file path after sqlite://, ") + allowed;
  }
  if (!is_postgres_url(v)) return std::string("not a store URL, ") + allowed;
  // The configuration file is readable by every local user (it is a conffile); the password
  // belongs in a file only vigild reads.
  const auto rest = v.substr(v.find("://") + 3);
  const auto at = rest.find('@');
  const auto authority_end = rest.find_first_of("/?");
  const bool password_in_userinfo = at != std::string_view::npos && at < authority_end &&
                                    rest.substr(0, at).find(':') != std::string_view::npos;
  if (password_in_userinfo || v.find("password=") != std::string_view::npos) {
    return "holds a password; put the user and password in store.credentials_file (or "
           "systemd's LoadCredential=) instead";
  }
  return std::nullopt;
}

}  // namespace detail

std::string leader_client_id(const daemon_settings& s) {
  if (s.mqtt.client_id) return *s.mqtt.client_id;
  if (!s.store.shared()) return s.mqtt.client_id_or_default();
  std::string id = "vigild-" + s.mqtt.prefix;
  std::replace_if(
      id.begin() + 7, id.end(),
      [](char c) { return !(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.'); },
      '_');
  return id;
}

std::string standby_client_id(const daemon_settings& s) {
  return leader_client_id(s) + "-standby-" + s.mqtt.instance;
}

namespace {
// A file edited on Windows ends its lines in "\r\n"; the '\r' is no part of the password.
void drop_carriage_return(std::string& line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
}
}  // namespace

credentials read_credentials(const std::string& path, std::string_view key) {
  // The settings refused an exposed file already; checked again here, where it is read, so no
  // caller can hand over a password others could have read or replaced.
  if (auto problem = secret_file_problem(path)) {
    throw std::runtime_error(std::string(key) + " " + path + ": " + *problem);
  }
  std::ifstream in(path);
  credentials c;
  if (!in || !std::getline(in, c.user) || !std::getline(in, c.password)) c.user.clear();
  drop_carriage_return(c.user);
  drop_carriage_return(c.password);
  if (c.user.empty()) {
    throw std::runtime_error(std::string(key) + " " + path +
                             ": cannot read a user name line and a password line");
  }
  return c;
}

}  // namespace vigil::settings
