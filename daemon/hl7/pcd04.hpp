// IHE PCD-04 Report Alert: one Vigil AlarmEvent as an ORU^R40^ORU_R40 for a hospital's Alert
// Manager (shared/design/ihe-pcd.md section 4; [TF2] 3.4, B.7.1, B.8.5). Pure.
//
// The message, segments ended by \r, every text escaped for |^~\&:
//   MSH  MSH-9 ORU^R40^ORU_R40, MSH-11 P, MSH-12 2.6, MSH-15 AL, MSH-16 NE (AL when the
//        context asks for PCD-05 status, CP-PCD-150), MSH-18 UNICODE UTF-8 (the texts carry
//        "≥"), MSH-21 the ACM profile IHE_PCD_ACM_001 (OID 1.3.6.1.4.1.19376.1.6.1.4.1).
//   PV1  PV1-2 the patient class, PV1-3 the bed's location. No PID: an AlarmEvent names no
//        patient, and the segment is optional ([PID] in TF 3.4.4.1.2).
//   OBR  OBR-3 this indication, OBR-4 196616^MDC_EVT_ALARM^MDC, OBR-7 the packaging time,
//        OBR-29 the alarm's first indication (below).
//   OBX  the facets, OBX-4 1.0.0.0.<facet> in ascending order, OBX-11 F:
//        1 event (OBX-14 = the event's at_ms), then the event's text as CP-PCD-143's display
//        text row (0^MDCX_ATTR_ALERT_ANNOTATION, OBX-4 1.0.0.0.1.1, which sorts between facets
//        1 and 2), 2 source, 3 phase, 4 alarm state, 5 inactivation state, 6 priority, 7 type.
//
// Identity (TF B.7.1, CP-PCD-151): the first indication of an alarm (a RAISED whose at_ms is
// its onset_ms, or a NOTICE) has OBR-3 = alarm_id and an empty OBR-29; every later one has
// OBR-3 = "<alarm_id>.<event_seq>" (unique: event_seq rises per bed) and OBR-29.2 = alarm_id,
// the first one's OBR-3. Both are EIs in the sending application's namespace. An AM keys on
// OBR-29 when present, else OBR-3, as ihe-pcd.md advises.
//
// Transitions (contract.md) to phase / alarm state / inactivation state:
//   RAISED, first     start          active    enabled
//   RAISED, again     update         active    enabled   a LATCHED alarm active again: the
//                                                        same alert, so not a second "start"
//   ESCALATED         escalate       active    enabled
//   ACKNOWLEDGED      acknowledged   active    alert-acknowledged (the condition persists)
//   REMINDED          update         active    enabled   the silence after an ack expired
//   LATCHED           update         latched   enabled   not "end": a latched alarm must
//                                                        still reach a caregiver
//   ENDED             end            inactive  enabled
//   NOTICE            start_only     active    enabled   one event, no end will follow
// Priority LOW/MEDIUM/HIGH -> PL/PM/PH (PN when unspecified). Type: PHYSIOLOGICAL -> SP,
// TECHNICAL -> ST, PROCEDURAL and NOTICE -> SA: a procedural alarm (the infusion ran past its
// maximum) is about the care process, neither the patient's physiology nor a device fault,
// which is what ACM's advisory type is for.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/types.hpp"

namespace vigil::hl7 {

// HL7 HD: a namespace id, optionally with a universal id and its type (e.g. an EUI-64).
struct hd {
  std::string namespace_id{};
  std::string universal_id{};
  std::string universal_id_type{};
};

// HL7 PL as PCD uses it: point of care ^ room ^ bed ^ facility, e.g. "3 WEST ICU^3001^1".
struct location {
  std::string point_of_care{};
  std::string room{};
  std::string bed{};
  std::string facility{};
  // From the configuration's text form, components split on '^' (no escapes in it).
  static location from_text(std::string_view text);
};

struct pcd04_context {
  hd sending_application{"VIGIL"};  // MSH-3, and the namespace of OBR-3 / OBR-29
  hd sending_facility{};            // MSH-4
  hd receiving_application{};       // MSH-5
  hd receiving_facility{};          // MSH-6
  location bed_location{};          // PV1-3
  std::string patient_class = "U";  // PV1-2 (HL7 table 0004; U = unknown)
  std::string control_id{};         // MSH-10, unique per sending application
  std::int64_t packaging_ms = 0;    // MSH-7 and OBR-7: when the message is built (Unix ms)
  bool ask_for_status = false;      // MSH-16 AL instead of NE: "send me PCD-05"
};

// The ORU^R40 for one AlarmEvent, unframed.
std::string build_oru_r40(const core::alarm_event& e, const pcd04_context& ctx);

// The indication's identity as described above (unescaped).
struct indication_ids {
  std::string obr3;   // this indication
  std::string obr29;  // the alarm's first indication, "" on the first one itself
};
bool is_first_indication(const core::alarm_event& e);
indication_ids ids_for(const core::alarm_event& e);

// A control id (MSH-10) for an event: "<bed_id>.<event_seq>", unique for one vigild's beds
// across restarts, and the same when the same event is built again.
std::string control_id_for(const core::alarm_event& e);

}  // namespace vigil::hl7
