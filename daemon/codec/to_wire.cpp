// Core value types -> protobuf messages: every message of contract.md.
#include "codec/wire.hpp"

namespace vigil::codec::detail {

void to_wire(const core::heart_rate& v, pb::HeartRate& m) {
  m.set_device_id(v.device_id);
  m.set_measured_at_ms(v.measured_at_ms);
  m.set_seq(v.seq);
  m.set_bpm(static_cast<float>(v.bpm));
  m.set_validity(wire<pb::Validity>(v.validity));
}

void to_wire(const core::blood_pressure& v, pb::BloodPressure& m) {
  m.set_device_id(v.device_id);
  m.set_measured_at_ms(v.measured_at_ms);
  m.set_seq(v.seq);
  m.set_systolic_mmhg(static_cast<float>(v.systolic_mmhg));
  m.set_diastolic_mmhg(static_cast<float>(v.diastolic_mmhg));
  if (v.mean_mmhg) m.set_mean_mmhg(static_cast<float>(*v.mean_mmhg));
  m.set_source(v.source == core::bp_source::arterial ? pb::BP_SOURCE_ARTERIAL : pb::BP_SOURCE_NIBP);
  m.set_validity(wire<pb::Validity>(v.validity));
}

void to_wire(const core::monitor_status& v, pb::MonitorStatus& m) {
  m.set_device_id(v.device_id);
  m.set_state(wire<pb::MonitorState>(v.state));
  m.set_at_ms(v.at_ms);
  m.set_report_interval_ms(v.report_interval_ms);
}

void to_wire(const core::infusion_event& v, pb::InfusionEvent& m) {
  m.set_kind(wire<pb::InfusionKind>(v.kind));
  m.set_at_ms(v.at_ms);
  m.set_session_id(v.session_id);
  m.set_planned_minutes(v.planned_minutes);
  m.set_drug(v.drug);
  if (v.dose_mg_per_kg) m.set_dose_mg_per_kg(static_cast<float>(*v.dose_mg_per_kg));
  m.set_by(v.by);
  m.set_patient_id(v.patient_id);
  m.set_encounter_id(v.encounter_id);
}

void to_wire(const core::alarm_ack& v, pb::AlarmAck& m) {
  m.set_alarm_id(v.alarm_id);
  m.set_by(v.by);
  m.set_at_ms(v.at_ms);
}

void to_wire(const core::alarm_event& v, pb::AlarmEvent& m) {
  m.set_alarm_id(v.alarm_id);
  m.set_event_seq(v.event_seq);
  m.set_bed_id(v.bed_id);
  m.set_session_id(v.session_id);
  m.set_condition(v.condition);
  m.set_kind(wire<pb::AlarmKind>(v.kind));
  m.set_priority(wire<pb::Priority>(v.priority));
  m.set_state(wire<pb::AlarmState>(v.state));
  m.set_transition(wire<pb::Transition>(v.transition));
  if (v.value) m.set_value(*v.value);
  if (v.limit) m.set_limit(*v.limit);
  m.set_unit(v.unit);
  m.set_onset_ms(v.onset_ms);
  m.set_at_ms(v.at_ms);
  m.set_phase(wire<pb::Phase>(v.phase));
  m.set_infusion_elapsed_ms(v.infusion_elapsed_ms);
  m.set_escalation_level(v.escalation_level);
  m.set_acknowledged_by(v.acknowledged_by);
  m.set_text(v.text);
}

void to_wire(const core::active_alarms& v, pb::ActiveAlarms& m) {
  m.set_bed_id(v.bed_id);
  m.set_at_ms(v.at_ms);
  for (const auto& a : v.alarms) to_wire(a, *m.add_alarms());
}

void to_wire(const core::session_state& v, pb::SessionState& m) {
  m.set_bed_id(v.bed_id);
  m.set_session_id(v.session_id);
  m.set_phase(wire<pb::Phase>(v.phase));
  m.set_infusion_started_at_ms(v.infusion_started_at_ms);
  m.set_planned_minutes(v.planned_minutes);
  m.set_paused(v.paused);
  m.set_infusion_stopped_at_ms(v.infusion_stopped_at_ms);
  m.set_recovery_ends_at_ms(v.recovery_ends_at_ms);
  if (v.baseline_systolic_mmhg) m.set_baseline_systolic_mmhg(*v.baseline_systolic_mmhg);
  if (v.baseline_diastolic_mmhg) m.set_baseline_diastolic_mmhg(*v.baseline_diastolic_mmhg);
  m.set_at_ms(v.at_ms);
}

void to_wire(const daemon_status& v, pb::DaemonStatus& m) {
  m.set_instance(v.instance);
  m.set_state(wire<pb::DaemonState>(v.state));
  m.set_version(v.version);
  m.set_started_at_ms(v.started_at_ms);
  m.set_at_ms(v.at_ms);
  m.set_role(wire<pb::DaemonRole>(v.role));
}

}  // namespace vigil::codec::detail
