// The engine's per-bed state. Internal to the engine (and to its persistence in a later layer):
// plain data, so a snapshot is a copy.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>

#include "core/conditions.hpp"
#include "core/types.hpp"

namespace vigil::core {

struct run_starts {
  std::optional<time_ms> medium, high, clear;
};

struct open_alarm {
  std::string id;
  core::priority priority = priority::medium;
  alarm_state state = alarm_state::active;
  time_ms onset_ms = 0;
  std::uint32_t escalation_level = 0;
  std::string acknowledged_by;
  bool ever_acknowledged = false;
  std::optional<time_ms> escalate_at;  // next time-based escalation
  std::optional<time_ms> remind_at;    // reminder after an acknowledgement
  alarm_event last;                    // the latest event, for the active snapshot
  std::string reason;  // text of the RAISED or condition ESCALATED: why the alarm is there
};

// An optional whose value lives on the heap, copied deeply. A bed has a slot for each of the 16
// alarm conditions and rarely more than one or two open: an empty slot costs a pointer instead
// of a whole open_alarm (a bed shrinks from 8.6 KB to under 1 KB, so 5,000 of them fit in cache
// and memory goals).
template <class T>
class boxed {
 public:
  boxed() = default;
  boxed(const boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  boxed(boxed&&) noexcept = default;
  boxed& operator=(const boxed& o) {
    p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  boxed& operator=(boxed&&) noexcept = default;
  boxed& operator=(T v) {
    p_ = std::make_unique<T>(std::move(v));
    return *this;
  }
  T& emplace() {
    p_ = std::make_unique<T>();
    return *p_;
  }
  void reset() { p_.reset(); }
  explicit operator bool() const { return p_ != nullptr; }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }

 private:
  std::unique_ptr<T> p_;
};

struct nibp_sample {
  time_ms at = 0;
  double systolic = 0;
  double diastolic = 0;
};

struct bed_state {
  // Hot: what every heart rate reads or writes (lookup, evaluation, scheduling), first and
  // together, so that a reading touches a few adjacent cache lines of its bed rather than lines
  // spread over the whole kilobyte (5,000 beds do not fit in a core's cache).
  std::string id;
  core::phase phase = phase::idle;
  monitor_state monitor = monitor_state::unspecified;
  bool dirty = false;  // changed since the last take_dirty() (not persisted)
  bool paused = false;
  bool planned_notice_due = false;  // PLANNED_DURATION_REACHED not yet emitted this session
  time_ms started_at = 0;
  std::optional<time_ms> last_valid_hr;
  // The time of this bed's live entry in the deadline heap (not persisted).
  std::optional<time_ms> scheduled;
  std::array<boxed<open_alarm>, alarm_condition_count> open{};
  std::array<run_starts, physiological_count> runs{};  // HR_HIGH and HR_LOW first
  // Cold: sessions, cuffs, ids.
  std::string session_id;
  std::uint32_t planned_minutes = 0;
  time_ms stopped_at = 0;
  time_ms recovery_ends_at = 0;
  std::optional<nibp_sample> baseline;
  std::optional<nibp_sample> last_nibp;                   // last valid NIBP reading, any phase
  std::array<std::uint32_t, condition_count> episodes{};  // ids issued per condition
  std::uint64_t event_seq = 0;
  time_ms session_changed_at = 0;  // SessionState.at_ms
  time_ms alarms_changed_at = 0;   // ActiveAlarms.at_ms
};

}  // namespace vigil::core
