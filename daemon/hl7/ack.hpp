// The HL7 ACK for a received message: MSH, MSA echoing MSH-10, and one ERR per problem.
// Used for PCD-01 ORU^R01 and PCD-05 ORA^R41: the trigger event is taken from the message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hl7/er7.hpp"

namespace vigil::hl7 {

// HL7 table 0357, the codes an ERR-3 carries.
namespace err {
inline constexpr int segment_sequence = 100;
inline constexpr int required_field_missing = 101;
inline constexpr int data_type = 102;
inline constexpr int table_value = 103;
inline constexpr int unsupported_message_type = 200;
inline constexpr int unsupported_event = 201;
inline constexpr int unsupported_processing_id = 202;
inline constexpr int unsupported_version = 203;
inline constexpr int duplicate_key = 205;
inline constexpr int application_internal = 207;
}  // namespace err

enum class ack_kind : std::uint8_t { accept, error, reject };        // AA/CA, AE/CE, AR/CR
enum class severity : std::uint8_t { error, warning, information };  // ERR-4: E, W, I

struct ack_error {
  std::string segment;    // ERR-2.1, "" when not about a segment
  int segment_index = 0;  // ERR-2.2 (1-based), 0 = not given
  int field = 0;          // ERR-2.3, 0 = not given
  int code = 0;           // ERR-3, table 0357
  hl7::severity severity = severity::error;
  std::string text;  // ERR-8 user message
};

// What the ACK needs from the received message (all "" when its MSH could not be read),
// written for the ACK's delimiters |^~\& (message::reencode).
struct ack_request {
  std::string sending_application;    // MSH-3 (raw, echoed in the ACK's MSH-5)
  std::string sending_facility;       // MSH-4 (echoed in MSH-6)
  std::string receiving_application;  // MSH-5 (the ACK's MSH-3; "" -> our own name)
  std::string receiving_facility;     // MSH-6 (the ACK's MSH-4)
  std::string trigger_event;          // MSH-9.2, e.g. "R01", "R41"
  std::string control_id;             // MSH-10, echoed in MSA-2
  std::string processing_id;          // MSH-11 ("" -> P)
  std::string version;                // MSH-12 ("" -> 2.6)
  std::string accept_ack_type;        // MSH-15: see enhanced_mode
};

// The request from a parsed message's MSH (the first segment, if it is MSH; else all empty),
// e.g. for a PCD-05 ORA^R41: build_ack(ack_request_from(msg), ack_kind::accept, {}, params).
ack_request ack_request_from(const message& msg);

struct ack_params {
  std::string application = "VIGIL";  // the ACK's MSH-3 when the message named no receiver
  std::string control_id;             // the ACK's own MSH-10
  std::string timestamp;              // MSH-7 as DTM, e.g. "20261201120000+0000"
};

// The enhanced-mode codes (CA/CE/CR) when MSH-15 asks for an accept acknowledgement (AL, ER,
// SU), the original-mode codes (AA/AE/AR) when it is empty or NE (IPF's request2 swaps
// MSH-15/16 and is answered AA). ihe-pcd.md section 3.
bool enhanced_mode(std::string_view accept_ack_type);
// The two-letter code that will be sent: "CA", "AE", ...
std::string ack_code(const ack_request& req, ack_kind kind);

// The ACK message, unframed, segments ended with \r. Text is escaped for the ACK's own
// delimiters (|^~\&).
std::string build_ack(const ack_request& req, ack_kind kind, const std::vector<ack_error>& errors,
                      const ack_params& params);

// A DTM for MSH-7 from Unix ms, in UTC: YYYYMMDDHHMMSS.SSS+0000.
std::string format_dtm_utc(std::int64_t unix_ms);

}  // namespace vigil::hl7
