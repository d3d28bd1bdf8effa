// The engine's private state and the small helpers its rules share. Included only by
// engine.cpp (plumbing, public API) and rules.cpp (alarms.md's rules).
//
// The deadline heap holds at most one live entry per bed, lazily: a deadline that moves later
// (the common case: a reading pushes a timer back) is re-queued only when its early entry pops.
#pragma once

#include "core/engine.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>

#include "core/bed_index.hpp"
#include "core/bed_state.hpp"
#include "core/text.hpp"

namespace vigil::core {
namespace detail {

enum class timer : std::uint8_t {
  recovery_end,
  overrun,
  planned_reached,
  hr_lost,
  nibp_overdue,
  escalate,
  remind
};

struct due {
  time_ms at;
  timer kind;
  condition_id cond;
};

struct heap_entry {
  time_ms at;
  std::size_t bed;
  bool operator>(const heap_entry& o) const { return at != o.at ? at > o.at : bed > o.bed; }
};

inline bool in_session(phase p) { return p == phase::infusion || p == phase::recovery; }

inline void mark(std::vector<std::string>& beds, const std::string& id) {
  if (std::find(beds.begin(), beds.end(), id) == beds.end()) beds.push_back(id);
}

inline constexpr condition_id session_bound[] = {
    condition_id::hr_signal_lost,   condition_id::nibp_overdue, condition_id::monitor_offline,
    condition_id::infusion_overrun, condition_id::sbp_rise,     condition_id::dbp_rise};

}  // namespace detail

using namespace detail;

struct engine::impl {
  engine_config cfg;
  engine_counters counters;
  std::vector<bed_state> beds;
  bed_index by_id;
  std::priority_queue<heap_entry, std::vector<heap_entry>, std::greater<>> heap;
  std::vector<std::size_t> dirty;  // slots of the beds with dirty set, each once
  time_ms clock = std::numeric_limits<time_ms>::min();
  std::size_t last_slot = 0;  // the bed found last: messages for one bed come in pairs (slot, on_*)

  // ---- beds, clock, schedule ----

  std::optional<std::size_t> lookup(std::string_view id, std::size_t h) const {
    return by_id.find(id, h,
                      [this](std::size_t slot) -> std::string_view { return beds[slot].id; });
  }
  bed_state* find(std::string_view id) {
    const auto slot = lookup(id, bed_index::hash(id));
    return slot ? &beds[*slot] : nullptr;
  }
  const bed_state* find(std::string_view id) const {
    const auto slot = lookup(id, bed_index::hash(id));
    return slot ? &beds[*slot] : nullptr;
  }
  // The bed found last first (inline: it is every on_*() after bed_slot()), then the index.
  bed_state& bed(std::string_view id) {
    if (last_slot < beds.size() && same_id(beds[last_slot].id, id)) return beds[last_slot];
    return look_up_bed(id);
  }
  [[gnu::noinline]] bed_state& look_up_bed(std::string_view id) {
    const std::size_t h = bed_index::hash(id);
    if (const auto slot = lookup(id, h)) {
      last_slot = *slot;
    } else {
      last_slot = beds.size();
      beds.emplace_back().id = std::string(id);
      by_id.insert(h, last_slot);
    }
    return beds[last_slot];
  }
  std::size_t slot_of(const bed_state& b) const {
    return static_cast<std::size_t>(&b - beds.data());
  }

  // Something a restart must keep changed: take_dirty() will hand the bed out.
  void touch(bed_state& b) {
    if (b.dirty) return;
    b.dirty = true;
    dirty.push_back(slot_of(b));
  }

  const phase_config& limits(const bed_state& b) const { return cfg.phases[phase_index(b.phase)]; }

  // A message at `now`: every deadline before it fires first (section 1).
  time_ms begin(time_ms now, engine_output& out) {
    if (now > std::numeric_limits<time_ms>::min() && due_by(now - 1)) run_deadlines(now - 1, out);
    clock = std::max(clock, now);
    return clock;
  }

  time_ms hr_deadline(const bed_state& b) const {
    return std::max(b.last_valid_hr.value_or(b.started_at), b.started_at) + limits(b).hr_stale_ms;
  }
  time_ms nibp_deadline(const bed_state& b) const {
    const time_ms last = b.last_nibp ? b.last_nibp->at : b.started_at;
    return std::max(last, b.started_at) + limits(b).nibp_interval_ms + cfg.nibp_grace_ms;
  }
  time_ms planned_end(const bed_state& b) const {
    return b.started_at + static_cast<time_ms>(b.planned_minutes) * 60'000;
  }

