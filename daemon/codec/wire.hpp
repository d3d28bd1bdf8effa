// The codec's own: how core value types map onto the protobuf messages of contract.md, shared
// by its translation units (wire -> core, core -> wire, the readings' fast path, JSON lines).
// Includes *.pb.h, so nothing outside daemon/codec includes it; callers use codec.hpp.
#pragma once

#include <climits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "codec/codec.hpp"
#include "vigil/v1/alarms.pb.h"
#include "vigil/v1/daemon.pb.h"
#include "vigil/v1/session.pb.h"
#include "vigil/v1/vitals.pb.h"

namespace vigil::codec::detail {

namespace pb = vigil::v1;

// Core enums use the wire's numbers, so a wire value this version knows maps by a cast. These
// pin that down; bp_source differs (no unspecified in core) and is mapped by hand.
template <class Core, class Pb>
constexpr bool same_number(Core c, Pb p) {
  return static_cast<int>(c) == static_cast<int>(p);
}
static_assert(same_number(core::validity::unspecified, pb::VALIDITY_UNSPECIFIED) &&
              same_number(core::validity::valid, pb::VALIDITY_VALID) &&
              same_number(core::validity::questionable, pb::VALIDITY_QUESTIONABLE) &&
              same_number(core::validity::invalid, pb::VALIDITY_INVALID));
static_assert(same_number(core::monitor_state::unspecified, pb::MONITOR_STATE_UNSPECIFIED) &&
              same_number(core::monitor_state::online, pb::MONITOR_STATE_ONLINE) &&
              same_number(core::monitor_state::offline, pb::MONITOR_STATE_OFFLINE));
static_assert(same_number(core::infusion_kind::unspecified, pb::INFUSION_KIND_UNSPECIFIED) &&
              same_number(core::infusion_kind::started, pb::INFUSION_KIND_STARTED) &&
              same_number(core::infusion_kind::paused, pb::INFUSION_KIND_PAUSED) &&
              same_number(core::infusion_kind::resumed, pb::INFUSION_KIND_RESUMED) &&
              same_number(core::infusion_kind::stopped, pb::INFUSION_KIND_STOPPED));
static_assert(same_number(core::alarm_kind::unspecified, pb::ALARM_KIND_UNSPECIFIED) &&
              same_number(core::alarm_kind::physiological, pb::ALARM_KIND_PHYSIOLOGICAL) &&
              same_number(core::alarm_kind::technical, pb::ALARM_KIND_TECHNICAL) &&
              same_number(core::alarm_kind::procedural, pb::ALARM_KIND_PROCEDURAL) &&
              same_number(core::alarm_kind::notice, pb::ALARM_KIND_NOTICE));
static_assert(same_number(core::priority::unspecified, pb::PRIORITY_UNSPECIFIED) &&
              same_number(core::priority::low, pb::PRIORITY_LOW) &&
              same_number(core::priority::medium, pb::PRIORITY_MEDIUM) &&
              same_number(core::priority::high, pb::PRIORITY_HIGH));
static_assert(same_number(core::alarm_state::unspecified, pb::ALARM_STATE_UNSPECIFIED) &&
              same_number(core::alarm_state::active, pb::ALARM_STATE_ACTIVE) &&
              same_number(core::alarm_state::acknowledged, pb::ALARM_STATE_ACKNOWLEDGED) &&
              same_number(core::alarm_state::latched, pb::ALARM_STATE_LATCHED) &&
              same_number(core::alarm_state::ended, pb::ALARM_STATE_ENDED));
static_assert(same_number(core::transition::unspecified, pb::TRANSITION_UNSPECIFIED) &&
              same_number(core::transition::raised, pb::TRANSITION_RAISED) &&
              same_number(core::transition::escalated, pb::TRANSITION_ESCALATED) &&
              same_number(core::transition::acknowledged, pb::TRANSITION_ACKNOWLEDGED) &&
              same_number(core::transition::reminded, pb::TRANSITION_REMINDED) &&
              same_number(core::transition::latched, pb::TRANSITION_LATCHED) &&
              same_number(core::transition::ended, pb::TRANSITION_ENDED) &&
              same_number(core::transition::notice, pb::TRANSITION_NOTICE));
static_assert(same_number(core::phase::unspecified, pb::PHASE_UNSPECIFIED) &&
              same_number(core::phase::idle, pb::PHASE_IDLE) &&
              same_number(core::phase::infusion, pb::PHASE_INFUSION) &&
              same_number(core::phase::recovery, pb::PHASE_RECOVERY));
static_assert(same_number(daemon_state::unspecified, pb::DAEMON_STATE_UNSPECIFIED) &&
              same_number(daemon_state::online, pb::DAEMON_STATE_ONLINE) &&
              same_number(daemon_state::offline, pb::DAEMON_STATE_OFFLINE));
static_assert(same_number(daemon_role::unspecified, pb::DAEMON_ROLE_UNSPECIFIED) &&
              same_number(daemon_role::leader, pb::DAEMON_ROLE_LEADER) &&
              same_number(daemon_role::standby, pb::DAEMON_ROLE_STANDBY));

template <class Pb, class Core>
Pb wire(Core c) {
  return static_cast<Pb>(c);
}

// Maps wire enums to core ones, remembering the first value this version does not know.
struct enum_reader {
  std::string error;

