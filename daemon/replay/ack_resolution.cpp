#include "replay/ack_resolution.hpp"

#include "replay/session_csv.hpp"

namespace vigil::replay {

std::optional<std::string_view> unresolved_condition(std::string_view alarm_id) {
  if (!alarm_id.ends_with(unresolved_ack_suffix)) return std::nullopt;
  alarm_id.remove_suffix(unresolved_ack_suffix.size());
  const auto colon = alarm_id.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  return alarm_id.substr(colon + 1);
}

std::optional<std::string> resolve_ack(std::string_view condition,
                                       const core::active_alarms& open) {
  const core::alarm_event* newest = nullptr;
  for (const auto& a : open.alarms) {
    if (a.condition == condition && a.state != core::alarm_state::ended &&
        (newest == nullptr || a.onset_ms >= newest->onset_ms)) {
      newest = &a;
    }
  }
  if (newest == nullptr) return std::nullopt;
  return newest->alarm_id;
}

}  // namespace vigil::replay
