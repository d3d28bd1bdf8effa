#include "record/keeper.hpp"

#include <algorithm>
#include <iterator>

namespace vigil::record {

void rows::append(rows&& o) {
  const auto move_all = [](auto& to, auto& from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  };
  move_all(history, o.history);
  move_all(trend, o.trend);
  move_all(sessions, o.sessions);
}

void keeper::summary::add(double v) {
  lo = n == 0 ? v : std::min(lo, v);
  hi = n == 0 ? v : std::max(hi, v);
  sum += v;
  ++n;
}

void keeper::add_reading(const core::reading_note& r, const bed_view& v, rows& into) {
  // The bed's session now, at the end of the turn, may have started after this reading (a
  // baseline cuff and STARTED in one batch): the reading says whether it was in one.
  static const std::string no_session;
  const std::string& session_id = r.in_session ? v.session_id : no_session;
  if (r.slot >= buckets_.size()) buckets_.resize(r.slot + 1);
  bucket& b = buckets_[r.slot];
  if (r.feed == core::feed::nibp) {
    // Two readings of a bed in one batch share its receive time, and the store keys a point by
    // bed, time and series: it would merge them into one (n = 2). The later is kept 1 ms later.
    const core::time_ms at = b.last_nibp_ms ? std::max(r.at_ms, *b.last_nibp_ms + 1) : r.at_ms;
    b.last_nibp_ms = at;
    for (const auto& [s, value] :
         {std::pair{series::nibp_sys, r.value}, std::pair{series::nibp_dia, r.diastolic},
          std::pair{series::nibp_mean, r.mean}}) {
      into.trend.push_back({v.id, session_id, {at, s, 1, value, value, value}});
    }
    return;
  }
  const core::time_ms start = r.at_ms - (r.at_ms % trend_bucket_ms + trend_bucket_ms) %
                                            trend_bucket_ms;  // floor, also before 1970
  if (b.start != start) {
    if (b.open()) close(b, into);
    b.start = start;
    b.bed_id = v.id;
    b.session_id = session_id;
    due_.push_back({start + trend_bucket_ms, r.slot});
  }
  if (r.feed == core::feed::hr) {
    b.hr.add(r.value);
  } else {
    b.sys.add(r.value);
    b.dia.add(r.diastolic);
    b.mean.add(r.mean);
  }
}

void keeper::close(bucket& b, rows& into) {
  const auto emit = [&](series s, summary& m) {
    if (m.n == 0) return;
    into.trend.push_back({b.bed_id, b.session_id, {b.start, s, m.n, m.lo, m.sum / m.n, m.hi}});
    m = {};
  };
  emit(series::hr, b.hr);
  emit(series::art_sys, b.sys);
  emit(series::art_dia, b.dia);
  emit(series::art_mean, b.mean);
  b.start = bucket::none_open;
}

void keeper::close_due(core::time_ms now, rows& into) {
  while (!due_.empty() && due_.front().ends <= now) {
    bucket& b = buckets_[due_.front().slot];
    if (b.open() && b.start + trend_bucket_ms == due_.front().ends) close(b, into);
    due_.pop_front();
  }
}

void keeper::close_all(rows& into) {
  for (auto& b : buckets_)
    if (b.open()) close(b, into);
  due_.clear();
}

namespace {
session_info info_of(const core::session_state& s) {
  session_info i;
  i.bed_id = s.bed_id;
  i.session_id = s.session_id;
  i.patient_id = s.patient_id;
  i.encounter_id = s.encounter_id;
  if (!s.drug.empty()) i.drug = s.drug;
  i.dose_mg_per_kg = s.dose_mg_per_kg;
  i.planned_minutes = s.planned_minutes;
  i.started_ms = s.infusion_started_at_ms;
  i.stopped_ms = s.infusion_stopped_at_ms;
  i.baseline_systolic_mmhg = s.baseline_systolic_mmhg;
  i.baseline_diastolic_mmhg = s.baseline_diastolic_mmhg;
  return i;
}
}  // namespace

void keeper::take_events_and_sessions(const core::engine_output& out, rows& into) {
  into.history.insert(into.history.end(), out.events.begin(), out.events.end());
  for (const auto& s : out.sessions) {
    const bool in_session = s.phase == core::phase::infusion || s.phase == core::phase::recovery;
    const auto it = open_.find(s.bed_id);
    if (it != open_.end() && (!in_session || it->second.session_id != s.session_id)) {
      it->second.ended_ms = s.at_ms;  // back to IDLE, or a new session replaced it
      into.sessions.push_back(std::move(it->second));
      open_.erase(it);
    }
    if (!in_session) continue;
    auto info = info_of(s);
    auto& known = open_[s.bed_id];
    if (known == info) continue;  // the same facts again (a restart republishing)
    known = info;
    into.sessions.push_back(std::move(info));
  }
}

}  // namespace vigil::record