  std::optional<due> earliest(const bed_state& b) const {
    std::optional<due> best;
    auto consider = [&best](time_ms at, timer k, condition_id c) {
      if (!best || at < best->at) best = due{at, k, c};
    };
    const auto& open = b.open;
    if (b.phase == phase::recovery)
      consider(b.recovery_ends_at, timer::recovery_end, condition_id::count);
    if (b.phase == phase::infusion) {
      if (!open[index(condition_id::infusion_overrun)])
        consider(b.started_at + cfg.infusion_max_ms, timer::overrun,
                 condition_id::infusion_overrun);
      if (b.planned_notice_due)
        consider(planned_end(b), timer::planned_reached, condition_id::planned_duration_reached);
    }
    if (in_session(b.phase)) {
      if (!open[index(condition_id::hr_signal_lost)])
        consider(hr_deadline(b), timer::hr_lost, condition_id::hr_signal_lost);
      if (!open[index(condition_id::nibp_overdue)])
        consider(nibp_deadline(b), timer::nibp_overdue, condition_id::nibp_overdue);
    }
    for (std::size_t i = 0; i < open.size(); ++i) {
      if (!open[i]) continue;
      const auto c = static_cast<condition_id>(i);
      if (open[i]->escalate_at) consider(*open[i]->escalate_at, timer::escalate, c);
      if (open[i]->remind_at) consider(*open[i]->remind_at, timer::remind, c);
    }
    return best;
  }

  // After every change to a bed: make sure the heap has an entry no later than its deadline.
  void schedule(bed_state& b) {
    const auto d = earliest(b);
    if (!d) return;
    if (!b.scheduled || d->at < *b.scheduled) {
      b.scheduled = d->at;
      heap.push({d->at, slot_of(b)});
    }
  }

  // Whether run_deadlines(limit) has anything to do: checked inline before calling it, since
  // the engine is advanced around every message and almost always nothing is due.
  bool due_by(time_ms limit) const { return !heap.empty() && heap.top().at <= limit; }

  // What schedule() keeps true: the heap holds an entry for the bed no later than its deadline.
  bool scheduled_in_time(const bed_state& b) const {
    const auto d = earliest(b);
    return !d || (b.scheduled && *b.scheduled <= d->at);
  }

  void run_deadlines(time_ms limit, engine_output& out) {
    while (!heap.empty() && heap.top().at <= limit) {
      const heap_entry e = heap.top();
      heap.pop();
      bed_state& b = beds[e.bed];
      if (b.scheduled != e.at) continue;  // superseded by an earlier entry
      b.scheduled.reset();
      if (const auto d = earliest(b); d && d->at <= limit) {
        clock = std::max(clock, d->at);
        fire(b, *d, clock, out);
        touch(b);
      }
      schedule(b);
    }
  }

  // ---- events ----

  std::string make_id(bed_state& b, condition_id c) {
    return b.id + ":" + std::string(info(c).name) + ":" + std::to_string(++b.episodes[index(c)]);
  }

  alarm_event& emit(bed_state& b, condition_id c, const open_alarm& a, transition t, time_ms now,
                    std::optional<double> value, std::optional<double> limit, std::string text,
                    engine_output& out) {
    const auto& ci = info(c);
    alarm_event e;
    e.alarm_id = a.id;
    e.event_seq = ++b.event_seq;
    e.bed_id = b.id;
    e.session_id = b.session_id;
    e.condition = std::string(ci.name);
    e.kind = ci.kind;
    e.priority = a.priority;
    e.state = a.state;
    e.transition = t;
    e.value = value;
    e.limit = limit;
    e.unit = std::string(ci.unit);
    e.onset_ms = a.onset_ms;
    e.at_ms = now;
    e.phase = b.phase;
    e.infusion_elapsed_ms = in_session(b.phase) ? now - b.started_at : 0;
    e.escalation_level = a.escalation_level;
    e.acknowledged_by = a.acknowledged_by;
    e.text = std::move(text);
    out.events.push_back(std::move(e));
    touch(b);
    if (t != transition::notice) {
      mark(out.alarms_changed, b.id);
      b.alarms_changed_at = now;
    }
    return out.events.back();
  }

  std::string when(const bed_state& b, time_ms now) const {
    return text::when(b.phase, now, b.started_at, b.stopped_at);
  }

