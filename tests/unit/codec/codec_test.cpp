#include "codec/codec.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
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
  const std::string field_zero("\x00\x01", 2);    // field number 0 is never valid
  const std::string text = "{\"bpm\": 72}";       // JSON is not the wire format
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
      encode(sample_heart_rate()),
      encode(sample_blood_pressure()),
      encode(sample_monitor_status()),
      encode(sample_infusion_event()),
      encode(sample_alarm_ack()),
      encode(sample_alarm_event()),
      encode(core::active_alarms{"bed-12", 1, {sample_alarm_event()}}),
      encode(sample_session_state()),
      encode(sample_daemon_status())};
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
  const auto silenced_before = protobuf_log_lines();
  ::testing::internal::CaptureStderr();
  const auto d = decode_heart_rate(encode(hr));
  const auto logged = ::testing::internal::GetCapturedStderr();
  EXPECT_FALSE(d);
  EXPECT_EQ(logged, "") << "silence_protobuf_log() should keep protobuf off stderr";
  EXPECT_GT(protobuf_log_lines(), silenced_before) << "and count what it kept off";
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

// to_json_line writes the line itself; protobuf's printer is the reference, byte for byte.
class json_line_vs_protobuf_test : public ::testing::Test {
 protected:
  void SetUp() override { silence_protobuf_log(); }  // invalid UTF-8 below is deliberate

  std::mt19937_64 rng{7};
  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }

  std::string utf8(std::uint32_t cp) {
    std::string s;
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
  }

  std::string text() {
    static const std::uint32_t special[] = {
        0x00,    0x08,    0x09,    0x0a,    0x0b,    0x0c,    0x0d,    0x1f,    '"',
        '\\',    '<',     '>',     '&',     '\'',    '/',     0x7f,    0x80,    0x9f,
        0xa0,    0xad,    0xe9,    0x600,   0x603,   0x604,   0x6dd,   0x70f,   0x17b4,
        0x17b6,  0x200a,  0x200b,  0x200f,  0x2010,  0x2028,  0x202e,  0x2060,  0x2064,
        0x2065,  0x206a,  0x206f,  0x2265,  0xfeff,  0xfff9,  0xfffb,  0xfffc,  0xffff,
        0x10000, 0x1d173, 0x1d17a, 0x1f600, 0xe0001, 0xe0020, 0xe007f, 0xe0080, 0x10ffff};
    static const std::string broken[] = {
        "\xff", "\xc0\x80", "\xe2\x89", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80", "\xc3"};
    std::string s;
    for (int n = below(12); n > 0; --n) {
      switch (below(8)) {
        case 0: s += utf8(special[below(std::size(special))]); break;
        case 1: s += utf8(static_cast<std::uint32_t>(below(0xD800))); break;
        case 2:
          if (below(20) == 0) s += broken[below(std::size(broken))];
          break;
        default: s += static_cast<char>(' ' + below(95));
      }
    }
    return s;
  }

  double number() {
    switch (below(10)) {
      case 0: return std::numeric_limits<double>::quiet_NaN();
      case 1:
        return below(2) ? std::numeric_limits<double>::infinity()
                        : -std::numeric_limits<double>::infinity();
      case 2: return -0.0;
      case 3: return std::bit_cast<double>(rng());
      case 4: return std::numeric_limits<double>::denorm_min() * below(1000);
      case 5: return static_cast<double>(rng()) * (below(2) ? 1e10 : 1e-10);
      case 6: return below(3000) / 10.0;
      case 7: return 1.0 / (below(1000) + 1);
      default: return below(400) - 100;
    }
  }

  template <class E>
  E enumerated(int known) {
    return static_cast<E>(below(20) == 0 ? below(256) : below(known));
  }

  core::alarm_event event() {
    core::alarm_event e;
    e.alarm_id = text();
    e.event_seq = below(2) ? rng() : static_cast<std::uint64_t>(below(100));
    e.bed_id = text();
    e.session_id = text();
    e.condition = text();
    e.kind = enumerated<core::alarm_kind>(5);
    e.priority = enumerated<core::priority>(4);
    e.state = enumerated<core::alarm_state>(5);
    e.transition = enumerated<core::transition>(8);
    if (below(3)) e.value = number();
    if (below(3)) e.limit = number();
    e.unit = text();
    e.onset_ms = static_cast<std::int64_t>(rng());
    e.at_ms = below(2) ? 1'700'000'000'000 + below(100000) : -below(1000);
    e.phase = enumerated<core::phase>(4);
    e.infusion_elapsed_ms = static_cast<std::int64_t>(rng()) >> below(64);
    e.escalation_level = below(2) ? static_cast<std::uint32_t>(rng()) : 0U;
    e.acknowledged_by = text();
    e.text = text();
    return e;
  }
};

TEST_F(json_line_vs_protobuf_test, same_bytes_as_protobufs_printer_on_generated_events) {
  EXPECT_EQ(to_json_line(sample_alarm_event()), to_json_line_protobuf(sample_alarm_event()));
  core::alarm_event defaults;
  EXPECT_EQ(to_json_line(defaults), to_json_line_protobuf(defaults));
  for (int i = 0; i < 3000; ++i) {
    const auto e = event();
    ASSERT_EQ(to_json_line(e), to_json_line_protobuf(e)) << "event " << i;
  }
}

TEST_F(json_line_vs_protobuf_test, every_code_point_is_escaped_or_kept_as_protobuf_does) {
  core::alarm_event e = sample_alarm_event();
  // Batches of code points in one text (surrogates are not code points UTF-8 can carry).
  for (std::uint32_t first = 0; first <= 0x10FFFF; first += 512) {
    e.text.clear();
    for (std::uint32_t cp = first; cp < first + 512 && cp <= 0x10FFFF; ++cp) {
      if (cp < 0xD800 || cp > 0xDFFF) e.text += utf8(cp);
    }
    ASSERT_EQ(to_json_line(e), to_json_line_protobuf(e)) << "code points from " << first;
  }
}

}  // namespace
}  // namespace vigil::codec
