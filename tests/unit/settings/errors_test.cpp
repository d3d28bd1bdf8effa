// One committed broken file per kind of error, each with the exact text an operator sees.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "settings/settings.hpp"

namespace vigil::settings {
namespace {

std::string data_file(const std::string& name) { return VIGIL_CONFIG_DATA_DIR "/" + name; }

std::vector<std::string> errors_of(const std::string& name) {
  load_result r = load_file(data_file(name));
  EXPECT_FALSE(r.settings.has_value()) << name << " loaded although it is broken";
  std::vector<std::string> texts;
  for (const auto& e : r.errors) texts.push_back(e.to_string());
  return texts;
}

TEST(config_errors_test, out_of_range_names_file_line_key_value_and_range) {
  std::string f = data_file("out_of_range.toml");
  EXPECT_EQ(errors_of("out_of_range.toml"),
            std::vector<std::string>{
                f + ":3: alarms.infusion.sbp_high_medium = 500: out of range, allowed 100..260"});
}

TEST(config_errors_test, wrong_type_names_the_expected_type) {
  std::string f = data_file("wrong_type.toml");
  EXPECT_EQ(errors_of("wrong_type.toml"),
            std::vector<std::string>{f + ":3: mqtt.keepalive_s = \"10\": wrong type, expected "
                                         "an integer, allowed 1..3600"});
}

TEST(config_errors_test, unknown_key_suggests_the_nearest_known_key) {
  std::string f = data_file("unknown_key.toml");
  EXPECT_EQ(errors_of("unknown_key.toml"),
            std::vector<std::string>{
                f + ":3: alarms.hr_hgh_high = 155: unknown key (did you mean hr_high_high?)"});
}

TEST(config_errors_test, unknown_table_suggests_the_nearest_known_table) {
  std::string f = data_file("unknown_table.toml");
  EXPECT_EQ(errors_of("unknown_table.toml"),
            std::vector<std::string>{f + ":4: alarm: unknown table (did you mean alarms?)"});
}

TEST(config_errors_test, syntax_error_names_line_and_column) {
  load_result r = load_file(data_file("syntax_error.toml"));
  ASSERT_EQ(r.errors.size(), 1u);
  const config_error& e = r.errors[0];
  EXPECT_EQ(e.line, 3u);
  EXPECT_GT(e.column, 0u);
  std::string where = data_file("syntax_error.toml") + ":3:" + std::to_string(e.column) + ": ";
  EXPECT_EQ(e.to_string().substr(0, where.size()), where);
  EXPECT_NE(e.message.find("syntax error: "), std::string::npos) << e.message;
}

TEST(config_errors_test, contradicting_limits_blame_the_key_that_was_written) {
  std::string f = data_file("cross_field.toml");
  EXPECT_EQ(errors_of("cross_field.toml"),
            (std::vector<std::string>{
                f + ":3: alarms.infusion.hr_high_medium = 160: must be <= hr_high_high "
                    "(default 150)",
                f + ":7: infusion.max_minutes = 60: must be >= infusion.min_minutes = 70"}));
}

TEST(config_errors_test, prefix_with_a_wildcard_is_refused) {
  std::string f = data_file("bad_prefix.toml");
  EXPECT_EQ(errors_of("bad_prefix.toml"),
            std::vector<std::string>{
                f + ":2: mqtt.prefix = \"clinic/#\": invalid topic prefix, allowed 1..128 "
                    "characters without + # spaces or empty levels, not starting with $ or /, "
                    "not ending with /"});
}

TEST(config_errors_test, instance_outside_the_bed_id_charset_is_refused) {
  std::string f = data_file("bad_instance.toml");
  EXPECT_EQ(errors_of("bad_instance.toml"),
            std::vector<std::string>{f + ":2: mqtt.instance = \"ward 3\": invalid instance name, "
                                         "allowed 1..64 characters of A-Z a-z 0-9 _ . -"});
}

TEST(config_errors_test, every_error_is_reported_at_once_in_file_order) {
  std::string f = data_file("many_errors.toml");
  EXPECT_EQ(errors_of("many_errors.toml"),
            (std::vector<std::string>{
                f + ":3: mqtt.broker_uri = \"http://broker:1883\": not a broker URI, allowed "
                    "scheme://host[:port] with scheme tcp, mqtt, ssl, mqtts, ws or wss and port "
                    "1..65535",
                f + ":4: mqtt.keepalive_s = 0: out of range, allowed 1..3600",
                f + ":7: daemon.log_level = \"verbose\": unknown log level, allowed trace, debug, "
                    "info, warn or error",
                f + ":10: alarms.sbp_rise_medium = true: wrong type, expected a number, allowed "
                    "5..100",
                f + ":13: alarms.recovery.nibp_interval = 900: unknown key (did you mean "
                    "nibp_interval_s?)",
                f + ":16: escalation.escalate_high_s = 0: out of range, allowed 1..3600"}));
}

TEST(config_errors_test, missing_file_is_one_error_naming_it) {
  std::string f = data_file("does_not_exist.toml");
  load_result r = load_file(f);
  EXPECT_FALSE(r.settings.has_value());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].to_string(), f + ": cannot read file: No such file or directory");
}

}  // namespace
}  // namespace vigil::settings

namespace vigil::settings {
namespace {

// Found by fuzz_settings: a 4 KiB broker URI overflowed the stack inside std::regex.
TEST(config_errors_test, an_overlong_broker_uri_is_an_error_not_a_crash) {
  const std::string text = "[mqtt]\nbroker_uri = \"tcp://" + std::string(100'000, 'F') + "\"\n";
  auto r = parse(text, "long.toml");
  ASSERT_FALSE(r.settings.has_value());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("too long (100006 characters), allowed at most 512"),
            std::string::npos)
      << r.errors[0].to_string();
}

}  // namespace
}  // namespace vigil::settings
