// The alarm engine of alarms.md: pure, single-threaded, time is an argument.
//
// Every call takes `now`, the receive time of what is being handled (ms). Before handling a
// message at `now` the engine fires every deadline < now; after the caller has handed it every
// message of one instant it calls advance(now) to fire the deadlines <= now. It never reads a
// clock, never publishes: it appends what should happen to an engine_output, whose snapshots
// advance() takes at the end of the instant.
// Not thread-safe: one loop thread owns it.
//
// The shell's bookkeeping (persistence, per-bed data of its own) goes through engine_books
// (core/engine_books.hpp), not through this API.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/types.hpp"

namespace vigil::core {

// Why the engine set an input aside; each has a counter and a diagnostic.
enum class drop_reason : std::uint8_t {
  reading_invalid_flag,   // validity INVALID
  reading_implausible,    // outside the plausible ranges of alarms.md section 3
  infusion_out_of_order,  // STARTED during INFUSION; STOPPED/PAUSED/RESUMED outside it
  infusion_unspecified,   // kind missing
  monitor_unspecified,    // state missing
  ack_rejected,           // unknown id, other bed, ended, repeated
  count
};
std::string_view to_string(drop_reason r);

struct diagnostic {
  std::string bed_id;
  drop_reason reason;
  std::string detail;  // one line for the log
};

// A reading the rules evaluated (valid and plausible), for the trend the record keeps.
struct reading_note {
  std::uint32_t slot = 0;  // the bed's slot (engine_books::state_at)
  core::feed feed = feed::hr;
  bool in_session = false;  // the bed was in INFUSION or RECOVERY when the reading came
  time_ms at_ms = 0;        // received
  double value = 0;         // HR, or SBP
  double diastolic = 0;
  double mean = 0;  // given or derived MAP
};

struct engine_output {
  std::vector<alarm_event> events;            // in emission order
  std::vector<std::string> alarms_changed;    // beds whose active set changed, each once
  std::vector<std::string> sessions_changed;  // beds whose session state changed, each once
  std::vector<diagnostic> diagnostics;
  // What must be published: the ActiveAlarms of each bed of alarms_changed and the SessionState
  // of each bed of sessions_changed, in their order, as they stand when advance() returns (after
  // every message and deadline of the instant). Set by advance() (and engine_books::restore).
  std::vector<active_alarms> active;
  std::vector<session_state> sessions;
  std::vector<reading_note> readings;  // in the order received
  void clear();
  bool empty() const {
    return events.empty() && alarms_changed.empty() && sessions_changed.empty() &&
           diagnostics.empty() && active.empty() && sessions.empty() && readings.empty();
  }
};

struct engine_counters {
  std::uint64_t readings_accepted = 0;
  std::uint64_t readings_questionable = 0;  // accepted, flagged QUESTIONABLE by the device
  std::array<std::uint64_t, static_cast<std::size_t>(drop_reason::count)> dropped{};
  std::uint64_t dropped_by(drop_reason r) const { return dropped[static_cast<std::size_t>(r)]; }
};

class engine {
 public:
  explicit engine(engine_config cfg = {});
  ~engine();
  engine(engine&&) noexcept;
  engine& operator=(engine&&) noexcept;

  void on_heart_rate(std::string_view bed, const heart_rate& m, time_ms now, engine_output& out);
  void on_blood_pressure(std::string_view bed, const blood_pressure& m, time_ms now,
                         engine_output& out);
  void on_monitor_status(std::string_view bed, const monitor_status& m, time_ms now,
                         engine_output& out);
  void on_infusion(std::string_view bed, const infusion_event& m, time_ms now, engine_output& out);
  void on_ack(std::string_view bed, const alarm_ack& m, time_ms now, engine_output& out);

  // Fire every deadline <= now, earliest first; then take the snapshots of the changed beds.
  void advance(time_ms now, engine_output& out);
  // When the engine next needs advance(); may be early (then advance does nothing), never late.
  std::optional<time_ms> next_deadline() const;

  session_state session(std::string_view bed) const;  // idle state for an unknown bed
  active_alarms active(std::string_view bed) const;
  std::vector<std::string> beds() const;  // every bed seen, sorted
  const engine_counters& counters() const;
  const engine_config& config() const;
  // Live reload (vigild's SIGHUP): later decisions use `cfg`; every bed's next deadline is
  // recomputed under it. Timers already running (a persistence run, an escalation due time)
  // keep the times they were given.
  void reconfigure(engine_config cfg);
  // The wall clock was stepped by `by` ms (NTP; positive = forward): every time the engine
  // holds moves by `by`, so every remaining delay and every elapsed duration stays as it was and
  // later events are stamped on the corrected clock. Call it before the first message on the
  // new clock.
  void rebase(time_ms by);

 private:
  friend class engine_books;
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace vigil::core
