// Plain value types the engine works on. The codec layer maps protobuf to and from these;
// nothing here knows about the wire, files or clocks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil::core {

using time_ms = std::int64_t;  // the engine's clock: receive time, Unix ms (live) or recording ms

enum class validity : std::uint8_t { unspecified, valid, questionable, invalid };
enum class bp_source : std::uint8_t { nibp, arterial };  // unspecified on the wire means nibp
enum class monitor_state : std::uint8_t { unspecified, online, offline };
enum class infusion_kind : std::uint8_t { unspecified, started, paused, resumed, stopped };
enum class alarm_kind : std::uint8_t { unspecified, physiological, technical, procedural, notice };
enum class priority : std::uint8_t { unspecified, low, medium, high };
enum class alarm_state : std::uint8_t { unspecified, active, acknowledged, latched, ended };
enum class transition : std::uint8_t {
  unspecified,
  raised,
  escalated,
  acknowledged,
  reminded,
  latched,
  ended,
  notice
};
enum class phase : std::uint8_t { unspecified, idle, infusion, recovery };

struct heart_rate {
  std::string device_id;
  std::int64_t measured_at_ms = 0;
  std::uint64_t seq = 0;
  double bpm = 0;
  core::validity validity = validity::unspecified;
  friend bool operator==(const heart_rate&, const heart_rate&) = default;
};

struct blood_pressure {
  std::string device_id;
  std::int64_t measured_at_ms = 0;
  std::uint64_t seq = 0;
  double systolic_mmhg = 0;
  double diastolic_mmhg = 0;
  std::optional<double> mean_mmhg;
  bp_source source = bp_source::nibp;
  core::validity validity = validity::unspecified;
  friend bool operator==(const blood_pressure&, const blood_pressure&) = default;
};

struct monitor_status {
  std::string device_id;
  monitor_state state = monitor_state::unspecified;
  std::int64_t at_ms = 0;
  std::uint32_t report_interval_ms = 0;  // 0: continuous
  friend bool operator==(const monitor_status&, const monitor_status&) = default;
};

struct infusion_event {
  infusion_kind kind = infusion_kind::unspecified;
  std::int64_t at_ms = 0;
  std::string session_id;
  std::uint32_t planned_minutes = 0;
  std::string drug = "ketamine";
  std::optional<double> dose_mg_per_kg;
  std::string by;
  std::string patient_id;    // for the record only
  std::string encounter_id;  // for the record only
  friend bool operator==(const infusion_event&, const infusion_event&) = default;
};

struct alarm_ack {
  std::string alarm_id;
  std::string by;
  std::int64_t at_ms = 0;
  friend bool operator==(const alarm_ack&, const alarm_ack&) = default;
};

struct alarm_event {
  std::string alarm_id;
  std::uint64_t event_seq = 0;
  std::string bed_id;
  std::string session_id;
  std::string condition;
  alarm_kind kind = alarm_kind::unspecified;
  core::priority priority = priority::unspecified;
  alarm_state state = alarm_state::unspecified;
  core::transition transition = transition::unspecified;
  std::optional<double> value;
  std::optional<double> limit;
  std::string unit;  // UCUM: "/min", "mm[Hg]", or empty
  time_ms onset_ms = 0;
  time_ms at_ms = 0;
  core::phase phase = phase::unspecified;
  std::int64_t infusion_elapsed_ms = 0;
  std::uint32_t escalation_level = 0;
  std::string acknowledged_by;
  std::string text;
  friend bool operator==(const alarm_event&, const alarm_event&) = default;
};

struct active_alarms {
  std::string bed_id;
  time_ms at_ms = 0;
  std::vector<alarm_event> alarms;  // latest event of every alarm not yet ended
  friend bool operator==(const active_alarms&, const active_alarms&) = default;
};

struct session_state {
  std::string bed_id;
  std::string session_id;
  core::phase phase = phase::idle;
  time_ms infusion_started_at_ms = 0;
  std::uint32_t planned_minutes = 0;
  bool paused = false;
  time_ms infusion_stopped_at_ms = 0;
  time_ms recovery_ends_at_ms = 0;
  std::optional<double> baseline_systolic_mmhg;
  std::optional<double> baseline_diastolic_mmhg;
  time_ms at_ms = 0;
  // For the session's record, never on the wire (SessionState is retained, and every dashboard
  // reads it): what the STARTED event said. Empty (dose: none) outside a session.
  std::string patient_id;
  std::string encounter_id;
  std::string drug;
  std::optional<double> dose_mg_per_kg;
  friend bool operator==(const session_state&, const session_state&) = default;
};

}  // namespace vigil::core
