// What an Alert Manager sends back on the PCD-04 connection, read: ACKs (Dräger's reference
// ACK among them) and PCD-05 ORA^R41 (Dräger's reference message and one written from the TF
// and CP-PCD-150/153). The files and their sources: tests/data/hl7/pcd05/README.md. Expected
// values are read off the files by hand.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "hl7/er7.hpp"
#include "hl7/pcd05.hpp"

namespace vigil::hl7 {
namespace {

std::string data(const std::string& name) {
  std::ifstream in(std::string(VIGIL_HL7_DATA_DIR) + "/pcd05/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const ack_params params{
    .application = "VIGIL", .control_id = "VIGIL-ACK-1", .timestamp = "20261201104132.000+0000"};

TEST(pcd05_reader, DraegerReferenceAck) {
  const auto m = read_am_message(data("draeger_ack_watchdog.hl7"), params);
  ASSERT_EQ(m.what, am_message::kind::ack) << m.error;
  EXPECT_EQ(m.ack.code, "CA");
  EXPECT_EQ(m.ack.control_id, "2df8823a-f8fb-44e0-a4ba-1d826e0809f1");
  EXPECT_TRUE(m.ack.accepted());
  EXPECT_EQ(m.ack.error_text, "");
}

TEST(pcd05_reader, ARejectWithItsError) {
  const auto m = read_am_message(data("ack_ar_with_err.hl7"), params);
  ASSERT_EQ(m.what, am_message::kind::ack) << m.error;
  EXPECT_EQ(m.ack.code, "AR");
  EXPECT_EQ(m.ack.control_id, "chair-3.12");
  EXPECT_TRUE(m.ack.rejected());
  EXPECT_FALSE(m.ack.error());
  EXPECT_EQ(m.ack.error_text, "103 Table value not found: unknown parent & namespace");
}

TEST(pcd05_reader, ErrorCodes) {
  for (const std::string code : {"AE", "CE"}) {
    const std::string ack = "MSH|^~\\&|AM||VIGIL||20261201104131+0000||ACK^R40^ACK|x|P|2.6\rMSA|" +
                            code + "|c-1|database busy\r";
    const auto m = read_am_message(ack, params);
    ASSERT_EQ(m.what, am_message::kind::ack);
    EXPECT_TRUE(m.ack.error()) << code;
    EXPECT_EQ(m.ack.error_text, "database busy") << "MSA-3, the older way to say it";
  }
}

TEST(pcd05_reader, DraegerReferenceStatus) {
  const auto m = read_am_message(data("draeger_pcd05_alarm.hl7"), params);
  ASSERT_EQ(m.what, am_message::kind::status) << m.error;
  ASSERT_TRUE(m.status) << m.error;
  const auto& s = *m.status;
  EXPECT_EQ(s.control_id, "0");
  EXPECT_EQ(s.sender, "MockAM");
  EXPECT_EQ(s.start_control_id, "");
  EXPECT_EQ(s.indication_id, "0");
  EXPECT_EQ(s.indication_namespace, "3d313edb-6fab-4718-9d38-82262c83aea5");
  EXPECT_EQ(s.alert_id, "0");
  EXPECT_EQ(s.status, "Delivered");
  ASSERT_EQ(s.recipients.size(), 1u);
  EXPECT_EQ(s.recipients[0].person, "");
  EXPECT_EQ(s.at_ms, 1574870743000) << "MSH-7 20191127160543, read as UTC";
  EXPECT_EQ(describe(s),
            "PCD-05 0 from MockAM: alert 0 (indication 0^3d313edb-6fab-4718-9d38-82262c83aea5) "
            "Delivered at 20191127160543.000+0000");
}

TEST(pcd05_reader, DraegerStatusIsAcknowledged) {
  const auto m = read_am_message(data("draeger_pcd05_alarm.hl7"), params);
  // MSH-15 empty: original mode, AA; MSA-2 the ORA's MSH-10 "0"; version 2.7 echoed.
  EXPECT_EQ(m.reply,
            "MSH|^~\\&|VIGIL|||MockAM|20261201104132.000+0000||ACK^R41^ACK|VIGIL-ACK-1|P|2.7\r"
            "MSA|AA|0\r");
}

TEST(pcd05_reader, DeliveredAndRead) {
  const auto m = read_am_message(data("vigil_pcd05_delivered_read.hl7"), params);
  ASSERT_TRUE(m.status) << m.error;
  const auto& s = *m.status;
  EXPECT_EQ(s.control_id, "ora-991");
  EXPECT_EQ(s.sender, "AM_PHILIPS_IEM");
  EXPECT_EQ(s.start_control_id, "chair-3.12");
  EXPECT_EQ(s.indication_id, "chair-3:SBP_HIGH:1.14");
  EXPECT_EQ(s.indication_namespace, "VIGIL");
  EXPECT_EQ(s.alert_id, "chair-3:SBP_HIGH:1") << "OBR-29.2.1, the first indication";
  EXPECT_EQ(s.status, "Delivered to endpoint");
  ASSERT_EQ(s.recipients.size(), 2u);
  EXPECT_EQ(s.recipients[0].role, "AAP");
  EXPECT_EQ(s.recipients[0].person, "1234 Lee Kim");
  EXPECT_EQ(s.recipients[0].telecom, "555-0101");
  EXPECT_EQ(s.recipients[0].at_ms, 1796121684500);  // 2026-12-01 10:41:24.500 UTC
  EXPECT_EQ(s.recipients[1].status, "Read at endpoint");
  EXPECT_EQ(s.recipients[1].at_ms, 1796121690000);  // 10:41:30
  EXPECT_EQ(s.at_ms, 1796121684500);
  EXPECT_EQ(describe(s),
            "PCD-05 ora-991 from AM_PHILIPS_IEM: alert chair-3:SBP_HIGH:1 (indication "
            "chair-3:SBP_HIGH:1.14^VIGIL) Delivered to endpoint to 1234 Lee Kim (555-0101) to "
            "1234 Lee Kim Read at endpoint at 20261201104124.500+0000");
  // MSH-15 AL: enhanced mode, CA.
  EXPECT_EQ(m.reply,
            "MSH|^~\\&|VIGIL|KETAMINE CLINIC|AM_PHILIPS_IEM|HOSP|20261201104132.000+0000||"
            "ACK^R41^ACK|VIGIL-ACK-1|P|2.6\rMSA|CA|ora-991\r");
}

TEST(pcd05_reader, WithoutObrIsRejected) {
  const auto m = read_am_message(data("no_obr.hl7"), params);
  EXPECT_EQ(m.what, am_message::kind::status);
  EXPECT_FALSE(m.status);
  EXPECT_EQ(m.error, "ORA^R41 without an OBR segment");
  message ack;
  ASSERT_FALSE(parse_er7(m.reply, ack));
  const auto* msa = ack.find("MSA");
  ASSERT_NE(msa, nullptr);
  EXPECT_EQ(ack.text(*msa, 1), "CR");
  EXPECT_EQ(ack.text(*msa, 2), "ora-992");
  const auto* err = ack.find("ERR");
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(ack.text(*err, 3), "100");
}

TEST(pcd05_reader, OtherFramesAreNotMistakenForAnAck) {
  const auto oru = read_am_message(data("draeger_pcd04_alarm.hl7"), params);
  EXPECT_EQ(oru.what, am_message::kind::other);
  EXPECT_EQ(oru.error, "unexpected message type 'ORU^R40'");

  const auto junk = read_am_message("hello", params);
  EXPECT_EQ(junk.what, am_message::kind::other);
  EXPECT_NE(junk.error.find("not an HL7 message"), std::string::npos) << junk.error;

  const auto no_msa = read_am_message("MSH|^~\\&|AM||||20261201||ACK|x|P|2.6\r", params);
  EXPECT_EQ(no_msa.what, am_message::kind::other);
  EXPECT_EQ(no_msa.error, "an ACK without MSA-1 and MSA-2");
}

TEST(pcd05_reader, AStatusWithAnMsaIsNotAnAck) {
  // CP-PCD-150: MSA-2 of a PCD-05 is the start PCD-04's MSH-10; it must not count as its ACK.
  const auto m = read_am_message(data("vigil_pcd05_delivered_read.hl7"), params);
  EXPECT_EQ(m.what, am_message::kind::status);
  EXPECT_EQ(m.ack.control_id, "");
}

}  // namespace
}  // namespace vigil::hl7
