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
