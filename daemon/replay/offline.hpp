// vigil-replay offline: the engine over a recording, on the recording's clock. Messages of one
// receive time go through feed::ingest (the daemon's own path), then advance(t) fires the
// deadlines <= t; before the first message of a later time, advance(t - 1) fires those in
// between, so the output is in time order. The clock stops at the last frame (or the end frame):
// later deadlines do not fire.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/engine.hpp"
#include "core/types.hpp"
#include "io/recording.hpp"

namespace vigil::replay {

struct offline_options {
  core::engine_config engine;
  std::string prefix = "clinic";
  // A recording whose only fault is a cut-off final frame (a crash while recording) plays up to
  // its last whole frame with a warning; false makes that an error too.
  bool accept_truncated_tail = true;
  // Everything the engine emitted, as it emitted it, with the engine (to resolve bed slots) and
  // the clock:
  // the record's keeper reads it (vigil-replay report). Called after each message (the
  // snapshots of what it changed follow with the next advance) and after each advance.
  std::function<void(const core::engine_output&, core::engine&, core::time_ms)> on_output;
};

struct offline_report {
  std::uint64_t frames = 0;  // message frames played
  std::uint64_t events = 0;
  std::optional<io::read_error> error;  // the recording is unreadable: nothing after it was played
  std::vector<std::string> warnings;    // one line each, for stderr
  bool ok() const { return !error; }
};

using event_sink = std::function<void(const core::alarm_event&)>;

offline_report play_offline(const std::filesystem::path& recording, const offline_options& opts,
                            const event_sink& on_event);

}  // namespace vigil::replay