  template <class Core>
  void read(std::string_view field, int value, bool (*known)(int), Core& out) {
    if (!error.empty()) return;
    if (known(value)) {
      out = static_cast<Core>(value);
    } else {
      error = std::string(field) + ": unknown enum value " + std::to_string(value);
    }
  }
};

inline std::optional<double> opt(bool present, double v) {
  return present ? std::optional<double>(v) : std::nullopt;
}

// ---- wire -> core (from_wire.cpp) ----

// Templates over the message's accessors: the protobuf class, or the fields a fast path read.
template <class HeartRateFields>
decoded<core::heart_rate> heart_rate_from(const HeartRateFields& m) {
  // Every second from every bed: built in place, the enum checked without an enum_reader.
  const int validity = m.validity();
  if (!pb::Validity_IsValid(validity)) {
    return failure{"HeartRate.validity: unknown enum value " + std::to_string(validity)};
  }
  return core::heart_rate{std::string(m.device_id()), m.measured_at_ms(), m.seq(), m.bpm(),
                          static_cast<core::validity>(validity)};
}

template <class BloodPressureFields>
decoded<core::blood_pressure> blood_pressure_from(const BloodPressureFields& m) {
  core::blood_pressure r;
  r.device_id = m.device_id();
  r.measured_at_ms = m.measured_at_ms();
  r.seq = m.seq();
  r.systolic_mmhg = m.systolic_mmhg();
  r.diastolic_mmhg = m.diastolic_mmhg();
  r.mean_mmhg = opt(m.has_mean_mmhg(), m.mean_mmhg());
  switch (m.source()) {
    case pb::BP_SOURCE_UNSPECIFIED:  // contract: unspecified means a cuff reading
    case pb::BP_SOURCE_NIBP: r.source = core::bp_source::nibp; break;
    case pb::BP_SOURCE_ARTERIAL: r.source = core::bp_source::arterial; break;
    default:
      return failure{"BloodPressure.source: unknown enum value " +
                     std::to_string(static_cast<int>(m.source()))};
  }
  enum_reader e;
  e.read("BloodPressure.validity", m.validity(), pb::Validity_IsValid, r.validity);
  if (!e.error.empty()) return failure{e.error};
  return r;
}

decoded<core::heart_rate> from_wire(const pb::HeartRate& m);
decoded<core::blood_pressure> from_wire(const pb::BloodPressure& m);
decoded<core::monitor_status> from_wire(const pb::MonitorStatus& m);
decoded<core::infusion_event> from_wire(const pb::InfusionEvent& m);
decoded<core::alarm_ack> from_wire(const pb::AlarmAck& m);
decoded<core::alarm_event> from_wire(const pb::AlarmEvent& m);
decoded<core::active_alarms> from_wire(const pb::ActiveAlarms& m);
decoded<core::session_state> from_wire(const pb::SessionState& m);
decoded<daemon_status> from_wire(const pb::DaemonStatus& m);

// ---- core -> wire (to_wire.cpp) ----

void to_wire(const core::heart_rate& v, pb::HeartRate& m);
void to_wire(const core::blood_pressure& v, pb::BloodPressure& m);
void to_wire(const core::monitor_status& v, pb::MonitorStatus& m);
void to_wire(const core::infusion_event& v, pb::InfusionEvent& m);
void to_wire(const core::alarm_ack& v, pb::AlarmAck& m);
void to_wire(const core::alarm_event& v, pb::AlarmEvent& m);
void to_wire(const core::active_alarms& v, pb::ActiveAlarms& m);
void to_wire(const core::session_state& v, pb::SessionState& m);
void to_wire(const daemon_status& v, pb::DaemonStatus& m);

// ---- bytes ----

template <class Pb>
auto decode_as(std::string_view bytes) -> decltype(from_wire(std::declval<const Pb&>())) {
  // One message per type and thread, reused: parsing into it keeps its strings' buffers, so
  // decoding a reading allocates nothing (a fresh message allocates every string field).
  thread_local Pb m;
  // Parse never throws; it fails on malformed varints, lengths past the end, bad wire types.
  if (bytes.size() > static_cast<std::size_t>(INT_MAX) ||
      !m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return failure{"not a valid " + Pb::descriptor()->full_name() + " (" +
                   std::to_string(bytes.size()) + " bytes)"};
  }
  return from_wire(m);
}

template <class Pb, class Core>
std::string encode_as(const Core& v) {
  Pb m;
  to_wire(v, m);
  return m.SerializeAsString();
}

}  // namespace vigil::codec::detail
