// Protobuf messages -> core value types: every message of contract.md, checking that each
// enum value is one this version knows.
#include <string>
#include <utility>

#include "codec/wire.hpp"

namespace vigil::codec::detail {

decoded<core::heart_rate> from_wire(const pb::HeartRate& m) { return heart_rate_from(m); }

decoded<core::blood_pressure> from_wire(const pb::BloodPressure& m) {
  return blood_pressure_from(m);
}

decoded<core::monitor_status> from_wire(const pb::MonitorStatus& m) {
  core::monitor_status r;
  r.device_id = m.device_id();
  r.at_ms = m.at_ms();
  r.report_interval_ms = m.report_interval_ms();
  enum_reader e;
  e.read("MonitorStatus.state", m.state(), pb::MonitorState_IsValid, r.state);
  if (!e.error.empty()) return failure{e.error};
  return r;
}

decoded<core::infusion_event> from_wire(const pb::InfusionEvent& m) {
  core::infusion_event r;
  r.at_ms = m.at_ms();
  r.session_id = m.session_id();
  r.planned_minutes = m.planned_minutes();
  if (!m.drug().empty()) r.drug = m.drug();  // else core's default, "ketamine"
  r.dose_mg_per_kg = opt(m.has_dose_mg_per_kg(), m.dose_mg_per_kg());
  r.by = m.by();
  r.patient_id = m.patient_id();
  r.encounter_id = m.encounter_id();
  enum_reader e;
  e.read("InfusionEvent.kind", m.kind(), pb::InfusionKind_IsValid, r.kind);
  if (!e.error.empty()) return failure{e.error};
  return r;
}

decoded<core::alarm_ack> from_wire(const pb::AlarmAck& m) {
  return core::alarm_ack{m.alarm_id(), m.by(), m.at_ms()};
}

decoded<core::alarm_event> from_wire(const pb::AlarmEvent& m) {
  core::alarm_event r;
  r.alarm_id = m.alarm_id();
  r.event_seq = m.event_seq();
  r.bed_id = m.bed_id();
  r.session_id = m.session_id();
  r.condition = m.condition();
  r.value = opt(m.has_value(), m.value());
  r.limit = opt(m.has_limit(), m.limit());
  r.unit = m.unit();
  r.onset_ms = m.onset_ms();
  r.at_ms = m.at_ms();
  r.infusion_elapsed_ms = m.infusion_elapsed_ms();
  r.escalation_level = m.escalation_level();
  r.acknowledged_by = m.acknowledged_by();
  r.text = m.text();
  enum_reader e;
  e.read("AlarmEvent.kind", m.kind(), pb::AlarmKind_IsValid, r.kind);
  e.read("AlarmEvent.priority", m.priority(), pb::Priority_IsValid, r.priority);
  e.read("AlarmEvent.state", m.state(), pb::AlarmState_IsValid, r.state);
  e.read("AlarmEvent.transition", m.transition(), pb::Transition_IsValid, r.transition);
  e.read("AlarmEvent.phase", m.phase(), pb::Phase_IsValid, r.phase);
  if (!e.error.empty()) return failure{e.error};
  return r;
}

decoded<core::active_alarms> from_wire(const pb::ActiveAlarms& m) {
  core::active_alarms r;
  r.bed_id = m.bed_id();
  r.at_ms = m.at_ms();
  r.alarms.reserve(static_cast<std::size_t>(m.alarms_size()));
  for (const auto& a : m.alarms()) {
    auto event = from_wire(a);
    if (!event) return failure{"ActiveAlarms.alarms: " + event.error()};
    r.alarms.push_back(std::move(event).value());
  }
  return r;
}

decoded<core::session_state> from_wire(const pb::SessionState& m) {
  core::session_state r;
  r.bed_id = m.bed_id();
  r.session_id = m.session_id();
  r.infusion_started_at_ms = m.infusion_started_at_ms();
  r.planned_minutes = m.planned_minutes();
  r.paused = m.paused();
  r.infusion_stopped_at_ms = m.infusion_stopped_at_ms();
  r.recovery_ends_at_ms = m.recovery_ends_at_ms();
  r.baseline_systolic_mmhg = opt(m.has_baseline_systolic_mmhg(), m.baseline_systolic_mmhg());
  r.baseline_diastolic_mmhg = opt(m.has_baseline_diastolic_mmhg(), m.baseline_diastolic_mmhg());
  r.at_ms = m.at_ms();
  enum_reader e;
  e.read("SessionState.phase", m.phase(), pb::Phase_IsValid, r.phase);
  if (!e.error.empty()) return failure{e.error};
  return r;
}

decoded<daemon_status> from_wire(const pb::DaemonStatus& m) {
  daemon_status r;
  r.instance = m.instance();
  r.version = m.version();
  r.started_at_ms = m.started_at_ms();
  r.at_ms = m.at_ms();
  enum_reader e;
  e.read("DaemonStatus.state", m.state(), pb::DaemonState_IsValid, r.state);
  e.read("DaemonStatus.role", m.role(), pb::DaemonRole_IsValid, r.role);
  if (!e.error.empty()) return failure{e.error};
  return r;
}

}  // namespace vigil::codec::detail
