// The MDC codes of PCD-04 out, and which of them each Vigil condition reports: the one table
// of them. Code = partition * 65536 + term code (ISO/IEEE 11073-10101); every number below is
// checked in shared/design/ihe-pcd.md sections 2 and 4 against [NOM], the TF and the samples.
//
// Facet 1 (event identification) and facet 2 (source) of an ORU^R40 come from here:
//   - physiological: facet 1 OBX-3 MDC_EVT_HI for the conditions beyond an upper limit,
//     MDC_EVT_LO below a lower one (the direction is the condition catalogue's, so the two
//     cannot disagree); facet 2 OBX-3 the metric, OBX-5 the reading, OBX-7 the limit.
//   - technical and advisory: facet 1 OBX-3 MDC_EVT_ALARM (TF Table B.8.5-1); facet 2 OBX-3
//     MDC_ATTR_ALERT_SOURCE with the subsystem in OBX-5.
// No technical condition gets a more specific event code: HR_SIGNAL_LOST means "no valid heart
// rate for 10 s", which may be a lead off, a sensor off, artefact or a gateway gap, so
// MDC_EVT_LEAD_OFF (196880) or MDC_EVT_SENSOR_DISCONN (196916) would claim more than Vigil knows.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/conditions.hpp"

namespace vigil::hl7 {

struct mdc_term {
  std::uint32_t code = 0;
  std::string_view refid{};
};

namespace mdc {
// Events [NOM events.h].
inline constexpr mdc_term evt_alarm{196616, "MDC_EVT_ALARM"};
inline constexpr mdc_term evt_hi{196648, "MDC_EVT_HI"};
inline constexpr mdc_term evt_lo{196670, "MDC_EVT_LO"};
// Metrics (partition 2).
inline constexpr mdc_term ecg_heart_rate{147842, "MDC_ECG_HEART_RATE"};
inline constexpr mdc_term nibp{150020, "MDC_PRESS_BLD_NONINV"};
inline constexpr mdc_term nibp_sys{150021, "MDC_PRESS_BLD_NONINV_SYS"};
inline constexpr mdc_term nibp_dia{150022, "MDC_PRESS_BLD_NONINV_DIA"};
inline constexpr mdc_term nibp_mean{150023, "MDC_PRESS_BLD_NONINV_MEAN"};
inline constexpr mdc_term art_sys{150033, "MDC_PRESS_BLD_ART_SYS"};
inline constexpr mdc_term art_dia{150034, "MDC_PRESS_BLD_ART_DIA"};
inline constexpr mdc_term art_mean{150035, "MDC_PRESS_BLD_ART_MEAN"};
// Units (partition 4).
inline constexpr mdc_term dim_beat_per_min{264864, "MDC_DIM_BEAT_PER_MIN"};
inline constexpr mdc_term dim_mmhg{266016, "MDC_DIM_MMHG"};
// Devices (partition 1): the monitor as a whole, and the infusion (TF E.3.2's pump source).
inline constexpr mdc_term dev_monitor{69837, "MDC_DEV_METER_PHYSIO_MULTI_PARAM_MDS"};
inline constexpr mdc_term dev_pump{69985, "MDC_DEV_PUMP_INFUS_MDS"};
// The ACM facets' attributes (TF Table B.8.5-1).
inline constexpr mdc_term attr_alert_source{68480, "MDC_ATTR_ALERT_SOURCE"};
inline constexpr mdc_term attr_event_phase{68481, "MDC_ATTR_EVENT_PHASE"};
inline constexpr mdc_term attr_alarm_state{68482, "MDC_ATTR_ALARM_STATE"};
inline constexpr mdc_term attr_inactivation_state{68483, "MDC_ATTR_ALARM_INACTIVATION_STATE"};
inline constexpr mdc_term attr_alarm_priority{68484, "MDC_ATTR_ALARM_PRIORITY"};
inline constexpr mdc_term attr_alert_type{68485, "MDC_ATTR_ALERT_TYPE"};
// CP-PCD-143's display text row: a preliminary code (0) and REFID, as the TF's B.8.5 prints.
inline constexpr mdc_term attr_alert_annotation{0, "MDCX_ATTR_ALERT_ANNOTATION"};
}  // namespace mdc

struct metric_unit {
  mdc_term term{};
  std::string_view ucum{};
};
inline constexpr metric_unit per_minute{mdc::dim_beat_per_min, "/min"};
inline constexpr metric_unit mm_hg{mdc::dim_mmhg, "mm[Hg]"};

// What facets 1 and 2 carry for one condition.
struct alarm_codes {
  mdc_term event{};   // facet 1 OBX-3
  mdc_term source{};  // facet 2: the metric (OBX-3) or the subsystem (OBX-5)
  bool physiological = false;
  bool value_is_metric = false;  // the event's value/limit are the metric's (a rise is not)
  metric_unit unit{};            // physiological: the metric's unit
  core::direction direction = core::direction::above;
};

namespace detail {

struct metric_row {
  core::feed feed;
  core::measure measure;
  mdc_term metric;
  metric_unit unit;
};
// The metric each physiological condition watches, by the catalogue's feed and measure. A rise
// is a change of the systolic or diastolic pressure, so it names that metric.
inline constexpr std::array<metric_row, 9> metrics{{
    {core::feed::hr, core::measure::hr, mdc::ecg_heart_rate, per_minute},
    {core::feed::nibp, core::measure::sbp, mdc::nibp_sys, mm_hg},
    {core::feed::nibp, core::measure::dbp, mdc::nibp_dia, mm_hg},
    {core::feed::nibp, core::measure::map, mdc::nibp_mean, mm_hg},
    {core::feed::nibp, core::measure::sbp_rise, mdc::nibp_sys, mm_hg},
    {core::feed::nibp, core::measure::dbp_rise, mdc::nibp_dia, mm_hg},
    {core::feed::arterial, core::measure::sbp, mdc::art_sys, mm_hg},
    {core::feed::arterial, core::measure::dbp, mdc::art_dia, mm_hg},
    {core::feed::arterial, core::measure::map, mdc::art_mean, mm_hg},
}};

// The subsystem each technical, procedural and notice condition is about, in the catalogue's
// order from HR_SIGNAL_LOST on.
inline constexpr std::array<mdc_term, core::condition_count - core::physiological_count>
    subsystems{{
        mdc::ecg_heart_rate,  // HR_SIGNAL_LOST: the heart-rate metric that went quiet
        mdc::nibp,            // NIBP_OVERDUE
        mdc::dev_monitor,     // MONITOR_OFFLINE: the whole monitor
        mdc::dev_pump,        // INFUSION_OVERRUN
        mdc::dev_pump,        // PLANNED_DURATION_REACHED
        mdc::nibp,            // BASELINE_BP_ELEVATED
        mdc::dev_pump,        // PLANNED_DURATION_OUTSIDE_WINDOW
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

}  // namespace detail

// The codes for a catalogue condition.
constexpr alarm_codes codes_for(core::condition_id id) {
  const auto& c = core::info(id);
  if (core::index(id) < core::physiological_count) {
    const auto* m = detail::metric_of(c.feed, c.measure);
    return {.event = c.direction == core::direction::below ? mdc::evt_lo : mdc::evt_hi,
            .source = m->metric,
            .physiological = true,
            .value_is_metric =
                c.measure != core::measure::sbp_rise && c.measure != core::measure::dbp_rise,
            .unit = m->unit,
            .direction = c.direction};
  }
  return {.event = mdc::evt_alarm,
          .source = detail::subsystems[core::index(id) - core::physiological_count]};
}

// A condition this build does not know (a newer vigild's): a generic alarm of the monitor.
inline constexpr alarm_codes unknown_condition_codes{.event = mdc::evt_alarm,
                                                     .source = mdc::dev_monitor};

}  // namespace vigil::hl7
