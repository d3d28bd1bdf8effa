// The engine's public entry points and queries, over its parts: bed_table (beds), readings and
// sessions (the rules), alarm_machine (alarms and their events), deadline_schedule (timers).
#include "core/engine.hpp"

#include <algorithm>

#include "core/alarm_machine.hpp"
#include "core/engine_state.hpp"
#include "core/readings.hpp"
#include "core/sessions.hpp"

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
  active.clear();
  sessions.clear();
  readings.clear();
}

void detail::mark(std::vector<std::string>& beds, const std::string& id) {
  if (std::find(beds.begin(), beds.end(), id) == beds.end()) beds.push_back(id);
}

namespace {

// A deadline of the bed, due now.
void fire(detail::instant& in, bed_state& b, const detail::due& d) {
  using detail::timer;
  switch (d.kind) {
    case timer::recovery_end: return detail::recovery_ended(in, b);
    case timer::overrun: return detail::overrun_due(in, b);
    case timer::planned_reached: return detail::planned_duration_due(in, b);
    case timer::hr_lost: return detail::hr_lost_due(in, b);
    case timer::nibp_overdue: return detail::nibp_overdue_due(in, b);
    case timer::escalate: return detail::escalation_due(in, b, d.cond);
    case timer::remind: return detail::reminder_due(in, b, d.cond);
  }
}

}  // namespace

void engine::impl::run_deadlines(time_ms limit, engine_output& out) {
  deadlines.run(limit, beds, cfg, [&](bed_state& b, const detail::due& d) {
    clock = std::max(clock, d.at);
    detail::instant in = at(clock, out);
    fire(in, b, d);
    beds.touch(b);
  });
}

session_state engine::impl::session(std::string_view bed_id) const {
  session_state st;
  st.bed_id = std::string(bed_id);
  const bed_state* b = beds.find(bed_id);
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
  if (b->refs) {
    st.patient_id = b->refs->patient_id;
    st.encounter_id = b->refs->encounter_id;
    st.drug = b->refs->drug;
    st.dose_mg_per_kg = b->refs->dose_mg_per_kg;
  }
  return st;
}

active_alarms engine::impl::active(std::string_view bed_id) const {
  active_alarms a;
  a.bed_id = std::string(bed_id);
  const bed_state* b = beds.find(bed_id);
  if (!b) return a;
  a.at_ms = b->alarms_changed_at;
  for (const auto& o : b->open)
    if (o) a.alarms.push_back(o->last);
  std::sort(a.alarms.begin(), a.alarms.end(),
            [](const alarm_event& x, const alarm_event& y) { return x.onset_ms < y.onset_ms; });
  return a;
}

void engine::impl::take_snapshots(engine_output& out) const {
  out.active.clear();
  out.sessions.clear();
  for (const auto& id : out.alarms_changed) out.active.push_back(active(id));
  for (const auto& id : out.sessions_changed) out.sessions.push_back(session(id));
}

engine::engine(engine_config cfg) : impl_(std::make_unique<impl>()) { impl_->cfg = cfg; }
engine::~engine() = default;
engine::engine(engine&&) noexcept = default;
engine& engine::operator=(engine&&) noexcept = default;

void engine::on_heart_rate(std::string_view bed_id, const heart_rate& m, time_ms now,
                           engine_output& out) {
  impl_->handle(bed_id, now, out, impl::new_bed::add, [&m](detail::instant& in, bed_state* b) {
    return detail::accept_heart_rate(in, *b, m);
  });
}

void engine::on_blood_pressure(std::string_view bed_id, const blood_pressure& m, time_ms now,
                               engine_output& out) {
  impl_->handle(bed_id, now, out, impl::new_bed::add, [&m](detail::instant& in, bed_state* b) {
    return detail::accept_blood_pressure(in, *b, m);
  });
}

void engine::on_monitor_status(std::string_view bed_id, const monitor_status& m, time_ms now,
                               engine_output& out) {
  impl_->handle(bed_id, now, out, impl::new_bed::add, [&m](detail::instant& in, bed_state* b) {
    return detail::accept_monitor(in, *b, m);
  });
}

void engine::on_infusion(std::string_view bed_id, const infusion_event& m, time_ms now,
                         engine_output& out) {
  impl_->handle(bed_id, now, out, impl::new_bed::add, [&m](detail::instant& in, bed_state* b) {
    return detail::accept_infusion(in, *b, m);
  });
}

void engine::on_ack(std::string_view bed_id, const alarm_ack& m, time_ms now, engine_output& out) {
  impl_->handle(bed_id, now, out, impl::new_bed::unknown, [&](detail::instant& in, bed_state* b) {
    if (b && detail::acknowledge(in, *b, m)) return detail::after::reschedule;
    return in.drop(bed_id, drop_reason::ack_rejected,
                   "ack for " + m.alarm_id + " by " + m.by + " matches no acknowledgeable alarm");
  });
}

void engine::advance(time_ms now, engine_output& out) {
  if (impl_->deadlines.due_by(now)) impl_->run_deadlines(now, out);
  impl_->clock = std::max(impl_->clock, now);
  // Most instants change no bed's alarms or session: then there is nothing to snapshot (the
  // snapshots follow the two lists, which only clear() empties).
  if (!out.alarms_changed.empty() || !out.sessions_changed.empty()) impl_->take_snapshots(out);
}

std::optional<time_ms> engine::next_deadline() const { return impl_->deadlines.next(); }

session_state engine::session(std::string_view bed_id) const { return impl_->session(bed_id); }
active_alarms engine::active(std::string_view bed_id) const { return impl_->active(bed_id); }

std::vector<std::string> engine::beds() const {
  std::vector<std::string> ids;
  ids.reserve(impl_->beds.size());
  for (const auto& b : impl_->beds.all()) ids.push_back(b.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

const engine_counters& engine::counters() const { return impl_->counters; }
const engine_config& engine::config() const { return impl_->cfg; }

void engine::reconfigure(engine_config cfg) {
  impl_->cfg = cfg;
  impl_->deadlines.reschedule_all(impl_->beds, impl_->cfg);
}

void engine::rebase(time_ms by) {
  auto& s = *impl_;
  for (auto& b : s.beds.all()) for_each_time(b, [by](time_ms& t) { t += by; });
  s.deadlines.rebase(by);
  if (s.clock != std::numeric_limits<time_ms>::min()) s.clock += by;
}

}  // namespace vigil::core
