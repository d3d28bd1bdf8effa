#include "core/deadlines.hpp"

#include <algorithm>

namespace vigil::core::detail {
namespace {

const phase_config& limits(const bed_state& b, const engine_config& cfg) {
  return cfg.phases[phase_index(b.phase)];
}

time_ms planned_end(const bed_state& b) {
  return b.started_at + static_cast<time_ms>(b.planned_minutes) * 60'000;
}

}  // namespace

time_ms hr_stale_ms(const bed_state& b, const engine_config& cfg) {
  return std::max(limits(b, cfg).hr_stale_ms, 2 * static_cast<time_ms>(b.report_interval_ms));
}

time_ms hr_deadline(const bed_state& b, const engine_config& cfg) {
  return std::max(b.last_valid_hr.value_or(b.started_at), b.started_at) + hr_stale_ms(b, cfg);
}

time_ms nibp_deadline(const bed_state& b, const engine_config& cfg) {
  const time_ms last = b.last_nibp ? b.last_nibp->at : b.started_at;
  return std::max(last, b.started_at) + limits(b, cfg).nibp_interval_ms + cfg.nibp_grace_ms;
}

std::optional<due> earliest(const bed_state& b, const engine_config& cfg) {
  std::optional<due> best;
  auto consider = [&best](time_ms at, timer k, condition_id c) {
    if (!best || at < best->at) best = due{at, k, c};
  };
  const auto& open = b.open;
  if (b.phase == phase::recovery) consider(b.recovery_ends_at, timer::recovery_end, cid::count);
  if (b.phase == phase::infusion) {
    if (!open[index(cid::infusion_overrun)])
      consider(b.started_at + cfg.infusion_max_ms, timer::overrun, cid::infusion_overrun);
    if (b.planned_notice_due)
      consider(planned_end(b), timer::planned_reached, cid::planned_duration_reached);
  }
  if (in_session(b.phase)) {
    if (!open[index(cid::hr_signal_lost)])
      consider(hr_deadline(b, cfg), timer::hr_lost, cid::hr_signal_lost);
    if (!open[index(cid::nibp_overdue)])
      consider(nibp_deadline(b, cfg), timer::nibp_overdue, cid::nibp_overdue);
  }
  for (std::size_t i = 0; i < open.size(); ++i) {
    if (!open[i]) continue;
    const auto c = static_cast<condition_id>(i);
    if (open[i]->escalate_at) consider(*open[i]->escalate_at, timer::escalate, c);
    if (open[i]->remind_at) consider(*open[i]->remind_at, timer::remind, c);
  }
  return best;
}

void deadline_schedule::schedule(bed_state& b, std::size_t slot, const engine_config& cfg) {
  const auto d = earliest(b, cfg);
  if (!d) return;
  if (!b.scheduled || d->at < *b.scheduled) {
    b.scheduled = d->at;
    heap_.push({d->at, slot});
  }
}

bool deadline_schedule::in_time(const bed_state& b, const engine_config& cfg) const {
  const auto d = earliest(b, cfg);
  return !d || (b.scheduled && *b.scheduled <= d->at);
}

std::optional<time_ms> deadline_schedule::next() const {
  if (heap_.empty()) return std::nullopt;
  return heap_.top().at;
}

void deadline_schedule::reschedule_all(bed_table& beds, const engine_config& cfg) {
  // The heap is lazy: a fresh entry per bed, and the stale ones are skipped when they surface.
  for (auto& b : beds.all()) {
    b.scheduled.reset();
    schedule(b, beds.slot_of(b), cfg);
  }
}

void deadline_schedule::rebase(time_ms by) {
  std::vector<entry> moved;
  moved.reserve(heap_.size());
  for (; !heap_.empty(); heap_.pop()) moved.push_back({heap_.top().at + by, heap_.top().bed});
  for (const auto& e : moved) heap_.push(e);
}

}  // namespace vigil::core::detail
