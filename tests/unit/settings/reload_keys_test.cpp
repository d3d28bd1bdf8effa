#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "settings/settings.hpp"

namespace vigil::settings {
namespace {

daemon_settings parse_ok(std::string_view text) {
  load_result r = parse(text, "test.toml");
  for (const auto& e : r.errors) ADD_FAILURE() << e.to_string();
  return r.settings.value_or(daemon_settings{});
}

using keys = std::vector<std::string>;

TEST(reload_keys_test, the_same_settings_need_nothing) {
  EXPECT_EQ(keys_needing_restart(parse_ok(""), parse_ok("")), keys{});
}

TEST(reload_keys_test, what_the_daemon_applies_needs_no_restart) {
  const auto next = parse_ok(
      "[daemon]\nlog_level = \"debug\"\nstatus_interval_s = 5\n"
      "[alarms]\nhr_high_medium = 130\n[escalation]\nack_silence_s = 60\n"
      "[infusion]\nrecovery_minutes = 30\n[baseline]\nelevated_systolic = 150\n");
  EXPECT_EQ(keys_needing_restart(parse_ok(""), next), keys{});
}

TEST(reload_keys_test, connection_identity_and_files_need_a_restart_each_named) {
  const auto next = parse_ok(
      "[mqtt]\nbroker_uri = \"tcp://10.0.0.9:1883\"\nkeepalive_s = 30\nreconnect_max_s = 90\n"
      "instance = \"ward-b\"\n"
      "[daemon]\nstate_dir = \"/tmp/elsewhere\"\n[recording]\nenabled = true\n");
  EXPECT_EQ(keys_needing_restart(parse_ok(""), next),
            (keys{"mqtt.broker_uri", "mqtt.instance", "mqtt.keepalive_s", "mqtt.reconnect_max_s",
                  "daemon.state_dir", "recording.enabled"}));
}

TEST(reload_keys_test, setting_an_unset_key_needs_a_restart) {
  const auto next = parse_ok("[mqtt]\nclient_id = \"vigild-7\"\n");
  EXPECT_EQ(keys_needing_restart(parse_ok(""), next), keys{"mqtt.client_id"});
}

}  // namespace
}  // namespace vigil::settings

namespace vigil::settings {
namespace {

std::vector<std::string> errors_of(std::string_view text) {
  load_result r = parse(text, "test.toml");
  std::vector<std::string> out;
  for (const auto& e : r.errors) out.push_back(e.to_string());
  return out;
}

TEST(metrics_listen_test, defaults_to_loopback_and_takes_an_address_or_nothing) {
  EXPECT_EQ(parse_ok("").metrics.listen, "127.0.0.1:9739");
  EXPECT_EQ(parse_ok("[metrics]\nlisten = \"\"\n").metrics.listen, "");
  EXPECT_EQ(parse_ok("[metrics]\nlisten = \"[::1]:9100\"\n").metrics.listen, "[::1]:9100");
  EXPECT_EQ(parse_ok("[metrics]\nlisten = \"0.0.0.0:9739\"\n").metrics.listen, "0.0.0.0:9739");
}

TEST(metrics_listen_test, a_name_or_a_bad_port_is_an_error_naming_the_key_and_what_is_allowed) {
  EXPECT_EQ(errors_of("[metrics]\nlisten = \"localhost:9739\"\n"),
            std::vector<std::string>{
                "test.toml:2: metrics.listen = \"localhost:9739\": not an address to listen on, "
                "allowed \"\" (off) or an IP address and port, e.g. \"127.0.0.1:9739\" or "
                "\"[::1]:9739\""});
  EXPECT_EQ(errors_of("[metrics]\nlisten = \"127.0.0.1:70000\"\n").size(), 1u);
  EXPECT_EQ(errors_of("[metrics]\nlisten = \"::1:9739\"\n").size(), 1u);  // v6 needs brackets
}

TEST(metrics_listen_test, parse_listen_address_splits_host_and_port) {
  const auto a = parse_listen_address("127.0.0.1:9739");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 9739);
  const auto b = parse_listen_address("[::1]:0");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->host, "::1");
  EXPECT_EQ(b->port, 0);
  EXPECT_FALSE(parse_listen_address("127.0.0.1").has_value());
  EXPECT_FALSE(parse_listen_address(":9739").has_value());
  EXPECT_FALSE(parse_listen_address("127.0.0.1:").has_value());
}

TEST(json_view_test, off_by_default_and_a_restart_key) {
  EXPECT_FALSE(parse_ok("").mqtt.json_view);
  const auto on = parse_ok("[mqtt]\njson_view = true\n");
  EXPECT_TRUE(on.mqtt.json_view);
  EXPECT_EQ(keys_needing_restart(parse_ok(""), on), keys{"mqtt.json_view"});
}

}  // namespace
}  // namespace vigil::settings
