// What a valid configuration turns into: defaults, per-phase overrides, units, command-line
// overrides, and describe() reading back to the same settings.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "scratch_dir.hpp"
#include "settings/settings.hpp"
#include "settings_equal.hpp"

namespace vigil::settings {
namespace {

using test::same;

daemon_settings parse_ok(std::string_view text) {
  load_result r = parse(text, "test.toml");
  for (const auto& e : r.errors) ADD_FAILURE() << e.to_string();
  return r.settings.value_or(daemon_settings{});
}

std::vector<std::string> parse_errors(std::string_view text) {
  load_result r = parse(text, "test.toml");
  EXPECT_FALSE(r.settings.has_value());
  std::vector<std::string> texts;
  for (const auto& e : r.errors) texts.push_back(e.to_string());
  return texts;
}

TEST(settings_test, empty_file_gives_every_default) {
  daemon_settings s = parse_ok("");
  EXPECT_TRUE(same(s, daemon_settings{}));
  EXPECT_TRUE(same(s.engine, core::engine_config{}));
  EXPECT_EQ(s.mqtt.client_id_or_default(), "vigild-default");
}

TEST(settings_test, shipped_file_equals_the_engine_defaults) {
  load_result r = load_file(VIGIL_SHIPPED_CONFIG);
  for (const auto& e : r.errors) ADD_FAILURE() << e.to_string();
  ASSERT_TRUE(r.settings.has_value());
  EXPECT_TRUE(same(r.settings->engine, core::engine_config{}));
  EXPECT_TRUE(same(*r.settings, daemon_settings{}));
}

// "table.key" for every key a TOML text sets or shows commented out; [alarms.<phase>] counts
// as [alarms].
std::set<std::string> keys_mentioned(const std::string& text) {
  static const std::regex table{R"(^\[([a-z_]+)(\.[a-z_]+)?\]$)"};
  static const std::regex key{R"(^(# )?([a-z_]+)( = | unset))"};
  std::set<std::string> keys;
  std::istringstream in{text};
  std::string line, current;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, table)) current = m[1];
    else if (std::regex_search(line, m, key)) keys.insert(current + "." + m[2].str());
  }
  return keys;
}

TEST(settings_test, shipped_file_lists_every_key) {
  std::ifstream in{VIGIL_SHIPPED_CONFIG};
  std::stringstream shipped;
  shipped << in.rdbuf();
  std::set<std::string> all = keys_mentioned(describe(daemon_settings{}));
  EXPECT_GT(all.size(), 40u);
  EXPECT_EQ(keys_mentioned(shipped.str()), all);
}

TEST(settings_test, phase_table_overrides_one_phase_only) {
  daemon_settings s = parse_ok("[alarms.infusion]\nsbp_high_high = 170\n");
  const auto& p = s.engine.phases;
  EXPECT_EQ(p[core::phase_index(core::phase::infusion)].limit(core::condition_id::sbp_high).high,
            170);
  EXPECT_EQ(p[core::phase_index(core::phase::idle)].limit(core::condition_id::sbp_high).high, 180);
  EXPECT_EQ(p[core::phase_index(core::phase::recovery)].limit(core::condition_id::sbp_high).high,
            180);
}

TEST(settings_test, phase_table_wins_over_alarms_whatever_the_order_in_the_file) {
  daemon_settings s =
      parse_ok("[alarms.recovery]\nhr_high_medium = 110\n\n[alarms]\nhr_high_medium = 130\n");
  const auto& p = s.engine.phases;
  EXPECT_EQ(p[core::phase_index(core::phase::recovery)].limit(core::condition_id::hr_high).medium,
            110);
  EXPECT_EQ(p[core::phase_index(core::phase::idle)].limit(core::condition_id::hr_high).medium, 130);
  EXPECT_EQ(p[core::phase_index(core::phase::infusion)].limit(core::condition_id::hr_high).medium,
            130);
}

