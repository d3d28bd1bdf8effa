// Plumbing of the engine: construction, the public entry points, queries.
#include "core/engine.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "core/engine_impl.hpp"

namespace vigil::core {

std::string_view to_string(drop_reason r) {
  switch (r) {
    case drop_reason::reading_invalid_flag: return "reading_invalid_flag";
    case drop_reason::reading_implausible: return "reading_implausible";
    case drop_reason::infusion_out_of_order: return "infusion_out_of_order";
    case drop_reason::infusion_unspecified: return "infusion_unspecified";
    case drop_reason::monitor_unspecified: return "monitor_unspecified";
    case drop_reason::ack_rejected: return "ack_rejected";
    case drop_reason::count: break;
  }
  return "unknown";
}

void engine_output::clear() {
  events.clear();
  alarms_changed.clear();
  sessions_changed.clear();
  diagnostics.clear();
}

engine::engine(engine_config cfg) : impl_(std::make_unique<impl>()) { impl_->cfg = std::move(cfg); }
engine::~engine() = default;
engine::engine(engine&&) noexcept = default;
engine& engine::operator=(engine&&) noexcept = default;

void engine::on_heart_rate(std::string_view bed_id, const heart_rate& m, time_ms now,
                           engine_output& out) {
  auto& s = *impl_;
  now = s.begin(now, out);
  bed_state& b = s.bed(bed_id);
  if (m.validity == validity::invalid) {
    s.drop(out, &b, bed_id, drop_reason::reading_invalid_flag, "heart rate flagged INVALID");
    return;
  }
  if (!s.cfg.hr_plausible.contains(m.bpm)) {
    s.drop(out, &b, bed_id, drop_reason::reading_implausible,
           "heart rate " + text::number(m.bpm) + " /min outside " +
               text::number(s.cfg.hr_plausible.min) + ".." + text::number(s.cfg.hr_plausible.max));
    return;
  }
  ++s.counters.readings_accepted;
  if (m.validity == validity::questionable) ++s.counters.readings_questionable;
  const std::size_t events_before = out.events.size();
  s.accept_heart_rate(b, m.bpm, now, out);
  // A heart rate that changed no alarm (it emitted nothing) changed no deadline but HR signal
  // lost's, and moved that one later: the bed's entry in the heap is still early enough, so
  // the earliest deadline is not recomputed. That is almost every reading of every bed.
  if (out.events.size() != events_before) s.schedule(b);
  assert(s.scheduled_in_time(b));
}

void engine::on_blood_pressure(std::string_view bed_id, const blood_pressure& m, time_ms now,
                               engine_output& out) {
  auto& s = *impl_;
  now = s.begin(now, out);
  bed_state& b = s.bed(bed_id);
  if (m.validity == validity::invalid) {
    s.drop(out, &b, bed_id, drop_reason::reading_invalid_flag, "blood pressure flagged INVALID");
    return;
  }
  const double map = m.mean_mmhg.value_or((m.systolic_mmhg + 2 * m.diastolic_mmhg) / 3);
  if (!s.plausible_bp(m, map)) {
    s.drop(out, &b, bed_id, drop_reason::reading_implausible,
           "blood pressure " + text::number(m.systolic_mmhg) + "/" +
               text::number(m.diastolic_mmhg) + " mmHg implausible");
    return;
  }
  ++s.counters.readings_accepted;
  if (m.validity == validity::questionable) ++s.counters.readings_questionable;
  s.accept_blood_pressure(b, m, map, now, out);
  s.schedule(b);
}

void engine::on_monitor_status(std::string_view bed_id, const monitor_status& m, time_ms now,
                               engine_output& out) {
  auto& s = *impl_;
  now = s.begin(now, out);
  bed_state& b = s.bed(bed_id);
  if (m.state == monitor_state::unspecified) {
    s.drop(out, &b, bed_id, drop_reason::monitor_unspecified, "monitor status without state");
    return;
  }
  s.accept_monitor(b, m, now, out);
  s.schedule(b);
}

void engine::on_infusion(std::string_view bed_id, const infusion_event& m, time_ms now,
                         engine_output& out) {
  auto& s = *impl_;
  now = s.begin(now, out);
  bed_state& b = s.bed(bed_id);
  s.accept_infusion(b, m, now, out);
  s.schedule(b);
}

void engine::on_ack(std::string_view bed_id, const alarm_ack& m, time_ms now, engine_output& out) {
  auto& s = *impl_;
  now = s.begin(now, out);
  bed_state* b = s.find(bed_id);
  if (!b || !s.accept_ack(*b, m, now, out)) {
    s.drop(out, b, bed_id, drop_reason::ack_rejected,
           "ack for " + m.alarm_id + " by " + m.by + " matches no acknowledgeable alarm");
    return;
  }
  s.schedule(*b);
}

void engine::advance(time_ms now, engine_output& out) {
  if (impl_->due_by(now)) impl_->run_deadlines(now, out);
  impl_->clock = std::max(impl_->clock, now);
}

std::optional<time_ms> engine::next_deadline() const {
  if (impl_->heap.empty()) return std::nullopt;
  return impl_->heap.top().at;
}

session_state engine::session(std::string_view bed_id) const {
  session_state st;
  st.bed_id = std::string(bed_id);
  const bed_state* b = impl_->find(bed_id);
  if (!b) return st;
  st.session_id = b->session_id;
  st.phase = b->phase;
  st.infusion_started_at_ms = b->started_at;
  st.planned_minutes = b->planned_minutes;
  st.paused = b->paused;
  st.infusion_stopped_at_ms = b->stopped_at;
  st.recovery_ends_at_ms = b->recovery_ends_at;
  if (b->baseline) {
    st.baseline_systolic_mmhg = b->baseline->systolic;
    st.baseline_diastolic_mmhg = b->baseline->diastolic;
  }
  st.at_ms = b->session_changed_at;
  return st;
}

active_alarms engine::active(std::string_view bed_id) const {
  active_alarms a;
  a.bed_id = std::string(bed_id);
  const bed_state* b = impl_->find(bed_id);
  if (!b) return a;
  a.at_ms = b->alarms_changed_at;
  for (const auto& o : b->open)
    if (o) a.alarms.push_back(o->last);
  std::sort(a.alarms.begin(), a.alarms.end(),
            [](const alarm_event& x, const alarm_event& y) { return x.onset_ms < y.onset_ms; });
  return a;
}

std::vector<std::string> engine::beds() const {
  std::vector<std::string> ids;
  ids.reserve(impl_->beds.size());
  for (const auto& b : impl_->beds) ids.push_back(b.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::size_t engine::bed_slot(std::string_view bed) { return impl_->slot_of(impl_->bed(bed)); }

std::vector<std::string> engine::take_dirty() {
  std::vector<std::string> ids;
  for (const auto slot : impl_->dirty) {
    auto& b = impl_->beds[slot];
    if (!b.dirty) continue;  // restored since
    b.dirty = false;
    ids.push_back(b.id);
  }
  impl_->dirty.clear();
  return ids;
}

const bed_state* engine::state_of(std::string_view bed_id) const { return impl_->find(bed_id); }
std::size_t engine::bed_count() const { return impl_->beds.size(); }
const bed_state& engine::state_at(std::size_t slot) const { return impl_->beds.at(slot); }

void engine::restore(bed_state saved, time_ms now) {
  auto& s = *impl_;
  bed_state& b = s.bed(saved.id);
  b = std::move(saved);
  b.runs = {};
  b.scheduled.reset();
  b.dirty = false;
  if (b.last_valid_hr) b.last_valid_hr = std::max(*b.last_valid_hr, now);
  else if (in_session(b.phase)) b.last_valid_hr = now;
  s.clock = std::max(s.clock, now);
  s.schedule(b);
}

const engine_counters& engine::counters() const { return impl_->counters; }
const engine_config& engine::config() const { return impl_->cfg; }

void engine::reconfigure(engine_config cfg) {
  impl_->cfg = std::move(cfg);
  // The heap is lazy: a fresh entry per bed, and the stale ones are skipped when they surface.
  for (auto& b : impl_->beds) {
    b.scheduled.reset();
    impl_->schedule(b);
  }
}

}  // namespace vigil::core
