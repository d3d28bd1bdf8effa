// Values with every field set to something other than its default, so a field that a codec
// direction forgets shows up in the round trip. Floats on the wire are exact in float.
#pragma once

#include <tuple>

#include "codec/codec.hpp"
#include "core/types.hpp"

namespace vigil::codec::test {

inline core::heart_rate sample_heart_rate() {
  return {"mon-7", 1'700'000'000'123, 42, 72.5, core::validity::questionable};
}

inline core::blood_pressure sample_blood_pressure() {
  return {"cuff-3",
          1'700'000'000'456,
          9,
          186.0,
          101.5,
          129.75,
          core::bp_source::arterial,
          core::validity::valid};
}

inline core::monitor_status sample_monitor_status() {
  return {"mon-7", core::monitor_state::offline, 1'700'000'000'789, 60'000};
}

inline core::infusion_event sample_infusion_event() {
  return {core::infusion_kind::started,
          1'700'000'001'000,
          "s-2024-1",
          45,
          "esketamine",
          0.5,
          "nurse.kim",
          "MRN-0042",
          "ENC-2024-77"};
}

inline core::alarm_ack sample_alarm_ack() {
  return {"bed-12:SBP_HIGH:3", "station-2", 1'700'000'002'000};
}

inline core::alarm_event sample_alarm_event() {
  core::alarm_event e;
  e.alarm_id = "bed-12:SBP_HIGH:3";
  e.event_seq = 17;
  e.bed_id = "bed-12";
  e.session_id = "s-2024-1";
  e.condition = "SBP_HIGH";
  e.kind = core::alarm_kind::physiological;
  e.priority = core::priority::high;
  e.state = core::alarm_state::acknowledged;
  e.transition = core::transition::escalated;
  e.value = 186.0;
  e.limit = 180.0;
  e.unit = "mm[Hg]";
  e.onset_ms = 1'700'000'003'000;
  e.at_ms = 1'700'000'004'000;
  e.phase = core::phase::infusion;
  e.infusion_elapsed_ms = 2'480'000;
  e.escalation_level = 2;
  e.acknowledged_by = "nurse.kim";
  e.text = "SBP 186 mmHg \xe2\x89\xa5 180 at 41:20 into infusion";
  return e;
}

inline core::session_state sample_session_state() {
  return {"bed-12", "s-2024-1", core::phase::recovery, 1'700'000'001'000,
          45,       true,       1'700'000'005'000,     1'700'000'006'000,
          138.0,    86.0,       1'700'000'007'000,     {},
          {},       {},         std::nullopt};  // not on the wire
}

inline daemon_status sample_daemon_status() {
  return {"ward-a",          daemon_state::online, "0.1.0",
          1'700'000'000'000, 1'700'000'008'000,    daemon_role::standby};
}

// Core types have no operator==; compare them field by field (gtest prints tuples).
inline auto fields(const core::heart_rate& m) {
  return std::tie(m.device_id, m.measured_at_ms, m.seq, m.bpm, m.validity);
}
inline auto fields(const core::blood_pressure& m) {
  return std::tie(m.device_id, m.measured_at_ms, m.seq, m.systolic_mmhg, m.diastolic_mmhg,
                  m.mean_mmhg, m.source, m.validity);
}
inline auto fields(const core::monitor_status& m) {
  return std::tie(m.device_id, m.state, m.at_ms);
}
inline auto fields(const core::infusion_event& m) {
  return std::tie(m.kind, m.at_ms, m.session_id, m.planned_minutes, m.drug, m.dose_mg_per_kg, m.by);
}
inline auto fields(const core::alarm_ack& m) { return std::tie(m.alarm_id, m.by, m.at_ms); }
inline auto fields(const core::alarm_event& m) {
  return std::tie(m.alarm_id, m.event_seq, m.bed_id, m.session_id, m.condition, m.kind, m.priority,
                  m.state, m.transition, m.value, m.limit, m.unit, m.onset_ms, m.at_ms, m.phase,
                  m.infusion_elapsed_ms, m.escalation_level, m.acknowledged_by, m.text);
}
inline auto fields(const core::session_state& m) {
  return std::tie(m.bed_id, m.session_id, m.phase, m.infusion_started_at_ms, m.planned_minutes,
                  m.paused, m.infusion_stopped_at_ms, m.recovery_ends_at_ms,
                  m.baseline_systolic_mmhg, m.baseline_diastolic_mmhg, m.at_ms);
}

}  // namespace vigil::codec::test
