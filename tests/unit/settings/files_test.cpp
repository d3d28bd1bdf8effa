// The keys that name files: the credentials file and the TLS files. They are checked when the
// configuration is read, so vigild --check-config reports a secret others can read, a missing
// certificate or a TLS file that a plain tcp:// broker_uri would silently ignore.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scratch_dir.hpp"
#include "settings/settings.hpp"

namespace vigil::settings {
namespace {

using test::scratch_dir;

std::vector<std::string> errors_of(const std::string& text) {
  load_result r = parse(text, "test.toml");
  EXPECT_FALSE(r.settings.has_value()) << text;
  std::vector<std::string> texts;
  for (const auto& e : r.errors) texts.push_back(e.to_string());
  return texts;
}

daemon_settings parse_ok(const std::string& text) {
  load_result r = parse(text, "test.toml");
  for (const auto& e : r.errors) ADD_FAILURE() << e.to_string();
  return r.settings.value_or(daemon_settings{});
}

std::string credentials(const std::string& path) {
  return "[mqtt]\ncredentials_file = \"" + path + "\"\n";
}

std::string tls(const std::string& uri, const std::string& keys) {
  return "[mqtt]\nbroker_uri = \"" + uri + "\"\n" + keys;
}

TEST(store_keys_test, a_store_url_is_sqlite_with_an_absolute_path_or_postgresql) {
  EXPECT_EQ(parse_ok("[store]\nurl = \"sqlite:///srv/v.db\"\n").store.url, "sqlite:///srv/v.db");
  EXPECT_EQ(parse_ok("[store]\nurl = \"postgresql://vigil@db:5433/vigil?sslmode=verify-full\"\n")
                .store.url,
            "postgresql://vigil@db:5433/vigil?sslmode=verify-full");
  EXPECT_EQ(parse_ok("[store]\nurl = \"postgres://db/vigil\"\n").store.url, "postgres://db/vigil");
  const std::string allowed =
      "allowed \"sqlite:///absolute/path.db\" or \"postgresql://[user@]host[:port]/database"
      "[?param=value&...]\"";
  EXPECT_EQ(errors_of("[store]\nurl = \"sqlite://rel.db\"\n"),
            std::vector<std::string>{"test.toml:2: store.url = \"sqlite://rel.db\": not an "
                                     "absolute file path after sqlite://, " +
                                     allowed});
  EXPECT_EQ(errors_of("[store]\nurl = \"mysql://db/vigil\"\n"),
            std::vector<std::string>{"test.toml:2: store.url = \"mysql://db/vigil\": not a store "
                                     "URL, " +
                                     allowed});
}

TEST(store_keys_test, a_password_in_the_url_is_refused) {
  for (const std::string url :
       {"postgresql://vigil:secret@db/vigil", "postgresql://db/vigil?user=vigil&password=secret"}) {
    const auto errors = errors_of("[store]\nurl = \"" + url + "\"\n");
    ASSERT_EQ(errors.size(), 1u) << url;
    EXPECT_NE(errors[0].find("holds a password; put the user and password in "
                             "store.credentials_file"),
              std::string::npos)
        << errors[0];
  }
  // A ':' after the '@' is the port, not a password.
  EXPECT_TRUE(parse_ok("[store]\nurl = \"postgresql://vigil@db:5432/vigil\"\n").store.url);
}

TEST(store_keys_test, store_credentials_are_a_secret_file_and_only_for_postgresql) {
  scratch_dir dir;
  const auto p = dir.file("pg", "vigil\nsecret\n", 0600);
  const auto pg = "[store]\nurl = \"postgresql://db/vigil\"\ncredentials_file = \"" + p + "\"\n";
  EXPECT_EQ(parse_ok(pg).store.credentials_file, p);
  const auto open = dir.file("pg-open", "vigil\nsecret\n", 0644);
  EXPECT_EQ(
      errors_of("[store]\nurl = \"postgresql://db/vigil\"\ncredentials_file = \"" + open + "\"\n"),
      std::vector<std::string>{"test.toml:3: store.credentials_file = \"" + open +
                               "\": mode 0644: readable by others; chmod 600 or 640"});
  EXPECT_EQ(
      errors_of("[daemon]\nstate_dir = \"/srv/v\"\n[store]\ncredentials_file = \"" + p + "\"\n"),
      std::vector<std::string>{"test.toml:4: store.credentials_file = \"" + p +
                               "\": only used with a postgresql:// store.url, but the "
                               "store is \"sqlite:///srv/v/vigil.db\""});
}

TEST(store_keys_test, read_credentials_gives_user_and_password_or_names_the_file) {
  scratch_dir dir;
  const auto c =
      read_credentials(dir.file("pg", "vigil\r\ns3cret\n", 0600), "store.credentials_file");
  EXPECT_EQ(c.user, "vigil");
  EXPECT_EQ(c.password, "s3cret");
  const auto one_line = dir.file("one", "vigil\n", 0600);
  try {
    read_credentials(one_line, "store.credentials_file");
    ADD_FAILURE() << "a file without a password line was taken";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "store.credentials_file " + one_line +
                                         ": cannot read a user name line and a password line");
  }
}

TEST(secret_file_test, credentials_readable_by_others_are_refused_with_path_and_mode) {
  scratch_dir dir;
  const auto p = dir.file("creds", "vigild\nsecret\n", 0644);
  EXPECT_EQ(errors_of(credentials(p)),
            std::vector<std::string>{"test.toml:2: mqtt.credentials_file = \"" + p +
                                     "\": mode 0644: readable by others; chmod 600 or 640"});
}

TEST(secret_file_test, credentials_writable_by_others_are_refused) {
  scratch_dir dir;
  const auto p = dir.file("creds", "vigild\nsecret\n", 0602);
  EXPECT_EQ(errors_of(credentials(p)),
            std::vector<std::string>{"test.toml:2: mqtt.credentials_file = \"" + p +
                                     "\": mode 0602: writable by others; chmod 600 or 640"});
}

TEST(secret_file_test, owner_only_and_group_readable_credentials_are_accepted) {
  scratch_dir dir;
  for (mode_t mode : {0600, 0640, 0400}) {
    const auto p = dir.file("creds", "vigild\nsecret\n", mode);
    EXPECT_EQ(parse_ok(credentials(p)).mqtt.credentials_file, p) << std::oct << mode;
  }
}

TEST(secret_file_test, secret_file_problem_names_both_kinds_of_access) {
  scratch_dir dir;
  EXPECT_EQ(secret_file_problem(dir.file("k", "", 0666)),
            "mode 0666: readable and writable by others; chmod 600 or 640");
  EXPECT_EQ(secret_file_problem(dir.file("k", "", 0660)), std::nullopt);
}

TEST(secret_file_test, missing_credentials_file_is_an_error_of_its_line) {
  scratch_dir dir;
  const auto p = dir.path("absent");
  EXPECT_EQ(errors_of(credentials(p)),
            std::vector<std::string>{"test.toml:2: mqtt.credentials_file = \"" + p +
                                     "\": cannot read: No such file or directory"});
}

TEST(secret_file_test, a_directory_is_not_a_credentials_file) {
  scratch_dir dir;
  EXPECT_EQ(errors_of(credentials(dir.path(""))),
            std::vector<std::string>{"test.toml:2: mqtt.credentials_file = \"" + dir.path("") +
                                     "\": cannot read: not a regular file"});
}

TEST(tls_settings_test, ssl_uri_without_files_verifies_against_the_system_trust_store) {
  daemon_settings s = parse_ok(tls("ssl://broker.example:8883", ""));
  EXPECT_TRUE(s.mqtt.uses_tls());
  EXPECT_EQ(s.mqtt.tls_ca_file, std::nullopt);
}

TEST(tls_settings_test, ssl_mqtts_and_wss_are_tls_and_tcp_mqtt_ws_are_not) {
  for (const char* uri : {"ssl://b:8883", "mqtts://b:8883", "wss://b:443"}) {
    EXPECT_TRUE(parse_ok(tls(uri, "")).mqtt.uses_tls()) << uri;
  }
  for (const char* uri : {"tcp://b:1883", "mqtt://b:1883", "ws://b:9001"}) {
    EXPECT_FALSE(parse_ok(tls(uri, "")).mqtt.uses_tls()) << uri;
  }
}

TEST(tls_settings_test, ca_certificate_and_key_files_are_taken_when_they_exist) {
  scratch_dir dir;
  const auto ca = dir.file("ca.crt", "", 0644);
  const auto cert = dir.file("c.crt", "", 0644);
  const auto key = dir.file("c.key", "", 0600);
  daemon_settings s =
      parse_ok(tls("mqtts://b:8883", "tls_ca_file = \"" + ca + "\"\ntls_cert_file = \"" + cert +
                                         "\"\ntls_key_file = \"" + key + "\"\n"));
  EXPECT_EQ(s.mqtt.tls_ca_file, ca);
  EXPECT_EQ(s.mqtt.tls_cert_file, cert);
  EXPECT_EQ(s.mqtt.tls_key_file, key);
}

TEST(tls_settings_test, missing_ca_file_is_an_error_of_its_line) {
  scratch_dir dir;
  const auto ca = dir.path("ca.crt");
  EXPECT_EQ(errors_of(tls("ssl://b:8883", "tls_ca_file = \"" + ca + "\"\n")),
            std::vector<std::string>{"test.toml:3: mqtt.tls_ca_file = \"" + ca +
                                     "\": cannot read: No such file or directory"});
}

TEST(tls_settings_test, private_key_readable_by_others_is_refused) {
  scratch_dir dir;
  const auto cert = dir.file("c.crt", "", 0644);
  const auto key = dir.file("c.key", "", 0644);
  EXPECT_EQ(errors_of(tls("ssl://b:8883",
                          "tls_cert_file = \"" + cert + "\"\ntls_key_file = \"" + key + "\"\n")),
            std::vector<std::string>{"test.toml:4: mqtt.tls_key_file = \"" + key +
                                     "\": mode 0644: readable by others; chmod 600 or 640"});
}

TEST(tls_settings_test, tls_file_with_a_plain_broker_uri_is_refused) {
  scratch_dir dir;
  const auto ca = dir.file("ca.crt", "", 0644);
  EXPECT_EQ(errors_of(tls("tcp://b:1883", "tls_ca_file = \"" + ca + "\"\n")),
            std::vector<std::string>{"test.toml:3: mqtt.tls_ca_file = \"" + ca +
                                     "\": only used over TLS, but mqtt.broker_uri = "
                                     "\"tcp://b:1883\" is not; use ssl://, mqtts:// or wss://"});
}

TEST(tls_settings_test, certificate_without_key_and_key_without_certificate_are_refused) {
  scratch_dir dir;
  const auto cert = dir.file("c.crt", "", 0644);
  const auto key = dir.file("c.key", "", 0600);
  EXPECT_EQ(errors_of(tls("ssl://b:8883", "tls_cert_file = \"" + cert + "\"\n")),
            std::vector<std::string>{"test.toml:3: mqtt.tls_cert_file = \"" + cert +
                                     "\": needs mqtt.tls_key_file, the certificate's private "
                                     "key"});
  EXPECT_EQ(errors_of(tls("ssl://b:8883", "tls_key_file = \"" + key + "\"\n")),
            std::vector<std::string>{"test.toml:3: mqtt.tls_key_file = \"" + key +
                                     "\": needs mqtt.tls_cert_file, the certificate of this "
                                     "key"});
}

TEST(tls_settings_test, broker_flag_may_change_the_broker_but_not_drop_tls) {
  scratch_dir dir;
  const auto ca = dir.file("ca.crt", "", 0644);
  const std::string text = tls("ssl://b:8883", "tls_ca_file = \"" + ca + "\"\n");

  daemon_settings s = parse_ok(text);
  EXPECT_TRUE(apply_overrides(s, {"ssl://other:18883", {}, {}}).empty());
  EXPECT_EQ(s.mqtt.broker_uri, "ssl://other:18883");

  daemon_settings plain = parse_ok(text);
  const auto errors = apply_overrides(plain, {"tcp://other:1883", {}, {}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].to_string(),
            "command line: --broker = \"tcp://other:1883\": not TLS, but mqtt.tls_ca_file is "
            "set; use ssl://, mqtts:// or wss://");
}

std::vector<std::string> flag_errors(const mqtt_settings& m) {
  std::vector<std::string> texts;
  for (const auto& e : check_client_flags(m)) texts.push_back(e.to_string());
  return texts;
}

TEST(client_flags_test, tools_flags_are_checked_like_the_keys_and_named_as_flags) {
  scratch_dir dir;
  mqtt_settings m;
  m.broker_uri = "ssl://b:8883";
  m.credentials_file = dir.file("station", "dashboard-1\nsecret\n", 0604);
  m.tls_ca_file = dir.path("absent.crt");
  EXPECT_EQ(flag_errors(m), (std::vector<std::string>{
                                "command line: --credentials-file = \"" + *m.credentials_file +
                                    "\": mode 0604: readable by others; chmod 600 or 640",
                                "command line: --tls-ca-file = \"" + *m.tls_ca_file +
                                    "\": cannot read: No such file or directory"}));
}

TEST(client_flags_test, tools_tls_flags_need_a_tls_broker_and_a_certificate_its_key) {
  scratch_dir dir;
  mqtt_settings m;
  m.tls_ca_file = dir.file("ca.crt", "", 0644);
  EXPECT_EQ(flag_errors(m), std::vector<std::string>{
                                "command line: --tls-ca-file = \"" + *m.tls_ca_file +
                                "\": only used over TLS, but --broker = \"tcp://127.0.0.1:1883\" "
                                "is not; use ssl://, mqtts:// or wss://"});
  m.broker_uri = "mqtts://b:8883";
  m.tls_cert_file = dir.file("c.crt", "", 0644);
  EXPECT_EQ(flag_errors(m),
            std::vector<std::string>{"command line: --tls-cert-file = \"" + *m.tls_cert_file +
                                     "\": needs --tls-key-file, the certificate's private key"});
  m.tls_key_file = dir.file("c.key", "", 0600);
  EXPECT_EQ(flag_errors(m), std::vector<std::string>{});
}

}  // namespace
}  // namespace vigil::settings
