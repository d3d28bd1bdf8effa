// The mapping rules of ihe-pcd.md section 5 one at a time, on small reports written here.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "hl7/pcd01.hpp"
#include "hl7/text.hpp"

namespace vigil::hl7 {
namespace {

using core::bp_source;
using core::validity;

constexpr core::time_ms now = 1717243200000;   // 2024-06-01 12:00:00Z
constexpr core::time_ms obr7 = 1717243190000;  // 11:59:50Z

std::string report(std::initializer_list<std::string> rows, const std::string& msh3 = "GW") {
  std::string m = "MSH|^~\\&|" + msh3 +
                  "|F|||20240601120000+0000||ORU^R01^ORU_R01|M1|P|2.6|||AL|NE\r"
                  "PID|||P1\rPV1||I|U^1^A\r"
                  "OBR|1|||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|||20240601115950+0000\r";
  for (const auto& r : rows) m += r + "\r";
  return m;
}

std::string nm(int set_id, const std::string& code, const std::string& sub,
               const std::string& value, const std::string& unit,
               const std::string& rest = "||||R") {
  return cat("OBX|", set_id, "|NM|", code, '|', sub, '|', value, '|', unit, '|', rest);
}

const std::string bpm = "264864^MDC_DIM_BEAT_PER_MIN^MDC";
const std::string mmhg = "266016^MDC_DIM_MMHG^MDC";

mapping beds() {
  mapping m;
  m.beds = {{"U^1^A", "u1a"}};
  m.fallback.name = "any";
  return m;
}

TEST(Pcd01Rules, SenderProfilesByMsh3) {
  mapping m = beds();
  sender_profile a;
  a.name = "a";
  a.application = "GW_A";
  sender_profile dflt;
  dflt.name = "site default";
  m.senders = {a, dflt};
  EXPECT_EQ(m.sender_for("GW_A").name, "a");
  EXPECT_EQ(m.sender_for("GW_B").name, "site default");
  m.senders = {a};
  EXPECT_EQ(m.sender_for("GW_B").name, "any");
}

TEST(Pcd01Rules, HeartRateFallbacksInOrderOneSourcePerDevice) {
  const std::string spo2 =
      nm(1, "149530^MDC_PULS_OXIM_PULS_RATE^MDC", "1.3.1.1", "71", "/min^/min^UCUM");
  const std::string art =
      nm(2, "149522^MDC_BLD_PULS_RATE_INV^MDC", "1.4.1.1", "73", "/min^/min^UCUM");
  const std::string ecg = nm(3, "147842^MDC_ECG_HEART_RATE^MDC", "1.2.1.1", "72", bpm);
  mapping m = beds();
  // ECG only by default.
  auto r = read_pcd01(report({spo2, art}), m, now);
  EXPECT_TRUE(r.heart_rates.empty());
  EXPECT_EQ(r.ack_code, "CA");
  m.fallback.hr_fallbacks = {hr_source::arterial, hr_source::spo2};
  r = read_pcd01(report({spo2, art}), m, now);
  ASSERT_EQ(r.heart_rates.size(), 1U);
  EXPECT_EQ(r.heart_rates[0].bpm, 73);  // the first configured fallback present
  r = read_pcd01(report({spo2, art, ecg}), m, now);
  ASSERT_EQ(r.heart_rates.size(), 1U);
  EXPECT_EQ(r.heart_rates[0].bpm, 72);  // ECG whenever there is one
  EXPECT_EQ(r.heart_rates[0].device_id, "GW/1");
}

TEST(Pcd01Rules, InheritanceOfTimeAndDeviceDownTheObx4Tree) {
  const auto r = read_pcd01(
      report(
          {"OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1.0.0.0|||||||X|||||||MDS1",
           "OBX|2||70686^MDC_DEV_PRESS_BLD_NONINV_VMD^MDC|1.1.0.0|||||||X|||||||"
           "00AA^^00aabbccddeeff11^EUI-64",
           "OBX|3||70687^MDC_DEV_PRESS_BLD_NONINV_CHAN^MDC|1.1.1.0|||||||X|||20240601114000+0000",
           nm(4, "150021^MDC_PRESS_BLD_NONINV_SYS^MDC", "1.1.1.1", "131", mmhg),
           nm(5, "150022^MDC_PRESS_BLD_NONINV_DIA^MDC", "1.1.1.2", "85", mmhg,
              "||||R|||20240601114100+0000"),
           nm(6, "147842^MDC_ECG_HEART_RATE^MDC", "1.2.1.1", "64", bpm)}),
      beds(), now);
  EXPECT_EQ(r.ack_code, "CA");
  ASSERT_EQ(r.pressures.size(), 1U);
  // The channel's OBX-14 (11:40Z), the VMD's EUI-64; DIA's own time does not move the reading.
  EXPECT_EQ(r.pressures[0].measured_at_ms, 1717242000000);
  EXPECT_EQ(r.pressures[0].device_id, "EUI-64:00AABBCCDDEEFF11");
  EXPECT_FALSE(r.pressures[0].mean_mmhg.has_value());
  ASSERT_EQ(r.heart_rates.size(), 1U);
  EXPECT_EQ(r.heart_rates[0].device_id, "MDS1");  // from the MDS row: ECG has no VMD row here
  EXPECT_EQ(r.heart_rates[0].measured_at_ms, obr7);
}

TEST(Pcd01Rules, ArterialAndNibpInOneChannelAreTwoReadings) {
  const auto r =
      read_pcd01(report({nm(1, "150033^MDC_PRESS_BLD_ART_SYS^MDC", "1.1.1.1", "141", mmhg),
                         nm(2, "150034^MDC_PRESS_BLD_ART_DIA^MDC", "1.1.1.2", "71", mmhg),
                         nm(3, "150037^MDC_PRESS_BLD_ART_ABP_SYS^MDC", "1.2.1.1", "142", mmhg),
                         nm(4, "150038^MDC_PRESS_BLD_ART_ABP_DIA^MDC", "1.2.1.2", "72", mmhg),
                         nm(5, "150039^MDC_PRESS_BLD_ART_ABP_MEAN^MDC", "1.2.1.3", "95", mmhg),
                         nm(6, "150021^MDC_PRESS_BLD_NONINV_SYS^MDC", "1.1.1.3", "120", mmhg),
                         nm(7, "150022^MDC_PRESS_BLD_NONINV_DIA^MDC", "1.1.1.4", "80", mmhg)}),
                 beds(), now);
  EXPECT_EQ(r.ack_code, "CA");
  ASSERT_EQ(r.pressures.size(), 3U);
  EXPECT_EQ(r.pressures[0].source, bp_source::arterial);
  EXPECT_EQ(r.pressures[0].systolic_mmhg, 141);
  EXPECT_EQ(r.pressures[1].source, bp_source::arterial);
  EXPECT_EQ(r.pressures[1].mean_mmhg, 95);
  EXPECT_EQ(r.pressures[2].source, bp_source::nibp);
  EXPECT_EQ(r.pressures[2].diastolic_mmhg, 80);
}

TEST(Pcd01Rules, CuffAndUnspecifiedCodesOnlyByConfiguration) {
  const auto msg = report({nm(1, "150301^MDC_PRESS_CUFF_SYS^MDC", "1.1.1.1", "118", mmhg),
                           nm(2, "150302^MDC_PRESS_CUFF_DIA^MDC", "1.1.1.2", "77", mmhg),
                           nm(3, "150017^MDC_PRESS_BLD_SYS^MDC", "1.5.1.1", "119", mmhg),
                           nm(4, "150018^MDC_PRESS_BLD_DIA^MDC", "1.5.1.2", "78", mmhg)});
  mapping m = beds();
  EXPECT_TRUE(read_pcd01(msg, m, now).pressures.empty());
  m.fallback.cuff_codes_are_nibp = true;
  auto r = read_pcd01(msg, m, now);
  ASSERT_EQ(r.pressures.size(), 1U);
  EXPECT_EQ(r.pressures[0].systolic_mmhg, 118);
  m.fallback.unspecified_bp_is_nibp = true;
  r = read_pcd01(msg, m, now);
  ASSERT_EQ(r.pressures.size(), 2U);
  EXPECT_EQ(r.pressures[1].systolic_mmhg, 119);
  EXPECT_EQ(r.pressures[1].source, bp_source::nibp);
}

TEST(Pcd01Rules, ValidityFromObx11AndObx8) {
  const auto hr = [](int i, const std::string& flags, const std::string& status) {
    return nm(i, "147842^MDC_ECG_HEART_RATE^MDC", cat("1.2.1.", i), "70", bpm,
              "|" + flags + "|||" + status);
  };
  const auto r = read_pcd01(
      report({hr(1, "", "F"), hr(2, "", "C"), hr(3, "", "U"), hr(4, "", "P"), hr(5, "", "S"),
              hr(6, "", "D"), hr(7, "", "W"), hr(8, "", "X"), hr(9, "INV", "R"), hr(10, "NAV", "R"),
              hr(11, "BUSY", "R"), hr(12, "EARLY", "R"), hr(13, "CAL", "R"), hr(14, "H~PH~SP", "R"),
              hr(15, "", "Q"), hr(16, "DEMO", "R"), hr(17, "QUES~OFF", "R")}),
      beds(), now);
  std::vector<validity> got;
  for (const auto& h : r.heart_rates) got.push_back(h.validity);
  using enum core::validity;
  EXPECT_EQ(got, (std::vector<validity>{valid, valid, valid, questionable, questionable, invalid,
                                        invalid, invalid, invalid, invalid, invalid, questionable,
                                        questionable, valid, invalid, invalid, invalid}));
}

TEST(Pcd01Rules, EmptyValueIsAnInvalidReadingNotARejection) {
  const auto r = read_pcd01(report({"OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC|1.2.1.1||264864^MDC_"
                                    "DIM_BEAT_PER_MIN^MDC||NAV|||X",
                                    "OBX|2||147842^MDC_ECG_HEART_RATE^MDC|1.2.1.2|\"\"||||||X"}),
                            beds(), now);
  EXPECT_EQ(r.ack_code, "CA");
  ASSERT_EQ(r.heart_rates.size(), 2U);
  EXPECT_EQ(r.heart_rates[0].validity, validity::invalid);
  EXPECT_EQ(r.heart_rates[1].validity, validity::invalid);
}

TEST(Pcd01Rules, NumberAndNameMustAgree) {
  const auto r = read_pcd01(
      report({nm(1, "147842^MDC_PULS_OXIM_SAT_O2^MDC", "1.2.1.1", "98", bpm),
              nm(2, "147842^HR^99PHI", "1.2.1.2", "71", bpm),    // not MDC: ignored
              nm(3, "147842^Heart rate", "1.2.1.3", "72", bpm),  // a free-text name: fine
              nm(4, "0002-4182^MDC_ECG_CARD_BEAT_RATE^MDIL", "1.2.1.4", "73", "0004-0aa0")}),
      beds(), now);
  EXPECT_EQ(r.ack_code, "CE");
  ASSERT_EQ(r.rejections.size(), 1U);
  EXPECT_EQ(
      r.rejections[0].text,
      "OBX-3 code 147842 is not 'MDC_PULS_OXIM_SAT_O2' (number and name disagree); row ignored");
  // Row 4: Philips' MDIL hex, code 0002-4182 = 147842 and unit 0004-0aa0 = 264864.
  ASSERT_EQ(r.heart_rates.size(), 2U);
  EXPECT_EQ(r.heart_rates[0].bpm, 72);
  EXPECT_EQ(r.heart_rates[1].bpm, 73);
}

TEST(Pcd01Rules, NonNumericValueTypes) {
  const auto r =
      read_pcd01(report({"OBX|1|ST|147842^MDC_ECG_HEART_RATE^MDC|1.2.1.1|72|" + bpm + "|||||R",
                         nm(2, "147842^MDC_ECG_HEART_RATE^MDC", "1.2.1.2", "1e2", bpm),
                         nm(3, "147842^MDC_ECG_HEART_RATE^MDC", "1.2.1.3", "+071.50", bpm)}),
                 beds(), now);
  ASSERT_EQ(r.rejections.size(), 2U);
  EXPECT_EQ(r.rejections[0].text, "OBX-2 is 'ST'; a numeric value needs NM");
  EXPECT_EQ(r.rejections[1].text, "OBX-5 '1e2' is not a number");
  ASSERT_EQ(r.heart_rates.size(), 1U);
  EXPECT_EQ(r.heart_rates[0].bpm, 71.5);
}

TEST(Pcd01Rules, ASecondPatientInOneMessage) {
  std::string msg = report({nm(1, "147842^MDC_ECG_HEART_RATE^MDC", "1.2.1.1", "72", bpm)});
  msg += "PID|||P2\rPV1||I|U^2^B\rOBR|1|||x|||20240601115950+0000\r" +
         nm(1, "147842^MDC_ECG_HEART_RATE^MDC", "1.2.1.1", "99", bpm) + "\r";
  mapping m = beds();
  m.beds.emplace("U^2^B", "u2b");
  const auto r = read_pcd01(msg, m, now);
  EXPECT_EQ(r.bed, "u1a");
  ASSERT_EQ(r.heart_rates.size(), 1U);
  EXPECT_EQ(r.heart_rates[0].bpm, 72);
  ASSERT_EQ(r.rejections.size(), 1U);
  EXPECT_EQ(r.rejections[0].segment_index, 7);
  EXPECT_EQ(r.rejections[0].text,
            "a second patient location 'U^2^B' in one message: only the first bed's observations "
            "are read");
}

TEST(Pcd01Rules, ObxBeforeObrAndObrWithoutObx) {
  const std::string msg = "MSH|^~\\&|GW||||20240601120000+0000||ORU^R01|M1|P|2.6\rPV1||I|U^1^A\r" +
                          nm(1, "147842^MDC_ECG_HEART_RATE^MDC", "1.2.1.1", "72", bpm) +
                          "\rOBR|1|||x|||20240601115950+0000\r";
  const auto r = read_pcd01(msg, beds(), now);
  EXPECT_EQ(r.ack_code, "AE");  // MSH-15 empty: original mode
  ASSERT_EQ(r.rejections.size(), 2U);
  EXPECT_EQ(r.rejections[0].text, "OBX before any OBR; row ignored");
  EXPECT_EQ(r.rejections[1].text, "OBR without OBX rows");
}

TEST(Pcd01Rules, ManyProblemsAreCountedInTheAck) {
  std::initializer_list<std::string> rows = {};
  std::string msg = report(rows);
  for (int i = 1; i <= 30; ++i) {
    msg += nm(i, "147842^MDC_ECG_HEART_RATE^MDC", cat("1.2.1.", i), "x", bpm) + "\r";
  }
  const auto r = read_pcd01(msg, beds(), now);
  EXPECT_EQ(r.rejections.size(), 30U);
  std::size_t errs = 0;
  for (std::size_t at = r.ack.find("\rERR|"); at != std::string::npos;
       at = r.ack.find("\rERR|", at + 1))
    ++errs;
  EXPECT_EQ(errs, 20U);
  EXPECT_NE(r.ack.find("(and 10 more problems not listed)\r"), std::string::npos);
}

TEST(Pcd01Rules, OptionsSetTheAcksNames) {
  pcd01_options o;
  o.application = "VIGIL_GW";
  o.ack_control_id = "G42";
  const auto r = read_pcd01(report({}), beds(), now, o);
  EXPECT_EQ(r.ack.substr(0, 19), "MSH|^~\\&|VIGIL_GW||");
  EXPECT_NE(r.ack.find("||ACK^R01^ACK|G42|P|2.6\r"), std::string::npos);
}

}  // namespace
}  // namespace vigil::hl7
