#include "codec/codec.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "samples.hpp"

namespace vigil::codec {
namespace {

using namespace test;

template <class T, class Decode>
void expect_round_trip(const T& v, Decode decode) {
  const auto d = decode(encode(v));
  ASSERT_TRUE(d) << d.error();
  EXPECT_EQ(fields(d.value()), fields(v));
}

TEST(codec_round_trip_test, every_input_message_survives_encode_then_decode) {
  expect_round_trip(sample_heart_rate(), decode_heart_rate);
  expect_round_trip(sample_blood_pressure(), decode_blood_pressure);
  expect_round_trip(sample_monitor_status(), decode_monitor_status);
  expect_round_trip(sample_infusion_event(), decode_infusion_event);
  expect_round_trip(sample_alarm_ack(), decode_alarm_ack);
}

TEST(codec_round_trip_test, every_output_message_survives_encode_then_decode) {
  expect_round_trip(sample_alarm_event(), decode_alarm_event);
  expect_round_trip(sample_session_state(), decode_session_state);
  const auto status = sample_daemon_status();
  const auto d = decode_daemon_status(encode(status));
  ASSERT_TRUE(d) << d.error();
  EXPECT_EQ(d.value(), status);
}

TEST(codec_round_trip_test, active_alarms_keeps_every_alarm_in_order) {
  core::active_alarms a{"bed-12", 1'700'000'009'000, {sample_alarm_event(), sample_alarm_event()}};
  a.alarms[1].alarm_id = "bed-12:HR_HIGH:1";
  a.alarms[1].value.reset();
  const auto d = decode_active_alarms(encode(a));
  ASSERT_TRUE(d) << d.error();
  EXPECT_EQ(d.value().bed_id, a.bed_id);
  EXPECT_EQ(d.value().at_ms, a.at_ms);
  ASSERT_EQ(d.value().alarms.size(), 2u);
  EXPECT_EQ(fields(d.value().alarms[0]), fields(a.alarms[0]));
  EXPECT_EQ(fields(d.value().alarms[1]), fields(a.alarms[1]));
}

TEST(codec_round_trip_test, absent_optional_fields_stay_absent) {
  auto bp = sample_blood_pressure();
  bp.mean_mmhg.reset();
  expect_round_trip(bp, decode_blood_pressure);
  auto inf = sample_infusion_event();
  inf.dose_mg_per_kg.reset();
  expect_round_trip(inf, decode_infusion_event);
  auto e = sample_alarm_event();
  e.value.reset();
  e.limit.reset();
  expect_round_trip(e, decode_alarm_event);
  auto s = sample_session_state();
  s.baseline_systolic_mmhg.reset();
  s.baseline_diastolic_mmhg.reset();
  expect_round_trip(s, decode_session_state);
}

TEST(codec_default_test, unspecified_bp_source_decodes_as_nibp) {
  const auto d = decode_blood_pressure("");  // every field at its wire default
  ASSERT_TRUE(d) << d.error();
  EXPECT_EQ(d.value().source, core::bp_source::nibp);
  EXPECT_FALSE(d.value().mean_mmhg.has_value());
}

TEST(codec_default_test, empty_drug_decodes_as_ketamine) {
  auto inf = sample_infusion_event();
  inf.drug.clear();
  const auto d = decode_infusion_event(encode(inf));
  ASSERT_TRUE(d) << d.error();
  EXPECT_EQ(d.value().drug, "ketamine");
}

TEST(codec_encode_test, same_value_gives_same_bytes) {
  EXPECT_EQ(encode(sample_alarm_event()), encode(sample_alarm_event()));
  EXPECT_EQ(encode(sample_blood_pressure()), encode(sample_blood_pressure()));
}

// Every decoder, applied to the same bytes: none of them may accept garbage.
std::vector<std::pair<std::string, std::function<bool(std::string_view)>>> all_decoders() {
  return {
      {"HeartRate", [](std::string_view b) { return decode_heart_rate(b).ok(); }},
      {"BloodPressure", [](std::string_view b) { return decode_blood_pressure(b).ok(); }},
      {"MonitorStatus", [](std::string_view b) { return decode_monitor_status(b).ok(); }},
      {"InfusionEvent", [](std::string_view b) { return decode_infusion_event(b).ok(); }},
      {"AlarmAck", [](std::string_view b) { return decode_alarm_ack(b).ok(); }},
      {"AlarmEvent", [](std::string_view b) { return decode_alarm_event(b).ok(); }},
      {"ActiveAlarms", [](std::string_view b) { return decode_active_alarms(b).ok(); }},
      {"SessionState", [](std::string_view b) { return decode_session_state(b).ok(); }},
      {"DaemonStatus", [](std::string_view b) { return decode_daemon_status(b).ok(); }},
  };
}

TEST(codec_decode_error_test, garbage_is_an_error_for_every_message) {
  const std::string overlong_varint(12, '\xff');  // a tag no parser can finish
  const std::string field_zero("\x00\x01", 2);     // field number 0 is never valid
  const std::string text = "{\"bpm\": 72}";        // JSON is not the wire format
  for (const auto& [name, decode] : all_decoders()) {
    EXPECT_FALSE(decode(overlong_varint)) << name;
    EXPECT_FALSE(decode(field_zero)) << name;
    EXPECT_FALSE(decode(text)) << name;
  }
}

TEST(codec_decode_error_test, payload_missing_its_last_byte_is_an_error_for_every_message) {
  // Every encoded field takes at least two bytes (tag and value), so cutting the last byte
  // always leaves the last field incomplete.
  const std::vector<std::string> encoded = {
      encode(sample_heart_rate()),     encode(sample_blood_pressure()),
      encode(sample_monitor_status()), encode(sample_infusion_event()),
      encode(sample_alarm_ack()),      encode(sample_alarm_event()),
      encode(core::active_alarms{"bed-12", 1, {sample_alarm_event()}}),
      encode(sample_session_state()),  encode(sample_daemon_status())};
  const auto decoders = all_decoders();
  ASSERT_EQ(encoded.size(), decoders.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    EXPECT_TRUE(decoders[i].second(encoded[i])) << decoders[i].first;
    EXPECT_FALSE(decoders[i].second(encoded[i].substr(0, encoded[i].size() - 1)))
        << decoders[i].first;
  }
}

TEST(codec_decode_error_test, string_cut_in_the_middle_is_an_error) {
  const auto bytes = encode(sample_heart_rate());
  // bytes[0] is device_id's tag, bytes[1] its length: stop halfway through the string.
  const auto cut = bytes.substr(0, 2 + static_cast<std::size_t>(bytes[1]) / 2);
  const auto d = decode_heart_rate(cut);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().find("vigil.v1.HeartRate"), std::string::npos) << d.error();
}

TEST(codec_decode_error_test, enum_value_unknown_to_this_version_is_an_error) {
  const auto validity_9 = std::string("\x28\x09", 2);  // field 5 (validity), varint 9
  const auto hr = decode_heart_rate(validity_9);
  ASSERT_FALSE(hr);
  EXPECT_NE(hr.error().find("validity"), std::string::npos) << hr.error();
  const auto source_7 = std::string("\x38\x07", 2);  // field 7 (source), varint 7
  const auto bp = decode_blood_pressure(source_7);
  ASSERT_FALSE(bp);
  EXPECT_NE(bp.error().find("source"), std::string::npos) << bp.error();
}

TEST(codec_decode_test, fields_added_by_a_newer_sender_are_ignored) {
  const auto extra_field_99 = std::string("\x98\x06\x01", 3);  // field 99, varint 1
  const auto d = decode_heart_rate(encode(sample_heart_rate()) + extra_field_99);
  ASSERT_TRUE(d) << d.error();
  EXPECT_EQ(fields(d.value()), fields(sample_heart_rate()));
}

TEST(codec_decode_error_test, invalid_utf8_in_a_string_is_an_error) {
  auto hr = sample_heart_rate();
  hr.device_id = "mon-\xff";
  silence_protobuf_log();
  ::testing::internal::CaptureStderr();
  const auto d = decode_heart_rate(encode(hr));
  const auto logged = ::testing::internal::GetCapturedStderr();
  EXPECT_FALSE(d);
  EXPECT_EQ(logged, "") << "silence_protobuf_log() should keep protobuf off stderr";
}

// ---- JSON lines ----

TEST(json_line_test, uses_the_contracts_snake_case_names_and_prefixed_enum_names) {
  const auto line = to_json_line(sample_alarm_event());
  for (const char* key :
       {"\"alarm_id\":\"bed-12:SBP_HIGH:3\"", "\"event_seq\":\"17\"", "\"bed_id\":\"bed-12\"",
        "\"kind\":\"ALARM_KIND_PHYSIOLOGICAL\"", "\"priority\":\"PRIORITY_HIGH\"",
        "\"state\":\"ALARM_STATE_ACKNOWLEDGED\"", "\"transition\":\"TRANSITION_ESCALATED\"",
        "\"value\":186", "\"limit\":180", "\"unit\":\"mm[Hg]\"", "\"phase\":\"PHASE_INFUSION\"",
        "\"infusion_elapsed_ms\":\"2480000\"", "\"escalation_level\":2",
        "\"acknowledged_by\":\"nurse.kim\""}) {
    EXPECT_NE(line.find(key), std::string::npos) << key << " not in " << line;
  }
}

TEST(json_line_test, is_one_line_and_the_same_bytes_every_time) {
  const auto line = to_json_line(sample_alarm_event());
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.front(), '{');
  EXPECT_EQ(line.back(), '}');
  auto copy = sample_alarm_event();
  EXPECT_EQ(to_json_line(copy), line);
}

TEST(json_line_test, prints_zero_fields_but_omits_absent_value_and_limit) {
  auto e = sample_alarm_event();
  e.escalation_level = 0;
  e.acknowledged_by.clear();
  e.value.reset();
  e.limit.reset();
  const auto line = to_json_line(e);
  EXPECT_NE(line.find("\"escalation_level\":0"), std::string::npos) << line;
  EXPECT_NE(line.find("\"acknowledged_by\":\"\""), std::string::npos) << line;
  EXPECT_EQ(line.find("\"value\""), std::string::npos) << line;
  EXPECT_EQ(line.find("\"limit\""), std::string::npos) << line;
}

}  // namespace
}  // namespace vigil::codec