  void notice(bed_state& b, condition_id c, time_ms now, std::optional<double> value,
              std::optional<double> limit, std::string text, engine_output& out) {
    open_alarm n;
    n.id = make_id(b, c);
    n.priority = priority::low;
    n.state = alarm_state::ended;  // one event, no later ones: never listed as active
    n.onset_ms = now;
    emit(b, c, n, transition::notice, now, value, limit, std::move(text) + when(b, now), out);
  }

  void arm_escalation(open_alarm& a, time_ms from) const {
    a.escalate_at.reset();
    if (a.priority == priority::low || a.escalation_level >= cfg.escalation_max_level) return;
    a.escalate_at =
        from + (a.priority == priority::medium ? cfg.escalate_medium_ms : cfg.escalate_high_ms);
  }

  void raise(bed_state& b, condition_id c, priority p, time_ms now, std::optional<double> value,
             std::optional<double> limit, std::string text, engine_output& out) {
    auto& slot = b.open[index(c)];
    slot.emplace();
    slot->id = make_id(b, c);
    slot->priority = p;
    slot->onset_ms = now;
    slot->reason = text;
    arm_escalation(*slot, now);
    slot->last = emit(b, c, *slot, transition::raised, now, value, limit, std::move(text), out);
  }

  // Append a transition to an open alarm and keep it as the alarm's latest event.
  void update(bed_state& b, condition_id c, transition t, time_ms now, std::optional<double> value,
              std::optional<double> limit, std::string text, engine_output& out) {
    auto& a = *b.open[index(c)];
    a.last = emit(b, c, a, t, now, value, limit, std::move(text), out);
  }

  void end(bed_state& b, condition_id c, time_ms now, std::optional<double> value,
           std::optional<double> limit, std::string text, engine_output& out) {
    auto& slot = b.open[index(c)];
    slot->state = alarm_state::ended;
    slot->escalate_at.reset();
    slot->remind_at.reset();
    emit(b, c, *slot, transition::ended, now, value, limit, std::move(text), out);
    slot.reset();
  }

  // Priority rises to HIGH because the condition is now worse (escalation level unchanged).
  void rise_to_high(bed_state& b, condition_id c, time_ms now, std::optional<double> value,
                    std::optional<double> limit, std::string text, engine_output& out) {
    auto& a = *b.open[index(c)];
    a.priority = priority::high;
    a.state = alarm_state::active;
    a.remind_at.reset();
    a.reason = text;
    arm_escalation(a, now);
    update(b, c, transition::escalated, now, value, limit, std::move(text), out);
  }

  void mark_session(bed_state& b, time_ms now, engine_output& out) {
    mark(out.sessions_changed, b.id);
    b.session_changed_at = now;
    touch(b);
  }

  // Rules (rules.cpp).
  void accept_heart_rate(bed_state& b, double bpm, time_ms now, engine_output& out);
  void accept_blood_pressure(bed_state& b, const blood_pressure& m, double map, time_ms now,
                             engine_output& out);
  void accept_monitor(bed_state& b, const monitor_status& m, time_ms now, engine_output& out);
  void accept_infusion(bed_state& b, const infusion_event& m, time_ms now, engine_output& out);
  bool accept_ack(bed_state& b, const alarm_ack& m, time_ms now, engine_output& out);
  void fire(bed_state& b, const due& d, time_ms now, engine_output& out);
  void evaluate(bed_state& b, condition_id c, double v, time_ms now, engine_output& out);
  [[gnu::noinline]] void evaluate_alarm(bed_state& b, condition_id c, double v, time_ms now,
                                        engine_output& out);
  std::string crossing(const bed_state& b, condition_id c, double v, double limit,
                       time_ms now) const;
  void offline_alarm(bed_state& b, time_ms now, engine_output& out);
  void enter_phase(bed_state& b, time_ms now, engine_output& out);
  void start_session(bed_state& b, const infusion_event& m, time_ms now, engine_output& out);
  void set_baseline(bed_state& b, const nibp_sample& s, time_ms now, engine_output& out);
  bool plausible_bp(const blood_pressure& m, double map) const;
  void drop(engine_output& out, const bed_state* b, std::string_view bed_id, drop_reason r,
            std::string detail) {
    ++counters.dropped[static_cast<std::size_t>(r)];
    out.diagnostics.push_back({b ? b->id : std::string(bed_id), r, std::move(detail)});
  }
};

}  // namespace vigil::core
