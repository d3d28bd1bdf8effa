// The ACK: MSH echoing the sender, MSA with MSH-10, the code for MSH-15, ERR segments.
#include <gtest/gtest.h>

#include <string>

#include "hl7/ack.hpp"

namespace vigil::hl7 {
namespace {

ack_request oru(std::string accept = "AL") {
  // Built whole: assigning "P" to a member trips GCC 12's false -Wrestrict at -O2.
  return ack_request{.sending_application = "GW^0011223344556677^EUI-64",
                     .sending_facility = "Ward 7",
                     .receiving_application = "",
                     .receiving_facility = "",
                     .trigger_event = "R01",
                     .control_id = "MSG0001",
                     .processing_id = "P",
                     .version = "2.6",
                     .accept_ack_type = std::move(accept)};
}

ack_params params() {
  return ack_params{
      .application = "VIGIL", .control_id = "AMSG0001", .timestamp = "20240601120000.000+0000"};
}

TEST(Ack, AcceptInEnhancedMode) {
  EXPECT_EQ(build_ack(oru(), ack_kind::accept, {}, params()),
            "MSH|^~\\&|VIGIL||GW^0011223344556677^EUI-64|Ward 7|20240601120000.000+0000||"
            "ACK^R01^ACK|AMSG0001|P|2.6\r"
            "MSA|CA|MSG0001\r");
}

TEST(Ack, CodesFollowMsh15) {
  EXPECT_EQ(ack_code(oru("AL"), ack_kind::accept), "CA");
  EXPECT_EQ(ack_code(oru("ER"), ack_kind::error), "CE");
  EXPECT_EQ(ack_code(oru("SU"), ack_kind::reject), "CR");
  EXPECT_EQ(ack_code(oru(""), ack_kind::accept), "AA");
  EXPECT_EQ(ack_code(oru(""), ack_kind::error), "AE");
  EXPECT_EQ(ack_code(oru(""), ack_kind::reject), "AR");
  EXPECT_EQ(ack_code(oru("NE"), ack_kind::accept), "AA");  // IPF request2: MSH-15/16 swapped
}

TEST(Ack, TriggerEventIsTheMessages) {
  ack_request r = oru("");
  r.trigger_event = "R41";  // PCD-05 ORA^R41
  r.receiving_application = "AM_IEM^00095CFFFE741952^EUI-64";
  r.receiving_facility = "Philips";
  EXPECT_EQ(build_ack(r, ack_kind::accept, {}, params()),
            "MSH|^~\\&|AM_IEM^00095CFFFE741952^EUI-64|Philips|GW^0011223344556677^EUI-64|Ward 7|"
            "20240601120000.000+0000||ACK^R41^ACK|AMSG0001|P|2.6\r"
            "MSA|AA|MSG0001\r");
}

TEST(Ack, RequestFromAPcd05Message) {
  // [TF2] 3.5: an Alert Manager's ORA^R41; the ACK echoes its trigger and MSH-10.
  message m;
  ASSERT_FALSE(parse_er7("MSH|^~\\&|AM^00095CFFFE741952^EUI-64|Philips|VIGIL|Clinic|"
                         "20240601120000+0000||ORA^R41^ORA_R41|AM77|P|2.6|||NE|AL\rPRT|1\r",
                         m)
                   .has_value());
  const ack_request r = ack_request_from(m);
  EXPECT_EQ(r.trigger_event, "R41");
  EXPECT_EQ(r.control_id, "AM77");
  EXPECT_EQ(build_ack(r, ack_kind::accept, {}, params()),
            "MSH|^~\\&|VIGIL|Clinic|AM^00095CFFFE741952^EUI-64|Philips|20240601120000.000+0000||"
            "ACK^R41^ACK|AMSG0001|P|2.6\r"
            "MSA|AA|AM77\r");
  message empty;
  EXPECT_EQ(ack_request_from(empty).control_id, "");
}

TEST(Ack, ErrSegments) {
  const std::vector<ack_error> errors = {
      {"PV1", 3, 3, err::table_value, severity::error,
       "PV1-3 location 'NOWHERE^9^9' is not mapped to a bed; nothing read"},
      {"OBX", 6, 5, err::data_type, severity::warning, "OBX-5 '7|two' is not a number"},
      {"", 0, 0, err::application_internal, severity::information, "x"},
  };
  EXPECT_EQ(build_ack(oru(), ack_kind::error, errors, params()),
            "MSH|^~\\&|VIGIL||GW^0011223344556677^EUI-64|Ward 7|20240601120000.000+0000||"
            "ACK^R01^ACK|AMSG0001|P|2.6\r"
            "MSA|CE|MSG0001\r"
            "ERR||PV1^3^3|103^Table value not found^HL70357|E||||"
            "PV1-3 location 'NOWHERE\\S\\9\\S\\9' is not mapped to a bed; nothing read\r"
            "ERR||OBX^6^5|102^Data type error^HL70357|W||||OBX-5 '7\\F\\two' is not a number\r"
            "ERR|||207^Application internal error^HL70357|I||||x\r");
}

TEST(Ack, UnreadableMessageGetsAnAckWithEmptyMsa2) {
  const ack_request nothing;
  EXPECT_EQ(
      build_ack(nothing, ack_kind::reject,
                {{"", 0, 0, err::segment_sequence, severity::error, "empty message"}}, params()),
      "MSH|^~\\&|VIGIL||||20240601120000.000+0000||ACK|AMSG0001|P|2.6\r"
      "MSA|AR|\r"
      "ERR|||100^Segment sequence error^HL70357|E||||empty message\r");
}

}  // namespace
}  // namespace vigil::hl7
