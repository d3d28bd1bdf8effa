#include "core/engine_books.hpp"

#include "core/engine_state.hpp"

namespace vigil::core {

std::size_t engine_books::bed_slot(std::string_view bed) {
  auto& beds = e_->impl_->beds;
  return beds.slot_of(beds.get(bed));
}

std::size_t engine_books::bed_count() const { return e_->impl_->beds.size(); }
const bed_state& engine_books::state_at(std::size_t slot) const { return e_->impl_->beds.at(slot); }
std::vector<std::string> engine_books::take_dirty() { return e_->impl_->beds.take_dirty(); }
const bed_state* engine_books::state_of(std::string_view bed) const {
  return e_->impl_->beds.find(bed);
}

void engine_books::restore(bed_state saved, time_ms now) {
  auto& s = *e_->impl_;
  bed_state& b = s.beds.get(saved.id);
  b = std::move(saved);
  b.runs = {};
  b.scheduled.reset();
  b.dirty = false;
  if (b.last_valid_hr) b.last_valid_hr = std::max(*b.last_valid_hr, now);
  else if (in_session(b.phase)) b.last_valid_hr = now;
  s.clock = std::max(s.clock, now);
  s.schedule(b);
}

void engine_books::restore(bed_state saved, time_ms now, engine_output& republish) {
  const std::string id = saved.id;
  restore(std::move(saved), now);
  republish.alarms_changed.push_back(id);
  republish.sessions_changed.push_back(id);
  republish.active.push_back(e_->impl_->active(id));
  republish.sessions.push_back(e_->impl_->session(id));
}

}  // namespace vigil::core