TEST(settings_test, seconds_and_minutes_with_decimals_become_milliseconds) {
  daemon_settings s = parse_ok(
      "[alarms]\ncontinuous_persistence_s = 12.5\n[infusion]\nmin_minutes = 0.25\n"
      "max_minutes = 0.5\nrecovery_minutes = 1\n[daemon]\nstatus_interval_s = 2\n");
  for (const auto& p : s.engine.phases) EXPECT_EQ(p.continuous_persistence_ms, 12'500);
  EXPECT_EQ(s.engine.infusion_min_ms, 15'000);
  EXPECT_EQ(s.engine.infusion_max_ms, 30'000);
  EXPECT_EQ(s.engine.recovery_ms, 60'000);
  EXPECT_EQ(s.status_interval_ms, 2'000);
}

TEST(settings_test, decimal_for_an_integer_key_is_a_wrong_type) {
  EXPECT_EQ(parse_errors("[escalation]\nmax_level = 2.0\n"),
            std::vector<std::string>{"test.toml:2: escalation.max_level = 2.0: wrong type, "
                                     "expected an integer, allowed 1..10"});
}

TEST(settings_test, key_above_every_table_suggests_its_table) {
  EXPECT_EQ(parse_errors("prefix = \"ward3\"\n"),
            std::vector<std::string>{
                "test.toml:1: prefix = \"ward3\": unknown key (did you mean mqtt.prefix?)"});
}

TEST(settings_test, high_limit_equal_to_medium_is_accepted) {
  daemon_settings s = parse_ok("[alarms]\nhr_low_medium = 45\nhr_low_high = 45\n");
  EXPECT_EQ(s.engine.phases[0].limit(core::condition_id::hr_low).high, 45);
}

TEST(settings_test, contradiction_in_alarms_is_reported_once_not_per_phase) {
  EXPECT_EQ(parse_errors("[alarms]\nhr_high_high = 100\n"),
            std::vector<std::string>{"test.toml:2: alarms.hr_high_high = 100: must be >= "
                                     "hr_high_medium (default 120)"});
}

TEST(settings_test, invalid_value_is_not_also_reported_as_a_contradiction) {
  EXPECT_EQ(parse_errors("[alarms]\nhr_high_high = 20\n"),
            std::vector<std::string>{
                "test.toml:2: alarms.hr_high_high = 20: out of range, allowed 60..250"});
}

TEST(settings_test, overlapping_low_and_high_limits_are_refused) {
  EXPECT_EQ(parse_errors("[alarms.idle]\nsbp_low_medium = 120\nsbp_high_medium = 110\n"),
            std::vector<std::string>{"test.toml:3: alarms.idle.sbp_high_medium = 110: must be > "
                                     "alarms.idle.sbp_low_medium = 120"});
}

TEST(settings_test, overrides_replace_file_values_and_client_id_follows_instance) {
  daemon_settings s = parse_ok("[mqtt]\ninstance = \"a\"\n");
  EXPECT_TRUE(apply_overrides(s, {"tcp://10.0.0.5:1884", "site/ward3", "b"}).empty());
  EXPECT_EQ(s.mqtt.broker_uri, "tcp://10.0.0.5:1884");
  EXPECT_EQ(s.mqtt.prefix, "site/ward3");
  EXPECT_EQ(s.mqtt.instance, "b");
  EXPECT_EQ(s.mqtt.client_id_or_default(), "vigild-b");
}

TEST(settings_test, explicit_client_id_does_not_follow_instance) {
  daemon_settings s = parse_ok("[mqtt]\nclient_id = \"vigil-main\"\n");
  EXPECT_TRUE(apply_overrides(s, {std::nullopt, std::nullopt, "b"}).empty());
  EXPECT_EQ(s.mqtt.client_id_or_default(), "vigil-main");
}

TEST(settings_test, invalid_overrides_are_reported_and_not_applied) {
  daemon_settings s;
  std::vector<config_error> errors =
      apply_overrides(s, {"broker:1883", "clinic/+", std::string(65, 'x')});
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[1].to_string(),
            "command line: --prefix = \"clinic/+\": invalid topic prefix, allowed 1..128 "
            "characters without + # spaces or empty levels, not starting with $ or /, not "
            "ending with /");
  EXPECT_EQ(errors[0].key, "--broker");
  EXPECT_EQ(errors[2].key, "--instance");
  EXPECT_TRUE(same(s, daemon_settings{}));
}

TEST(settings_test, describe_of_defaults_reads_back_to_defaults) {
  daemon_settings s = parse_ok(describe(daemon_settings{}));
  EXPECT_TRUE(same(s, daemon_settings{}));
}

TEST(settings_test, describe_reads_back_to_the_same_non_default_settings) {
  test::scratch_dir dir;  // the file keys name files that must exist
  daemon_settings s;
  s.mqtt = {"ssl://broker.example:8883",
            "vigil-a",
            "site/ward3",
            "ward3",
            30,
            0,
            2,
            30,
            dir.file("creds", "vigild\npw\n", 0600),
            dir.file("ca.crt", "", 0644),
            dir.file("vigild.crt", "", 0644),
            dir.file("vigild.key", "", 0640)};
  s.log_level = log_level::debug;
  s.state_dir = "/tmp/vigil state";
  s.recording = {true, "/tmp/rec"};
  s.status_interval_ms = 1'500;
  s.store = {"postgresql://vigil@db.example:5433/vigil?sslmode=verify-full",
             dir.file("pg", "vigil\npw\n", 0600)};
  auto& infusion = s.engine.phases[core::phase_index(core::phase::infusion)];
  infusion.limit(core::condition_id::sbp_high) = {150, 170.5};
  infusion.continuous_persistence_ms = 7'250;
  s.engine.phases[0].limit(core::condition_id::hr_low) = {45, 35};
  s.engine.infusion_min_ms = 1'000;  // 1/60 minute: no exact decimal
  s.engine.infusion_max_ms = 20'000;
  s.engine.recovery_ms = 45'000;
  s.engine.escalation_max_level = 5;
  s.engine.baseline_elevated_diastolic = 85;

  std::string text = describe(s);
  load_result r = parse(text, "described.toml");
  for (const auto& e : r.errors) ADD_FAILURE() << e.to_string() << "\n" << text;
  ASSERT_TRUE(r.settings.has_value());
  EXPECT_TRUE(same(*r.settings, s)) << text;
}

TEST(settings_test, describe_shows_the_client_id_derived_from_the_instance) {
  daemon_settings s;
  s.mqtt.instance = "ward7";
  EXPECT_NE(describe(s).find("\"vigild-ward7\""), std::string::npos) << describe(s);
}

TEST(settings_test, describe_shows_the_store_url_derived_from_state_dir) {
  daemon_settings s;
  s.state_dir = "/srv/vigil";
  EXPECT_NE(describe(s).find("# url unset: \"sqlite:///srv/vigil/vigil.db\", follows state_dir"),
            std::string::npos)
      << describe(s);
}

TEST(settings_test, a_pair_shares_the_leader_client_id_and_each_standby_has_its_own) {
  daemon_settings a;
  a.store.url = "postgresql://db/vigil";
  a.mqtt.prefix = "site/ward 3";
  a.mqtt.instance = "a";
  daemon_settings b = a;
  b.mqtt.instance = "b";
  EXPECT_EQ(leader_client_id(a), "vigild-site_ward_3");
  EXPECT_EQ(leader_client_id(a), leader_client_id(b)) << "the new leader resumes the session";
  EXPECT_EQ(standby_client_id(a), "vigild-site_ward_3-standby-a");
  EXPECT_NE(standby_client_id(a), standby_client_id(b));
  a.mqtt.client_id = "vigild-w3";
  EXPECT_EQ(leader_client_id(a), "vigild-w3");
  daemon_settings alone;  // SQLite: the id follows the instance, as before
  alone.mqtt.instance = "ward7";
  EXPECT_EQ(leader_client_id(alone), "vigild-ward7");
  EXPECT_NE(describe(b).find("\"vigild-site_ward_3\", the same on every member of the pair"),
            std::string::npos)
      << describe(b);
}

}  // namespace
}  // namespace vigil::settings
