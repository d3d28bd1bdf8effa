#include "codec/outbox.hpp"

#include "codec/topics.hpp"

namespace vigil::codec {

std::vector<outgoing> to_outgoing(std::string_view prefix, const core::engine_output& out) {
  std::vector<outgoing> msgs;
  for (const auto& e : out.events) {
    auto payload = encode(e);
    if (e.transition == core::transition::escalated) {
      msgs.push_back({alarm_events_topic(prefix, e.bed_id), payload, false, 1});
      msgs.push_back({escalations_topic(prefix), std::move(payload), false, 1});
    } else {
      msgs.push_back({alarm_events_topic(prefix, e.bed_id), std::move(payload), false, 1});
    }
  }
  // Retained snapshots: a dashboard that connects later reads these and is in step at once.
  for (const auto& a : out.active) {
    msgs.push_back({active_alarms_topic(prefix, a.bed_id), encode(a), true, 1});
  }
  for (const auto& s : out.sessions) {
    msgs.push_back({session_topic(prefix, s.bed_id), encode(s), true, 1});
  }
  return msgs;
}

outgoing daemon_status_message(std::string_view prefix, const daemon_status& status) {
  return {daemon_status_topic(prefix, status.instance), encode(status), true, 1};
}

}  // namespace vigil::codec
