#include "settings/checks.hpp"

#include <arpa/inet.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <regex>

#include "settings/schema.hpp"  // toml_string

namespace vigil::settings::detail {
namespace {

constexpr std::array<std::string_view, 5> level_names = {"trace", "debug", "info", "warn", "error"};

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool is_name(std::string_view v, std::size_t max_size) {
  return !v.empty() && v.size() <= max_size && std::all_of(v.begin(), v.end(), is_name_char);
}

// stat() of a regular file this process may read, or why not.
std::optional<std::string> stat_readable(const std::string& path, struct stat& st) {
  if (::stat(path.c_str(), &st) != 0) return "cannot read: " + std::string{std::strerror(errno)};
  if (!S_ISREG(st.st_mode)) return std::string{"cannot read: not a regular file"};
  // access(), not open(): opening a FIFO named here would block the parser.
  if (::access(path.c_str(), R_OK) != 0) return "cannot read: " + std::string{std::strerror(errno)};
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_broker_uri(std::string_view v) {
  // libstdc++'s regex recurses per character: a long enough value overflows the stack (found
  // by fuzz_settings), so the length is checked first. No real broker URI comes near it.
  constexpr std::size_t max_uri = 512;
  if (v.size() > max_uri)
    return "too long (" + std::to_string(v.size()) + " characters), allowed at most " +
           std::to_string(max_uri);
  // The schemes Paho C 1.3 accepts; host is a name, IPv4 or bracketed IPv6.
  static const std::regex uri{
      R"(^(tcp|mqtt|ssl|mqtts|ws|wss)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(:([0-9]{1,5}))?(/[!-~]*)?$)"};
  std::match_results<std::string_view::const_iterator> m;
  bool ok = std::regex_match(v.begin(), v.end(), m, uri);
  if (ok && m[4].matched) {
    unsigned port = 0;
    std::from_chars(&*m[4].first, &*m[4].first + m[4].length(), port);
    ok = port >= 1 && port <= 65535;
  }
  if (ok) return std::nullopt;
  return "not a broker URI, allowed scheme://host[:port] with scheme tcp, mqtt, ssl, mqtts, ws "
         "or wss and port 1..65535";
}

std::optional<std::string> check_prefix(std::string_view v) {
  // Every topic is "{prefix}/..." and vigild subscribes with wildcards below it: a wildcard,
  // an empty level or a leading '$' (broker-reserved) would change what it subscribes to.
  bool ok = !v.empty() && v.size() <= 128 && v.front() != '/' && v.back() != '/' &&
            v.front() != '$' && v.find("//") == std::string_view::npos &&
            std::none_of(v.begin(), v.end(), [](char c) {
              return c == '+' || c == '#' || static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
            });
  if (ok) return std::nullopt;
  return "invalid topic prefix, allowed 1..128 characters without + # spaces or empty levels, "
         "not starting with $ or /, not ending with /";
}

std::optional<std::string> check_instance(std::string_view v) {
  if (is_name(v, 64)) return std::nullopt;
  return "invalid instance name, allowed 1..64 characters of A-Z a-z 0-9 _ . -";
}

std::optional<std::string> check_client_id(std::string_view v) {
  if (is_name(v, 128)) return std::nullopt;
  return "invalid client id, allowed 1..128 characters of A-Z a-z 0-9 _ . -";
}

std::optional<std::string> check_path(std::string_view v) {
  if (!v.empty() && v.find('\0') == std::string_view::npos) return std::nullopt;
  return "invalid path, allowed a non-empty path";
}

std::optional<std::string> check_optional_path(std::string_view v) {
  if (v.find('\0') == std::string_view::npos) return std::nullopt;
  return "invalid path, allowed \"\" (off) or a path";
}

std::optional<std::string> check_listen(std::string_view v) {
  if (v.empty() || settings::parse_listen_address(v)) return std::nullopt;
  return "not an address to listen on, allowed \"\" (off) or an IP address and port, e.g. "
         "\"127.0.0.1:9739\" or \"[::1]:9739\"";
}

std::optional<std::string> check_readable_file(std::string_view v) {
  if (auto problem = check_path(v)) return problem;
  struct stat st {};
  return stat_readable(std::string{v}, st);
}

std::optional<std::string> check_secret_file(std::string_view v) {
  if (auto problem = check_path(v)) return problem;
  return secret_file_problem(std::string{v});
}

std::vector<std::string_view> tls_keys_set(const mqtt_settings& m) {
  std::vector<std::string_view> keys;
  if (m.tls_ca_file) keys.emplace_back("tls_ca_file");
  if (m.tls_cert_file) keys.emplace_back("tls_cert_file");
  if (m.tls_key_file) keys.emplace_back("tls_key_file");
  return keys;
}

std::vector<key_problem> tls_problems(const mqtt_settings& m,
                                      std::string (*name)(std::string_view key)) {
  std::vector<key_problem> problems;
  if (!m.uses_tls()) {
    for (auto key : tls_keys_set(m)) {
      problems.push_back({key, "only used over TLS, but " + name("broker_uri") + " = " +
                                   toml_string(m.broker_uri) + " is not; use " +
                                   std::string{tls_schemes}});
    }
  } else if (m.tls_cert_file && !m.tls_key_file) {
    problems.push_back(
        {"tls_cert_file", "needs " + name("tls_key_file") + ", the certificate's private key"});
  } else if (m.tls_key_file && !m.tls_cert_file) {
    problems.push_back(
        {"tls_key_file", "needs " + name("tls_cert_file") + ", the certificate of this key"});
  }
  return problems;
}

std::optional<log_level> parse_log_level(std::string_view v) {
  auto it = std::find(level_names.begin(), level_names.end(), v);
  if (it == level_names.end()) return std::nullopt;
  return static_cast<log_level>(it - level_names.begin());
}

std::optional<std::string> check_log_level(std::string_view v) {
  if (parse_log_level(v)) return std::nullopt;
  return "unknown log level, allowed trace, debug, info, warn or error";
}

}  // namespace vigil::settings::detail

namespace vigil::settings {

std::optional<listen_address> parse_listen_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string host{text.substr(0, colon)};
  const std::string_view port = text.substr(colon + 1);
  const bool bracketed = host.front() == '[';
  if (bracketed) {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  }
  unsigned value = 0;
  const auto r = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || r.ec != std::errc{} || r.ptr != port.data() + port.size() || value > 65535) {
    return std::nullopt;
  }
  in6_addr buf{};
  const bool v4 = !bracketed && inet_pton(AF_INET, host.c_str(), &buf) == 1;
  const bool v6 = bracketed && inet_pton(AF_INET6, host.c_str(), &buf) == 1;
  if (!v4 && !v6) return std::nullopt;
  return listen_address{host, static_cast<std::uint16_t>(value)};
}

std::string_view to_string(log_level l) {
  return detail::level_names.at(static_cast<std::size_t>(l));
}

std::optional<std::string> secret_file_problem(const std::string& path) {
  struct stat st {};
  if (auto problem = detail::stat_readable(path, st)) return problem;
  const bool readable = (st.st_mode & S_IROTH) != 0;
  const bool writable = (st.st_mode & S_IWOTH) != 0;
  if (!readable && !writable) return std::nullopt;
  std::array<char, 8> mode{};
  std::snprintf(mode.data(), mode.size(), "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return "mode " + std::string{mode.data()} + ": " +
         (readable && writable ? "readable and writable"
          : readable           ? "readable"
                               : "writable") +
         " by others; chmod 600 or 640";
}

}  // namespace vigil::settings
