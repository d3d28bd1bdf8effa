// Protobuf bytes <-> core value types, for every message of contract.md in both directions.
// The only public header of the codec that speaks of the wire format; it exposes no protobuf
// type, so callers need no *.pb.h.
//
// Decoding never throws: malformed bytes, and enum values this version does not know (a
// reading of unknown validity must not be evaluated as valid), give an error text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "codec/result.hpp"
#include "core/types.hpp"

namespace vigil::codec {

enum class daemon_state : std::uint8_t { unspecified, online, offline };
enum class daemon_role : std::uint8_t { unspecified, leader, standby };

// DaemonStatus: core has no daemon, so its value type lives here.
struct daemon_status {
  std::string instance;
  daemon_state state = daemon_state::unspecified;
  std::string version;
  core::time_ms started_at_ms = 0;
  core::time_ms at_ms = 0;
  daemon_role role = daemon_role::unspecified;
  friend bool operator==(const daemon_status&, const daemon_status&) = default;
};

template <class T>
using decoded = result<T, std::string>;

// Inputs (gateway, pump, dashboard -> vigild). Wire BP_SOURCE_UNSPECIFIED decodes to nibp; an
// empty drug decodes to "ketamine".
decoded<core::heart_rate> decode_heart_rate(std::string_view bytes);
decoded<core::blood_pressure> decode_blood_pressure(std::string_view bytes);
decoded<core::monitor_status> decode_monitor_status(std::string_view bytes);
decoded<core::infusion_event> decode_infusion_event(std::string_view bytes);
decoded<core::alarm_ack> decode_alarm_ack(std::string_view bytes);
// Outputs (vigild -> dashboards), for dashboards, tools and tests.
decoded<core::alarm_event> decode_alarm_event(std::string_view bytes);
decoded<core::active_alarms> decode_active_alarms(std::string_view bytes);
decoded<core::session_state> decode_session_state(std::string_view bytes);
decoded<daemon_status> decode_daemon_status(std::string_view bytes);

// Serialized protobuf bytes. Deterministic: the same value gives the same bytes.
std::string encode(const core::heart_rate& m);
std::string encode(const core::blood_pressure& m);
std::string encode(const core::monitor_status& m);
std::string encode(const core::infusion_event& m);
std::string encode(const core::alarm_ack& m);
std::string encode(const core::alarm_event& m);
std::string encode(const core::active_alarms& m);
std::string encode(const core::session_state& m);
std::string encode(const daemon_status& m);

// Protobuf itself writes a line to stderr for every string field of invalid UTF-8 it parses
// (such a payload is a decode error) or serializes. Ingest already counts and describes every
// undecodable payload for a rate-limited log; protobuf's own line per message would let a
// sender flood stderr. Call once at start-up: drops protobuf's messages below FATAL, and
// counts them.
void silence_protobuf_log();
// The lines protobuf wanted to write since silence_protobuf_log(). Any thread.
std::uint64_t protobuf_log_lines();

// One line (no trailing newline) of protobuf's JSON mapping of an AlarmEvent, with the
// contract's snake_case field names; the same event gives the same bytes. int64/uint64 fields
// are JSON strings, enums their full names (PRIORITY_HIGH), as the standard mapping says.
// Written directly (not through protobuf's printer, which costs some 200,000 instructions an
// event) with the same bytes as to_json_line_protobuf; an event whose strings are not
// well-formed UTF-8 is printed by that one.
std::string to_json_line(const core::alarm_event& e);
// The same line from protobuf's own JSON printer (util::MessageToJsonString): the reference
// to_json_line keeps to, byte for byte.
std::string to_json_line_protobuf(const core::alarm_event& e);

}  // namespace vigil::codec
