// PCD-04 out in one call for the gateway: an AlarmEvent (decoded from vigild's alarm topic) is
// built into an ORU^R40, queued durably, and the sender woken. On the loop thread that owns the
// queue and the sender.
//
// Every transition is reported, notices included: the AM decides whom to page. A bed without a
// configured location is still reported, with the bed id as PV1-3's bed component and a warning
// counted: a page to "bed chair-3" reaches someone, a dropped one reaches nobody.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "alerts/alert_queue.hpp"
#include "alerts/alert_sender.hpp"
#include "core/types.hpp"
#include "hl7/pcd04.hpp"

namespace vigil::alerts {

struct reporter_settings {
  // MSH-3 to MSH-6, PV1-2 and MSH-16; control id, time and location are filled per event.
  hl7::pcd04_context message{};
  // The PV1-3 of a bed (the gateway's PL -> bed table read the other way), nullopt if none.
  std::function<std::optional<hl7::location>(std::string_view bed_id)> location_of{};
};

struct reporter_counters {
  std::uint64_t queued = 0;
  std::uint64_t duplicates = 0;     // (alarm_id, event_seq) already queued or sent
  std::uint64_t unmapped_beds = 0;  // reported without a configured location
};

class alert_reporter {
 public:
  enum class result : std::uint8_t { queued, duplicate };

  alert_reporter(alert_queue& queue, alert_sender& sender, reporter_settings settings);

  // Builds, queues and wakes the sender; `now_ms` is the packaging time (MSH-7, OBR-7).
  // Throws queue_error when the queue cannot be written (the caller does not acknowledge the
  // MQTT message then, so the broker delivers it again).
  result report(const core::alarm_event& e, std::int64_t now_ms);

  const reporter_counters& counters() const { return counters_; }

 private:
  alert_queue& queue_;
  alert_sender& sender_;
  reporter_settings settings_;
  reporter_counters counters_;
};

}  // namespace vigil::alerts
