// vigil-gateway.toml: every key read, every error reported at once with its line, and the
// effective configuration printed so that it reads back the same.
#include <gtest/gtest.h>

#include "settings/gateway_settings.hpp"

namespace vigil::settings {
namespace {

const char* full = R"(
[mqtt]
broker_uri = "tcp://broker.example:1883"
prefix = "site/ward3"
instance = "gw1"
[daemon]
log_level = "debug"
state_dir = "/srv/gw"
[metrics]
listen = ""
[mllp]
listen = "0.0.0.0:2575"
max_frame_bytes = 65536
frame_timeout_s = 5
idle_timeout_s = 60
max_connections = 8
[senders.default]
report_interval_s = 30
[senders.icu]
application = "PAT_DEVICE_PHILIPS_C"
time_zone = "Europe/Berlin"
report_interval_s = 10
offline_after_s = 25
hr_fallbacks = ["spo2", "arterial"]
x_with_value_is_valid = true
[beds]
"HO Surgery^OR^1" = "or-1"
"3 WEST ICU^3001^1" = "icu-3001-1"
[alert_manager]
address = "am.example:3000"
receiving_application = "AM"
request_status = true
)";

TEST(gateway_settings_test, every_key_is_read) {
  const auto r = parse_gateway(full, "gw.toml");
  ASSERT_TRUE(r.settings) << (r.errors.empty() ? "" : r.errors[0].to_string());
  const auto& g = *r.settings;
  EXPECT_EQ(g.mqtt.prefix, "site/ward3");
  EXPECT_EQ(g.client_id(), "vigil-gateway-gw1");
  EXPECT_EQ(g.mllp.listen, "0.0.0.0:2575");
  EXPECT_EQ(g.mllp.max_frame_bytes, 65'536u);
  EXPECT_EQ(g.mllp.frame_timeout_ms, 5'000);
  ASSERT_EQ(g.mapping.senders.size(), 1u);
  const auto& icu = g.mapping.senders[0];
  EXPECT_EQ(icu.application, "PAT_DEVICE_PHILIPS_C");
  EXPECT_EQ(icu.time_zone, "Europe/Berlin");
  EXPECT_EQ(icu.hr_fallbacks,
            (std::vector<hl7::hr_source>{hl7::hr_source::spo2, hl7::hr_source::arterial}));
  EXPECT_TRUE(icu.x_with_value_is_valid);
  EXPECT_EQ(g.timing_of("icu").report_interval_ms, 10'000u);
  EXPECT_EQ(g.timing_of("icu").offline_after_ms, 25'000);
  EXPECT_EQ(g.timing_of("default").report_interval_ms, 30'000u);
  EXPECT_EQ(g.timing_of("default").offline_after_ms, 90'000) << "3 x the interval by default";
  EXPECT_EQ(g.timing_of("unknown").report_interval_ms, 30'000u) << "the default sender's";
  EXPECT_EQ(g.mapping.beds.at("HO Surgery^OR^1"), "or-1");
  EXPECT_EQ(g.alert_manager.address, "am.example:3000");
  EXPECT_TRUE(g.alert_manager.request_status);
}

TEST(gateway_settings_test, the_printed_configuration_reads_back_the_same) {
  const auto first = parse_gateway(full, "gw.toml");
  ASSERT_TRUE(first.settings);
  const auto text = describe(*first.settings);
  const auto second = parse_gateway(text, "described");
  ASSERT_TRUE(second.settings) << second.errors.at(0).to_string() << "\n" << text;
  EXPECT_EQ(describe(*second.settings), text);
}

TEST(gateway_settings_test, the_defaults_alone_are_a_valid_configuration) {
  const auto r = parse_gateway("", "empty.toml");
  ASSERT_TRUE(r.settings);
  EXPECT_EQ(r.settings->mllp.listen, "127.0.0.1:2575");
  EXPECT_EQ(r.settings->timing_of("x").report_interval_ms, 60'000u);
  EXPECT_TRUE(r.settings->alert_manager.address.empty());
}

TEST(gateway_settings_test, every_error_is_reported_at_once_with_its_line) {
  const auto r = parse_gateway(R"([mllp]
listen = "nowhere"
max_conections = 3
[senders.icu]
time_zone = "Mars/Olympus"
[senders.ward]
application = "X"
hr_fallbacks = ["ecg", "spo2"]
[beds]
"ICU^1^1" = "bed one"
[alert_manager]
address = "am.example"
)",
                               "bad.toml");
  EXPECT_FALSE(r.settings);
  std::vector<std::string> seen;
  for (const auto& e : r.errors) seen.push_back(std::to_string(e.line) + " " + e.key);
  EXPECT_EQ(seen, (std::vector<std::string>{"2 mllp.listen", "3 mllp.max_conections",
                                            "4 senders.icu.application", "5 senders.icu.time_zone",
                                            "8 senders.ward.hr_fallbacks", "10 beds.\"ICU^1^1\"",
                                            "12 alert_manager.address"}));
}

TEST(gateway_settings_test, two_senders_with_one_msh3_are_refused) {
  const auto r = parse_gateway(
      "[senders.a]\napplication = \"X\"\n[senders.b]\napplication = \"X\"\n", "dup.toml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("already"), std::string::npos) << r.errors[0].message;
}

TEST(gateway_settings_test, a_file_that_cannot_be_read_is_one_error_naming_it) {
  const auto r = load_gateway_file("/nonexistent/gw.toml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].file, "/nonexistent/gw.toml");
}

}  // namespace
}  // namespace vigil::settings
