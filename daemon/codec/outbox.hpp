// What vigild publishes after the engine handled something: engine_output -> MQTT messages
// (contract.md's topic table), and the daemon's own status message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codec/codec.hpp"
#include "core/engine.hpp"

namespace vigil::codec {

struct outgoing {
  std::string topic;
  std::string payload;  // protobuf bytes
  bool retained = false;
  int qos = 1;
  // Its row in vigild's transactional outbox, removed once the broker acknowledged it; 0 for
  // what is not kept there (the daemon's own status).
  std::uint64_t outbox_id = 0;
  // An answer to an MQTT 5 request: its Correlation Data, sent as that property. Empty: none.
  std::string correlation{};
};

// In order: each event on its bed's alarms/events (an ESCALATED one also on escalations, right
// after it), then each of out.active (ActiveAlarms, retained), then each of out.sessions
// (SessionState, retained): the snapshots engine::advance() took at the end of the instant.
std::vector<outgoing> to_outgoing(std::string_view prefix, const core::engine_output& out);

// {prefix}/daemon/{status.instance}/status, retained. Also the Last Will, with state offline.
outgoing daemon_status_message(std::string_view prefix, const daemon_status& status);

}  // namespace vigil::codec
