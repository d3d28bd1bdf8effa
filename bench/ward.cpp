#include "ward.hpp"

#include <cmath>
#include <cstdio>

namespace vigil::bench {

std::string bed_name(int bed) {
  char name[16];
  std::snprintf(name, sizeof name, "bed-%04d", bed);
  return name;
}

std::string device_name(int bed) { return "mon-" + bed_name(bed); }

double quiet_bpm(int bed, std::int64_t second) {
  return 70 + 8 * std::sin(static_cast<double>(second) / 47.0 + bed);
}

core::heart_rate heart_rate(int bed, std::uint64_t seq, double bpm, core::time_ms at_ms) {
  core::heart_rate m;
  m.device_id = device_name(bed);
  m.measured_at_ms = at_ms;
  m.seq = seq;
  m.bpm = bpm;
  m.validity = core::validity::valid;
  return m;
}

core::blood_pressure nibp(int bed, std::uint64_t seq, double systolic, double diastolic,
                          core::time_ms at_ms) {
  core::blood_pressure m;
  m.device_id = device_name(bed);
  m.measured_at_ms = at_ms;
  m.seq = seq;
  m.systolic_mmhg = systolic;
  m.diastolic_mmhg = diastolic;
  m.source = core::bp_source::nibp;
  m.validity = core::validity::valid;
  return m;
}

core::infusion_event infusion(core::infusion_kind kind, core::time_ms at_ms) {
  core::infusion_event m;
  m.kind = kind;
  m.at_ms = at_ms;
  m.planned_minutes = 45;
  m.by = "bench";
  return m;
}

}  // namespace vigil::bench
