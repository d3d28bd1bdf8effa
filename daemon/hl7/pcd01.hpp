// IHE PCD-01 (ORU^R01) to Vigil's readings: one message in, the heart rates, blood pressures
// and the ACK to send out. Pure: the gateway owns sockets, dedupe and seq. The rules and their
// sources are in shared/design/ihe-pcd.md sections 1, 2, 5 and 6. Where they leave a choice:
// - ACK: AR/CR for a message not read at all (unparseable, not ORU^R01, a batch, no MSH-10);
//   AE/CE when anything was rejected (a row, an unmapped or missing PV1-3, no OBR); else AA/CA.
//   C* when MSH-15 is AL/ER/SU, A* when it is empty or NE (ack.hpp enhanced_mode).
// - A row that cannot be read (not a number, a repeated or unclosed value, a wrong unit, a bad
//   time, OBX-2 not NM, number and REFID disagreeing, a duplicate OBX-4) is rejected and not
//   returned. A row with no value (empty OBX-5 or "") is returned as an INVALID reading.
// - device_id: the row's or the nearest parent's first OBX-18 repetition, "EUI-64:<EI-3 in
//   capitals>" when EI-4 is EUI-64, else EI-1^EI-2^EI-3^EI-4 without trailing empty parts;
//   none anywhere: "<MSH-3 namespace id>/<MDS number>", e.g. "HL7/1".
// - Time: the row's or the nearest parent's OBX-14, else OBR-7 (an NIBP without any OBX-14
//   too). A blood pressure takes the SYS row's device and time; 0-400 mmHg is its range.
// - PV1-3 is looked up as its first three components, unescaped, joined by '^', without
//   trailing empty ones ("B1", "COLWELL^^SOLAR"). Only the first patient's bed is read.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace vigil::hl7 {

// Where a heart rate may come from: ecg = 147842 always; the rest are configured fallbacks.
enum class hr_source : std::uint8_t { ecg, spo2, arterial, nibp, generic };
// Their names in the configuration, in the enum's order.
inline constexpr std::string_view hr_source_names[] = {"ecg", "spo2", "arterial", "nibp",
                                                       "generic"};

struct sender_profile {
  std::string name;         // the configuration's name for the sender
  std::string application;  // MSH-3 namespace id this profile applies to ("" = the default profile)
  std::string time_zone = "UTC";          // used when a DTM has no offset (IANA name)
  std::vector<hr_source> hr_fallbacks{};  // in order, after ECG; empty = ECG only
  bool x_with_value_is_valid = false;     // quirk: OBX-11 X on a row with a value counts as valid
  bool cuff_codes_are_nibp = false;       // 150301-150303 read as NIBP
  bool unspecified_bp_is_nibp = false;    // 150017-150019 read as NIBP (else ignored)
  bool test_data = false;                 // everything from this sender is test data
  std::int64_t max_future_skew_ms = 300000;  // further in the future -> invalid
};

struct mapping {
  std::vector<sender_profile> senders;  // matched on MSH-3 namespace id
  sender_profile fallback;              // for an MSH-3 no profile names
  std::map<std::string, std::string, std::less<>>
      beds;  // PV1-3 "unit^room^bed" (first three components, unescaped) -> bed id
  const sender_profile& sender_for(std::string_view msh3) const;
};

struct rejection {
  std::string segment;
  int segment_index = 0;
  int field = 0;
  int error_code = 0;  // HL7 table 0357
  std::string text;
};

struct pcd01_report {
  std::string ack;                  // the ACK message to send back, unframed, always present
  std::string ack_code;             // AA/AE/AR or CA/CE/CR as sent
  std::string message_type;         // MSH-9, e.g. "ORU^R01"
  std::string sending_application;  // MSH-3 namespace id
  std::string control_id;           // MSH-10
  std::string version;              // MSH-12, for the log
  std::string sender;               // the profile's name used
  std::string location;             // PV1-3 as looked up ("unit^room^bed")
  std::string bed;                  // mapped bed id, "" when not mapped (then nothing is published)
  bool test_data = false;           // MSH-11 not P (or flagged): readings are all INVALID
  std::vector<core::heart_rate> heart_rates;  // seq left 0: the gateway assigns it
  std::vector<core::blood_pressure> pressures;
  std::vector<std::string> devices;   // device ids seen in the report
  std::vector<rejection> rejections;  // every row or message rejected, with the reason
};

// Options for the ACK the report carries.
struct pcd01_options {
  std::string application = "VIGIL";  // the ACK's MSH-3 when the message named no receiver
  std::string ack_control_id;         // the ACK's own MSH-10 ("" -> "A" + MSH-10)
};

pcd01_report read_pcd01(std::string_view message, const mapping& m, core::time_ms now_ms);
pcd01_report read_pcd01(std::string_view message, const mapping& m, core::time_ms now_ms,
                        const pcd01_options& options);

}  // namespace vigil::hl7
