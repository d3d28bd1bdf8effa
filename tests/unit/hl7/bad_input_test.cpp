// Every bad-input case of tests/data/hl7/bad (make_bad.py writes them): nothing crashes, every
// message gets an ACK, every rejection names where and why. Framing cases: mllp_test.cpp.
#include <gtest/gtest.h>

#include "hl7/pcd01.hpp"
#include "hl7/text.hpp"
#include "hl7_test_support.hpp"

namespace vigil::hl7 {
namespace {

using core::blood_pressure;
using core::bp_source;
using core::heart_rate;
using core::validity;

constexpr core::time_ms now = 1717243200000;   // 2024-06-01 12:00:00Z, the reports' MSH-7
constexpr core::time_ms obr7 = 1717243190000;  // 11:59:50Z
constexpr core::time_ms cuff = 1717242900000;  // 11:55:00Z, the NIBP's OBX-14
const std::string device = "EUI-64:0011223344550001";

pcd01_report read(const std::string& file) {
  return read_pcd01(test::data_file("bad/" + file), test::sample_mapping(), now);
}

std::string describe(const rejection& r) {
  return cat(r.segment, '^', r.segment_index, '^', r.field, ' ', r.error_code, ' ', r.text);
}

std::vector<std::string> rejections(const pcd01_report& r) {
  std::vector<std::string> out;
  for (const auto& x : r.rejections) out.push_back(describe(x));
  return out;
}

const heart_rate good_hr{device, obr7, 0, 72, validity::valid};
const blood_pressure good_bp{device, cuff, 0, 120, 80, 93, bp_source::nibp, validity::valid};

void expect_good(const pcd01_report& r) {
  EXPECT_EQ(r.ack_code, "CA");
  EXPECT_EQ(r.bed, "ward-7a");
  EXPECT_EQ(rejections(r), std::vector<std::string>{});
  EXPECT_EQ(r.heart_rates, std::vector<heart_rate>{good_hr});
  EXPECT_EQ(r.pressures, std::vector<blood_pressure>{good_bp});
}

TEST(Pcd01BadInput, TheGoodReportTheOthersVary) {
  const auto r = read("good.hl7");
  expect_good(r);
  EXPECT_EQ(r.sender, "ward7");
  EXPECT_EQ(r.devices, std::vector<std::string>{device});
  EXPECT_EQ(r.ack,
            "MSH|^~\\&|VIGIL|Clinic|TEST_GW^0011223344556677^EUI-64|Ward 7|"
            "20240601120000.000+0000||ACK^R01^ACK|AMSG0001|P|2.6\r"
            "MSA|CA|MSG0001\r");
}

TEST(Pcd01BadInput, LfAndCrLfInsteadOfCr) {
  expect_good(read("lf_segments.hl7"));
  expect_good(read("crlf_segments.hl7"));
  expect_good(read("lf_inside_nte.hl7"));
}

TEST(Pcd01BadInput, OwnDelimitersAndTheAckInStandardOnes) {
  const auto r = read("own_delimiters.hl7");
  expect_good(r);
  const std::string start = "MSH|^~\\&|VIGIL|Clinic|TEST_GW^0011223344556677^EUI-64|Ward 7|2024";
  EXPECT_EQ(r.ack.substr(0, start.size()), start);
}

TEST(Pcd01BadInput, EscapesInTheLocation) {
  const auto r = read("escapes.hl7");
  EXPECT_EQ(r.location, "ICU|1^R^2^B&3~x\\");
  EXPECT_EQ(r.bed, "escaped-1");
  EXPECT_EQ(r.ack_code, "CA");
  EXPECT_EQ(r.heart_rates, std::vector<heart_rate>{good_hr});
}

TEST(Pcd01BadInput, UnclosedEscapeInAValue) {
  const auto r = read("bad_escape.hl7");
  EXPECT_EQ(r.ack_code, "CE");
  EXPECT_EQ(rejections(r), std::vector<std::string>{"OBX^6^5 102 OBX-5 '7\\E' is not a number"});
  EXPECT_TRUE(r.heart_rates.empty());
  EXPECT_EQ(r.pressures, std::vector<blood_pressure>{good_bp});  // one bad row rejects only itself
}

TEST(Pcd01BadInput, Repetitions) {
  const auto r = read("repetitions.hl7");
  EXPECT_EQ(r.ack_code, "CE");
  // OBX-8 QUES~H: questionable; OBX-18 repeats: the first (lowest level) names the device.
  EXPECT_EQ(
      r.heart_rates,
      (std::vector<heart_rate>{{"EUI-64:AAAA00000000000A", obr7, 0, 72, validity::questionable}}));
  EXPECT_TRUE(r.pressures.empty());
  EXPECT_EQ(rejections(r),
            (std::vector<std::string>{
                "OBX^7^5 102 OBX-5 repeats: a numeric observation has one value",
                "OBX^8^3 101 no systolic row beside this one (OBX-4 parent '1.1.1'): a blood "
                "pressure needs both; rows ignored"}));
  EXPECT_NE(r.ack.find("\rERR||OBX^7^5|102^Data type error^HL70357|E||||OBX-5 repeats"),
            std::string::npos);
}

TEST(Pcd01BadInput, UnknownCodesAreIgnored) { expect_good(read("unknown_code.hl7")); }

TEST(Pcd01BadInput, NotANumber) {
  const auto r = read("not_a_number.hl7");
  EXPECT_EQ(r.ack_code, "CE");
  EXPECT_EQ(rejections(r), std::vector<std::string>{"OBX^6^5 102 OBX-5 '7two' is not a number"});
  EXPECT_TRUE(r.heart_rates.empty());
  EXPECT_EQ(r.pressures, std::vector<blood_pressure>{good_bp});
}

TEST(Pcd01BadInput, UnitsThatDoNotMatchAndKpa) {
  const auto r = read("wrong_unit.hl7");
  EXPECT_EQ(r.ack_code, "CE");
  EXPECT_EQ(rejections(r),
            (std::vector<std::string>{
                "OBX^6^6 103 OBX-6 unit 'mm[Hg]' is not per minute (264864, /min, {beat}/min)",
                "OBX^9^6 103 OBX-6 unit '%' is not a pressure (266016, mm[Hg], kPa)"}));
  EXPECT_TRUE(r.heart_rates.empty());
  ASSERT_EQ(r.pressures.size(), 1U);  // 16.0 and 10.6 kPa, x 7.50062; the MEAN row rejected
  EXPECT_DOUBLE_EQ(r.pressures[0].systolic_mmhg, 120.00992);
  EXPECT_DOUBLE_EQ(r.pressures[0].diastolic_mmhg, 79.506572);
  EXPECT_FALSE(r.pressures[0].mean_mmhg.has_value());
  EXPECT_EQ(r.pressures[0].validity, validity::valid);
}

TEST(Pcd01BadInput, TimesWithoutAZoneAcrossDst) {
  // The sender's zone: Europe/Berlin. Read a day after the last of them (none is in the future).
  const auto r = read_pcd01(test::data_file("bad/no_zone.hl7"), test::sample_mapping(),
                            1729989000000 + 86400000);
  EXPECT_EQ(r.ack_code, "CA");
  EXPECT_EQ(
      r.heart_rates,
      (std::vector<heart_rate>{
          {"TEST_GW/1", 1711848600000, 0, 72, validity::questionable},  // 03-31 02:30: gap, +1
          {"TEST_GW/1", 1729989000000, 0, 72, validity::questionable},  // 10-27 02:30: first, +2
          {"TEST_GW/1", obr7, 0, 72, validity::questionable}}));        // 13:59:50 CEST
}

TEST(Pcd01BadInput, SentinelsAndTheRange) {
  const auto r = read("sentinels.hl7");
  EXPECT_EQ(r.ack_code, "CA");
  EXPECT_EQ(r.heart_rates, (std::vector<heart_rate>{{device, obr7, 0, -999, validity::invalid},
                                                    {device, obr7, 0, 8388607, validity::invalid},
                                                    {device, obr7, 0, 350, validity::valid}}));
}

TEST(Pcd01BadInput, FromTheFuture) {
  const auto r = read("future.hl7");  // OBR-7 13:00Z, an hour ahead; the NIBP's own time is not
  EXPECT_EQ(r.heart_rates,
            (std::vector<heart_rate>{{device, now + 3600000, 0, 72, validity::invalid}}));
  EXPECT_EQ(r.pressures, std::vector<blood_pressure>{good_bp});
}

TEST(Pcd01BadInput, TestDataIsNeverValid) {
  const auto r = read("test_data.hl7");
  EXPECT_TRUE(r.test_data);
  EXPECT_EQ(r.ack_code, "CA");
  EXPECT_NE(r.ack.find("|AMSG0001|D|2.6\r"), std::string::npos);
  ASSERT_EQ(r.heart_rates.size(), 1U);
  EXPECT_EQ(r.heart_rates[0].validity, validity::invalid);
  ASSERT_EQ(r.pressures.size(), 1U);
  EXPECT_EQ(r.pressures[0].validity, validity::invalid);
}

TEST(Pcd01BadInput, DuplicateSubIdIsFlagged) {
  const auto r = read("duplicate_sub_id.hl7");
  EXPECT_EQ(r.ack_code, "CE");
  EXPECT_EQ(rejections(r), std::vector<std::string>{
                               "OBX^10^4 205 OBX-4 '1.2.1.1' repeats an earlier row's place in "
                               "this OBR (segment 6); row ignored"});
  EXPECT_EQ(r.heart_rates, std::vector<heart_rate>{good_hr});
}

void expect_unreadable(const pcd01_report& r, const std::string& why) {
  EXPECT_EQ(r.ack_code, "AR");
  EXPECT_EQ(r.control_id, "");
  EXPECT_EQ(r.ack,
            "MSH|^~\\&|VIGIL||||20240601120000.000+0000||ACK|ACK|P|2.6\r"
            "MSA|AR|\r"
            "ERR|||100^Segment sequence error^HL70357|E||||" +
                why + "\r");
  EXPECT_TRUE(r.heart_rates.empty());
  EXPECT_TRUE(r.pressures.empty());
}

TEST(Pcd01BadInput, EmptyWhitespaceAndNotHl7) {
  expect_unreadable(read("empty.hl7"), "empty message (no MSH segment)");
  expect_unreadable(read("whitespace.hl7"), "empty message (no MSH segment)");
  expect_unreadable(read("not_hl7.hl7"), "the message does not start with MSH (starts with 'GET')");
}

TEST(Pcd01BadInput, BatchIsRejected) {
  const auto r = read("batch.hl7");
  EXPECT_EQ(r.ack_code, "AR");
  EXPECT_EQ(r.ack,
            "MSH|^~\\&|VIGIL||||20240601120000.000+0000||ACK|ACK|P|2.6\r"
            "MSA|AR|\r"
            "ERR||FHS^1|200^Unsupported message type^HL70357|E||||a batch (FHS) is not accepted: "
            "send one message per MLLP frame\r");
  EXPECT_TRUE(r.heart_rates.empty());
}

TEST(Pcd01BadInput, TwoMessagesInOneFrameAreRejected) {
  const auto r = read("two_messages.hl7");
  EXPECT_EQ(r.ack_code, "CR");
  EXPECT_EQ(rejections(r), std::vector<std::string>{
                               "MSH^10^0 100 a second message header in one frame: batches are "
                               "not read"});
  EXPECT_TRUE(r.heart_rates.empty());
  EXPECT_TRUE(r.pressures.empty());
}

TEST(Pcd01BadInput, UnmappedLocation) {
  const auto r = read("unmapped_bed.hl7");
  EXPECT_EQ(r.ack_code, "CE");
  EXPECT_EQ(r.bed, "");
  EXPECT_EQ(r.location, "NOWHERE^9^9");
  EXPECT_TRUE(r.heart_rates.empty());
  EXPECT_TRUE(r.pressures.empty());
  EXPECT_TRUE(r.devices.empty());
  EXPECT_EQ(r.ack,
            "MSH|^~\\&|VIGIL|Clinic|TEST_GW^0011223344556677^EUI-64|Ward 7|"
            "20240601120000.000+0000||ACK^R01^ACK|AMSG0001|P|2.6\r"
            "MSA|CE|MSG0001\r"
            "ERR||PV1^3^3|103^Table value not found^HL70357|E||||PV1-3 location "
            "'NOWHERE\\S\\9\\S\\9' is not mapped to a bed; nothing read\r");
}

TEST(Pcd01BadInput, MissingSegments) {
  EXPECT_EQ(rejections(read("no_pv1.hl7")),
            std::vector<std::string>{"PV1^0^3 101 no PV1 segment: PV1-3 (patient location) names "
                                     "the bed; nothing read"});
  const auto r = read("no_obr.hl7");
  EXPECT_EQ(r.ack_code, "CE");
  EXPECT_EQ(rejections(r),
            std::vector<std::string>{"OBR^0^0 100 no OBR segment: no observations to read"});
}

TEST(Pcd01BadInput, UnsupportedMessageTypes) {
  const auto adt = read("adt.hl7");
  EXPECT_EQ(adt.ack_code, "CR");
  EXPECT_EQ(rejections(adt), std::vector<std::string>{"MSH^1^9 200 MSH-9 'ADT^A01' is not read "
                                                      "here: only ORU^R01 (IHE PCD-01)"});
  EXPECT_NE(adt.ack.find("||ACK^A01^ACK|AMSG0001|"), std::string::npos);
  const auto r40 = read("oru_r40.hl7");
  EXPECT_EQ(r40.ack_code, "CR");
  EXPECT_EQ(rejections(r40), std::vector<std::string>{"MSH^1^9 201 MSH-9 'ORU^R40' is not read "
                                                      "here: only ORU^R01 (IHE PCD-01)"});
  EXPECT_TRUE(r40.heart_rates.empty());
}

TEST(Pcd01BadInput, NoControlId) {
  const auto r = read("no_control_id.hl7");
  EXPECT_EQ(r.ack_code, "CR");
  EXPECT_EQ(rejections(r),
            std::vector<std::string>{"MSH^1^10 101 MSH-10 (message control id) is empty"});
  EXPECT_NE(r.ack.find("\rMSA|CR|\r"), std::string::npos);
}

}  // namespace
}  // namespace vigil::hl7
