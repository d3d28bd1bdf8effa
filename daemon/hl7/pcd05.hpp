// What an Alert Manager sends back to Vigil on its PCD-04 connection, read: the HL7 ACK of a
// message ("received", [TF2] 3.4.4.1.5), or a PCD-05 ORA^R41 Report Alert Status (who was
// paged, delivered, read: [TF2] 3.5, B.10.3; CP-PCD-150 adds its MSA, CP-PCD-153 makes PRT-3
// the status). Pure.
//
// PCD-05 fields read (shared/design/ihe-pcd.md section 4):
//   alert      OBR-29.2.1 when present (the alarm's first indication), else OBR-3.1
//   indication OBR-3.1 and .2 (the PCD-04 the status is about, and its namespace)
//   status     PRT-3 action reason: its text (component 2), else its identifier, e.g.
//              "Delivered" (Dräger's reference message); else OBX-5 of the first OBX
//   who        PRT-5 person (XCN: id, family, given), PRT-15 telecom address, PRT-4 role
//   when       PRT-11, else MSH-7 (Unix ms; a time without a zone is read as UTC)
// Every PRT is a recipient; a message without OBR is answered AR (ERR 100).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hl7/ack.hpp"

namespace vigil::hl7 {

// An ACK's MSA and ERR.
struct ack_reply {
  std::string code;        // MSA-1: AA, AE, AR, CA, CE, CR
  std::string control_id;  // MSA-2: the MSH-10 it acknowledges
  std::string error_text;  // MSA-3 and each ERR (code, text, ERR-8), for the log; "" if none
  bool accepted() const { return code == "AA" || code == "CA"; }
  bool rejected() const { return code == "AR" || code == "CR"; }
  bool error() const { return code == "AE" || code == "CE"; }
};

struct pcd05_recipient {
  std::string role;        // PRT-4 identifier, e.g. "AR" or "AAP"
  std::string person;      // PRT-5 as "id family given", trimmed
  std::string telecom;     // PRT-15: the unformatted number, else the address components
  std::string status;      // PRT-3
  std::int64_t at_ms = 0;  // PRT-11, 0 when absent
};

struct pcd05_status {
  std::string control_id;            // MSH-10 (what our ACK echoes)
  std::string sender;                // MSH-3, else MSH-4
  std::string start_control_id;      // MSA-2 (CP-PCD-150): the MSH-10 of the alarm's start PCD-04
  std::string alert_id;              // the alarm, as described above
  std::string indication_id;         // OBR-3.1
  std::string indication_namespace;  // OBR-3.2
  std::string status;                // the first recipient's status, else the first OBX-5
  std::vector<pcd05_recipient> recipients;
  std::int64_t at_ms = 0;  // the first PRT-11, else MSH-7, else 0
};

// What one frame from the AM is.
struct am_message {
  enum class kind : std::uint8_t { ack, status, other };
  am_message::kind what = kind::other;
  ack_reply ack{};                       // what == ack
  std::optional<pcd05_status> status{};  // what == status, when it could be read
  std::string reply{};                   // what == status: the ACK to send back, unframed
  std::string error{};                   // why it is not usable (other, or an unreadable status)
};

// Reads one frame (unframed HL7). `params` names Vigil and its ACK's control id and time.
am_message read_am_message(std::string_view frame, const ack_params& params);

// One line for the log: "PCD-05 from AM: alert bed-1:SBP_HIGH:1 Delivered to 123 Kim Lee at ...".
std::string describe(const pcd05_status& s);

}  // namespace vigil::hl7
