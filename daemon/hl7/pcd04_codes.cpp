#include "hl7/pcd04_codes.hpp"

#include "hl7/mdc.hpp"

namespace vigil::hl7 {
namespace {

inline constexpr metric_unit per_minute{acm::dim_beat_per_min, "/min"};
inline constexpr metric_unit mm_hg{acm::dim_mmhg, "mm[Hg]"};

struct metric_row {
  core::feed feed;
  core::measure measure;
  mdc::quantity quantity;
  mdc::bp_family family;  // none for the heart rate
  metric_unit unit;
};
// The metric each physiological condition watches, by the catalogue's feed and measure. A rise
// is a change of the systolic or diastolic pressure, so it names that metric.
constexpr std::array<metric_row, 9> metrics{{
    {core::feed::hr, core::measure::hr, mdc::quantity::heart_rate, mdc::bp_family::none,
     per_minute},
    {core::feed::nibp, core::measure::sbp, mdc::quantity::systolic, mdc::bp_family::nibp, mm_hg},
    {core::feed::nibp, core::measure::dbp, mdc::quantity::diastolic, mdc::bp_family::nibp, mm_hg},
    {core::feed::nibp, core::measure::map, mdc::quantity::mean, mdc::bp_family::nibp, mm_hg},
    {core::feed::nibp, core::measure::sbp_rise, mdc::quantity::systolic, mdc::bp_family::nibp,
     mm_hg},
    {core::feed::nibp, core::measure::dbp_rise, mdc::quantity::diastolic, mdc::bp_family::nibp,
     mm_hg},
    {core::feed::arterial, core::measure::sbp, mdc::quantity::systolic, mdc::bp_family::arterial,
     mm_hg},
    {core::feed::arterial, core::measure::dbp, mdc::quantity::diastolic, mdc::bp_family::arterial,
     mm_hg},
    {core::feed::arterial, core::measure::map, mdc::quantity::mean, mdc::bp_family::arterial,
     mm_hg},
}};

constexpr const metric_row* metric_of(core::feed f, core::measure m) {
  for (const auto& r : metrics)
    if (r.feed == f && r.measure == m) return &r;
  return nullptr;
}

constexpr bool every_physiological_condition_has_a_metric() {
  for (std::size_t i = 0; i < core::physiological_count; ++i) {
    const auto& c = core::info(static_cast<core::condition_id>(i));
    if (!metric_of(c.feed, c.measure)) return false;
  }
  return true;
}
static_assert(every_physiological_condition_has_a_metric());

// What each technical, procedural and notice condition is about.
enum class subsystem : std::uint8_t { heart_rate, nibp, monitor, infusion };
// In the catalogue's order from HR_SIGNAL_LOST on.
constexpr std::array<subsystem, core::condition_count - core::physiological_count> subsystems{{
    subsystem::heart_rate,  // HR_SIGNAL_LOST: the heart-rate metric that went quiet
    subsystem::nibp,        // NIBP_OVERDUE
    subsystem::monitor,     // MONITOR_OFFLINE: the whole monitor
    subsystem::infusion,    // INFUSION_OVERRUN
    subsystem::infusion,    // PLANNED_DURATION_REACHED
    subsystem::nibp,        // BASELINE_BP_ELEVATED
    subsystem::infusion,    // PLANNED_DURATION_OUTSIDE_WINDOW
}};

mdc_term metric(mdc::quantity q, mdc::bp_family f) {
  const auto* t = mdc::find(q, f);
  return t ? mdc_term{t->code, mdc::refid(*t)} : acm::dev_monitor;
}

mdc_term term_of(subsystem s) {
  switch (s) {
    case subsystem::heart_rate: return metric(mdc::quantity::heart_rate, mdc::bp_family::none);
    case subsystem::nibp: return acm::nibp;
    case subsystem::monitor: return acm::dev_monitor;
    case subsystem::infusion: return acm::dev_pump;
  }
  return acm::dev_monitor;
}

}  // namespace

alarm_codes codes_for(core::condition_id id) {
  const auto& c = core::info(id);
  if (core::index(id) < core::physiological_count) {
    const auto* m = metric_of(c.feed, c.measure);
    return {.event = c.direction == core::direction::below ? acm::evt_lo : acm::evt_hi,
            .source = metric(m->quantity, m->family),
            .physiological = true,
            .value_is_metric =
                c.measure != core::measure::sbp_rise && c.measure != core::measure::dbp_rise,
            .unit = m->unit,
            .direction = c.direction};
  }
  return {.event = acm::evt_alarm,
          .source = term_of(subsystems[core::index(id) - core::physiological_count])};
}

}  // namespace vigil::hl7
