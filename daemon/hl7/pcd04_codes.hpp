// Which MDC codes each Vigil condition is reported with in a PCD-04 ORU^R40: the one table of
// that, and the ACM codes only PCD-04 uses. The metrics' codes come from the hl7 room's one list
// of them (mdc.hpp); codes = partition * 65536 + term code (ISO/IEEE 11073-10101), checked in
// shared/design/ihe-pcd.md sections 2 and 4 against [NOM], the TF and the samples.
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

namespace acm {
// Events [NOM events.h].
inline constexpr mdc_term evt_alarm{196616, "MDC_EVT_ALARM"};
inline constexpr mdc_term evt_hi{196648, "MDC_EVT_HI"};
inline constexpr mdc_term evt_lo{196670, "MDC_EVT_LO"};
// Sources that are not a metric Vigil reads: the NIBP group, the monitor as a whole, and the
// infusion (the pump source of the TF's example E.3.2).
inline constexpr mdc_term nibp{150020, "MDC_PRESS_BLD_NONINV"};
inline constexpr mdc_term dev_monitor{69837, "MDC_DEV_METER_PHYSIO_MULTI_PARAM_MDS"};
inline constexpr mdc_term dev_pump{69985, "MDC_DEV_PUMP_INFUS_MDS"};
// Units as PCD-04 sends them (MDC, with UCUM as the alternate).
inline constexpr mdc_term dim_beat_per_min{264864, "MDC_DIM_BEAT_PER_MIN"};
inline constexpr mdc_term dim_mmhg{266016, "MDC_DIM_MMHG"};
// The ACM facets' attributes (TF Table B.8.5-1).
inline constexpr mdc_term attr_alert_source{68480, "MDC_ATTR_ALERT_SOURCE"};
inline constexpr mdc_term attr_event_phase{68481, "MDC_ATTR_EVENT_PHASE"};
inline constexpr mdc_term attr_alarm_state{68482, "MDC_ATTR_ALARM_STATE"};
inline constexpr mdc_term attr_inactivation_state{68483, "MDC_ATTR_ALARM_INACTIVATION_STATE"};
inline constexpr mdc_term attr_alarm_priority{68484, "MDC_ATTR_ALARM_PRIORITY"};
inline constexpr mdc_term attr_alert_type{68485, "MDC_ATTR_ALERT_TYPE"};
// CP-PCD-143's display text row: a preliminary code (0) and REFID, as the TF's B.8.5 prints.
inline constexpr mdc_term attr_alert_annotation{0, "MDCX_ATTR_ALERT_ANNOTATION"};
}  // namespace acm

struct metric_unit {
  mdc_term term{};
  std::string_view ucum{};
};

// What facets 1 and 2 carry for one condition.
struct alarm_codes {
  mdc_term event{};   // facet 1 OBX-3
  mdc_term source{};  // facet 2: the metric (OBX-3) or the subsystem (OBX-5)
  bool physiological = false;
  bool value_is_metric = false;  // the event's value/limit are the metric's (a rise is not)
  metric_unit unit{};            // physiological: the metric's unit
  core::direction direction = core::direction::above;
};

// The codes for a catalogue condition.
alarm_codes codes_for(core::condition_id id);

// A condition this build does not know (a newer vigild's): a generic alarm of the monitor.
inline constexpr alarm_codes unknown_condition_codes{.event = acm::evt_alarm,
                                                     .source = acm::dev_monitor};

}  // namespace vigil::hl7
