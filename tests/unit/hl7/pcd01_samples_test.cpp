// The profile's own example messages and IPF's PCD-01 samples (tests/data/hl7/README.md cites
// them), each read to readings checked by hand against the message text.
#include <gtest/gtest.h>

#include "hl7/er7.hpp"
#include "hl7/pcd01.hpp"
#include "hl7_test_support.hpp"

namespace vigil::hl7 {
namespace {

using core::blood_pressure;
using core::bp_source;
using core::heart_rate;
using core::validity;

// [TF2] Appendix E.1.1, Philips: NIBP 117/82 (90) taken 11:50, HR 80 at OBR-7 18:26:56, every
// value with OBX-11 X and no time zone. The sender's profile sets the X quirk and UTC.
TEST(Pcd01Samples, TfE11PhysiologicalMonitor) {
  const auto r = read_pcd01(test::data_file("tf_e1_1.hl7"), test::sample_mapping(), 1421951218000);
  EXPECT_EQ(r.ack_code, "CA");  // MSH-15 AL
  EXPECT_EQ(r.ack,
            "MSH|^~\\&|VIGIL||PAT_DEVICE_PHILIPS_C|Philips|20150122182658.000+0000||ACK^R01^ACK|"
            "AHP0122182658686QQ000CND119C0WS61|P|2.6\r"
            "MSA|CA|HP0122182658686QQ000CND119C0WS61\r");
  EXPECT_EQ(r.message_type, "ORU^R01");
  EXPECT_EQ(r.sending_application, "PAT_DEVICE_PHILIPS_C");
  EXPECT_EQ(r.control_id, "HP0122182658686QQ000CND119C0WS61");
  EXPECT_EQ(r.version, "2.6");
  EXPECT_EQ(r.sender, "philips");
  EXPECT_EQ(r.location, "HO Surgery^OR^1");
  EXPECT_EQ(r.bed, "or-1");
  EXPECT_FALSE(r.test_data);
  EXPECT_TRUE(r.rejections.empty());
  // The VMDs' OBX-18 (1.1.0.0 NIBP, 1.2.0.0 ECG) is inherited; no zone: QUESTIONABLE at most.
  EXPECT_EQ(
      r.heart_rates,
      (std::vector<heart_rate>{{"0600dc750001", 1421951216000, 0, 80, validity::questionable}}));
  EXPECT_EQ(r.pressures,
            (std::vector<blood_pressure>{{"0600dc750001", 1421927400000, 0, 117, 82, 90,
                                          bp_source::nibp, validity::questionable}}));
  EXPECT_EQ(r.devices, std::vector<std::string>{"0600dc750001"});
}

TEST(Pcd01Samples, TfE11WithoutTheQuirkEveryValueIsInvalid) {
  auto m = test::sample_mapping();
  m.senders[0].x_with_value_is_valid = false;
  const auto r = read_pcd01(test::data_file("tf_e1_1.hl7"), m, 1421951218000);
  EXPECT_EQ(r.ack_code, "CA");
  ASSERT_EQ(r.heart_rates.size(), 1U);
  EXPECT_EQ(r.heart_rates[0].validity, validity::invalid);
  ASSERT_EQ(r.pressures.size(), 1U);
  EXPECT_EQ(r.pressures[0].validity, validity::invalid);
}

// [TF2] Appendix E.1.2, an episodic NIBP: 111/60 (80) at OBX-14 04:58:42 (no zone: UTC by the
// profile), pulse rate 63 {beat}/min from the cuff, read only as a configured fallback.
TEST(Pcd01Samples, TfE12EpisodicNibp) {
  const auto r = read_pcd01(test::data_file("tf_e1_2.hl7"), test::sample_mapping(), 1306990800000);
  EXPECT_EQ(r.ack_code, "CA");
  EXPECT_EQ(r.ack,
            "MSH|^~\\&|VIGIL||ACME_Gateway^080019FFFE3ED02D^EUI-64|ACME Healthcare|"
            "20110602050000.000+0000||ACK^R01^ACK|A0104ef190d604db188c3|P|2.6\r"
            "MSA|CA|0104ef190d604db188c3\r");
  EXPECT_EQ(r.sender, "acme");
  EXPECT_EQ(r.bed, "solar");
  EXPECT_TRUE(r.rejections.empty());
  const std::string device = "080019FFFE3ED02D172.16.172.135^GATEWAY_ACME";
  EXPECT_EQ(r.pressures, (std::vector<blood_pressure>{{device, 1306990722000, 0, 111, 60, 80,
                                                       bp_source::nibp, validity::questionable}}));
  EXPECT_EQ(r.heart_rates,
            (std::vector<heart_rate>{{device, 1306990722000, 0, 63, validity::questionable}}));

  auto ecg_only = test::sample_mapping();
  ecg_only.senders[1].hr_fallbacks.clear();
  EXPECT_TRUE(
      read_pcd01(test::data_file("tf_e1_2.hl7"), ecg_only, 1306990800000).heart_rates.empty());
}

// [IPF] valid-pcd01-request: an NIBP, but no PV1, so no bed: answered AE, nothing read.
TEST(Pcd01Samples, IpfRequestWithoutPv1IsAnError) {
  const auto r =
      read_pcd01(test::data_file("ipf_request.hl7"), test::sample_mapping(), 1250139500000);
  EXPECT_EQ(r.ack_code, "AE");  // MSH-15 NE, MSH-16 AL
  EXPECT_EQ(r.sender, "default");
  EXPECT_EQ(r.bed, "");
  EXPECT_TRUE(r.pressures.empty());
  EXPECT_TRUE(r.heart_rates.empty());
  ASSERT_EQ(r.rejections.size(), 1U);
  EXPECT_EQ(r.rejections[0].segment, "PV1");
  EXPECT_EQ(r.rejections[0].field, 3);
  EXPECT_EQ(r.rejections[0].error_code, 101);
  EXPECT_EQ(r.ack,
            "MSH|^~\\&|VIGIL||AcmeInc^ACDE48234567ABCD^EUI-64||20090813045820.000+0000||"
            "ACK^R01^ACK|AMSGID1234|P|2.6\r"
            "MSA|AE|MSGID1234\r"
            "ERR||PV1^^3|101^Required field missing^HL70357|E||||no PV1 segment: PV1-3 (patient "
            "location) names the bed; nothing read\r");
}

// [IPF] valid-pcd01-request2: ECG HR 60 and an arterial line 120/80 (92) at OBR-7 14:45:00
// local (America/New_York by the profile, EST), no OBX-18: the device is MSH-3 + MDS 1.
TEST(Pcd01Samples, IpfRequest2ArterialLine) {
  const auto r =
      read_pcd01(test::data_file("ipf_request2.hl7"), test::sample_mapping(), 1229024760000);
  EXPECT_EQ(r.ack_code, "AA");  // MSH-15 NE, MSH-16 AL (swapped): original mode
  EXPECT_EQ(r.sender, "aware");
  EXPECT_EQ(r.bed, "icu-3001-1");
  EXPECT_TRUE(r.rejections.empty());
  // 149522 (arterial pulse) is a configured fallback, unused: the device has an ECG rate.
  EXPECT_EQ(r.heart_rates,
            (std::vector<heart_rate>{{"HL7/1", 1229024700000, 0, 60, validity::questionable}}));
  EXPECT_EQ(r.pressures,
            (std::vector<blood_pressure>{{"HL7/1", 1229024700000, 0, 120, 80, 92,
                                          bp_source::arterial, validity::questionable}}));
  EXPECT_EQ(r.devices, std::vector<std::string>{"HL7/1"});
}

// [IPF] valid-pcd01-MaximumRequest2: NIBP 140/70 (100); SYS flagged QUES, DIA deleted (OBX-11
// D) -> INVALID. The second OBR's codes are 7 digits (1500212): not MDC terms, ignored.
TEST(Pcd01Samples, IpfMaximumRequest2) {
  const auto r = read_pcd01(test::data_file("ipf_maximum_request2.hl7"), test::sample_mapping(),
                            1250139446000);
  EXPECT_EQ(r.ack_code, "AA");
  EXPECT_EQ(r.bed, "b1");
  EXPECT_TRUE(r.rejections.empty());
  EXPECT_TRUE(r.heart_rates.empty());
  EXPECT_EQ(r.pressures,
            (std::vector<blood_pressure>{{"EUI-64:0123456789ABCDEF", 1250139445000, 0, 140, 70, 100,
                                          bp_source::nibp, validity::invalid}}));
  // SYS has its own OBX-18 (EI-4 EUI-64); DIA's own and MEAN's inherited one are written
  // "0123456789ABCDEF^EUI-64" (EI-2), which is not the EUI-64 form.
  EXPECT_EQ(r.devices,
            (std::vector<std::string>{"EUI-64:0123456789ABCDEF", "0123456789ABCDEF^EUI-64"}));
}

// [IPF] the responses: our parser reads them, and read_pcd01 rejects an ACK (not ORU^R01).
TEST(Pcd01Samples, IpfResponses) {
  message m;
  ASSERT_FALSE(parse_er7(test::data_file("ipf_response2.hl7"), m).has_value());
  const segment* msa = m.find("MSA");
  const segment* err = m.find("ERR");
  ASSERT_TRUE(msa && err);
  EXPECT_EQ(m.text(*msa, 1), "CE");
  EXPECT_EQ(m.text(*msa, 2), "20070701132554000008");
  EXPECT_EQ(m.text(*err, 3), "100");
  EXPECT_EQ(m.text(*err, 7), "Missing required OBR segment");

  const auto r = read_pcd01(test::data_file("ipf_response.hl7"), test::sample_mapping(), 0);
  EXPECT_EQ(r.ack_code, "AR");
  EXPECT_EQ(r.message_type, "ACK^R01");
  ASSERT_EQ(r.rejections.size(), 1U);
  EXPECT_EQ(r.rejections[0].error_code, 200);
}

}  // namespace
}  // namespace vigil::hl7
