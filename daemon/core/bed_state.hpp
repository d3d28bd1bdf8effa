// The engine's per-bed state. Internal to the engine (and to its persistence in a later layer):
// plain data, so a snapshot is a copy.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <tuple>

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

// What the STARTED event said about the session, for its record; never read by the rules.
struct session_refs {
  std::string patient_id;
  std::string encounter_id;
  std::string drug;
  std::optional<double> dose_mg_per_kg;
  friend bool operator==(const session_refs&, const session_refs&) = default;
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
  std::uint32_t report_interval_ms = 0;  // from the latest MonitorStatus; 0: continuous
  time_ms stopped_at = 0;
  time_ms recovery_ends_at = 0;
  std::optional<nibp_sample> baseline;
  boxed<session_refs> refs;                               // in a session
  std::optional<nibp_sample> last_nibp;                   // last valid NIBP reading, any phase
  std::array<std::uint32_t, condition_count> episodes{};  // ids issued per condition
  std::uint64_t event_seq = 0;
  time_ms session_changed_at = 0;  // SessionState.at_ms
  time_ms alarms_changed_at = 0;   // ActiveAlarms.at_ms
};

// The conditions evaluated on readings, and only they, keep runs; the others can be open.
static_assert(std::tuple_size_v<decltype(bed_state::runs)> == physiological_count);
static_assert(std::tuple_size_v<decltype(bed_state::open)> == alarm_condition_count);

inline bool in_session(phase p) { return p == phase::infusion || p == phase::recovery; }

// Every time a bed holds, each handed to `f(time_ms&)`: the one list of them, which an NTP step
// (engine::rebase) moves. A field that means "none" when idle (started_at, the recovery times)
// or when never set (the *_changed_at stamps, 0) is handed over only when it holds a time.
template <class F>
void for_each_time(bed_state& b, F&& f) {
  const auto opt = [&f](std::optional<time_ms>& t) {
    if (t) f(*t);
  };
  if (in_session(b.phase)) f(b.started_at);
  if (b.phase == phase::recovery) {
    f(b.stopped_at);
    f(b.recovery_ends_at);
  }
  opt(b.last_valid_hr);
  opt(b.scheduled);
  for (auto& a : b.open) {
    if (!a) continue;
    f(a->onset_ms);
    opt(a->escalate_at);
    opt(a->remind_at);
    f(a->last.onset_ms);
    f(a->last.at_ms);
  }
  for (auto& r : b.runs) {
    opt(r.medium);
    opt(r.high);
    opt(r.clear);
  }
  if (b.baseline) f(b.baseline->at);
  if (b.last_nibp) f(b.last_nibp->at);
  if (b.session_changed_at != 0) f(b.session_changed_at);
  if (b.alarms_changed_at != 0) f(b.alarms_changed_at);
}

// Tripwires: a field added to these structs changes their size (every time_ms does). Add it to
// for_each_time above if it holds a time, then update the size here; rebase_test checks the
// list. Checked where the sizes are known: libstdc++ on x86-64 (the dev and release builds).
#if defined(__GLIBCXX__) && defined(__x86_64__)
static_assert(sizeof(run_starts) == 48, "run_starts changed: see for_each_time");
static_assert(sizeof(open_alarm) == 472, "open_alarm changed: see for_each_time");
static_assert(sizeof(alarm_event) == 312, "alarm_event changed: see for_each_time");
static_assert(sizeof(nibp_sample) == 24, "nibp_sample changed: see for_each_time");
// bed_state without its per-condition arrays, in whole 8-byte words (so a new condition, which
// only resizes the arrays and their padding, does not trip it).
namespace detail {
inline constexpr std::size_t bed_state_words =
    (sizeof(bed_state) - sizeof(bed_state::open) - sizeof(bed_state::runs) -
     sizeof(bed_state::episodes)) /
    8;
}
static_assert(detail::bed_state_words == 29, "bed_state changed: see for_each_time");
#endif

}  // namespace vigil::core
