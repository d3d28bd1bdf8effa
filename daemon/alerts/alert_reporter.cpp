#include "alerts/alert_reporter.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace vigil::alerts {

alert_reporter::alert_reporter(alert_queue& queue, alert_sender& sender, reporter_settings settings)
    : queue_(queue), sender_(sender), settings_(std::move(settings)) {}

alert_reporter::result alert_reporter::report(const core::alarm_event& e, std::int64_t now_ms) {
  hl7::pcd04_context ctx = settings_.message;
  ctx.control_id = hl7::control_id_for(e);
  ctx.packaging_ms = now_ms;
  auto where = settings_.location_of ? settings_.location_of(e.bed_id) : std::nullopt;
  if (where) {
    ctx.bed_location = std::move(*where);
  } else {
    ++counters_.unmapped_beds;
    spdlog::warn("PCD-04: bed '{}' has no location configured; reported as PV1-3 bed '{}'",
                 e.bed_id, e.bed_id);
    ctx.bed_location = hl7::location{.bed = e.bed_id};
  }
  if (!queue_.enqueue(hl7::build_oru_r40(e, ctx), e.alarm_id, e.event_seq, now_ms)) {
    ++counters_.duplicates;
    return result::duplicate;
  }
  ++counters_.queued;
  sender_.wake();
  return result::queued;
}

}  // namespace vigil::alerts
