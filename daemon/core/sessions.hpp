// A bed's session (alarms.md sections 2, 4 and 6): infusion events and phases, the monitor's
// status, the baseline, and the technical and procedural conditions with their timers.
#pragma once

#include "core/bed_state.hpp"
#include "core/instant.hpp"
#include "core/types.hpp"

namespace vigil::core::detail {

after accept_monitor(instant& in, bed_state& b, const monitor_status& m);
after accept_infusion(instant& in, bed_state& b, const infusion_event& m);
// Section 4: `s` becomes the session's baseline (and a notice if it is elevated).
void set_baseline(instant& in, bed_state& b, const nibp_sample& s);

// The session's timers, due now.
void recovery_ended(instant& in, bed_state& b);
void overrun_due(instant& in, bed_state& b);
void planned_duration_due(instant& in, bed_state& b);
void hr_lost_due(instant& in, bed_state& b);
void nibp_overdue_due(instant& in, bed_state& b);

}  // namespace vigil::core::detail
