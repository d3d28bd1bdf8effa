#include "record/book.hpp"

#include <algorithm>

namespace vigil::record {

std::vector<limit_line> limits_of(const core::engine_config& cfg) {
  using core::condition_id;
  const auto& p = cfg.phases[core::phase_index(core::phase::infusion)];
  std::vector<limit_line> out;
  const auto add = [&](series s, condition_id c) {
    const auto& t = p.limit(c);
    const std::string name(core::info(c).name);
    out.push_back({s, name, t.medium});
    if (t.high) out.push_back({s, name, *t.high});
  };
  add(series::hr, condition_id::hr_high);
  add(series::hr, condition_id::hr_low);
  add(series::nibp_sys, condition_id::sbp_high);
  add(series::nibp_sys, condition_id::sbp_low);
  add(series::nibp_dia, condition_id::dbp_high);
  return out;
}

session_record assemble(const session_info& info, std::vector<trend_point> trend,
                        std::vector<core::alarm_event> events, std::vector<limit_line> limits,
                        core::time_ms until_ms, std::string generator) {
  session_record r;
  r.info = info;
  std::erase_if(
      trend, [&](const trend_point& p) { return p.at_ms < info.started_ms || p.at_ms > until_ms; });
  std::stable_sort(trend.begin(), trend.end(),
                   [](const trend_point& a, const trend_point& b) { return a.at_ms < b.at_ms; });
  std::erase_if(events, [&](const core::alarm_event& e) {
    return e.bed_id != info.bed_id || e.session_id != info.session_id;
  });
  std::stable_sort(events.begin(), events.end(),
                   [](const auto& a, const auto& b) { return a.event_seq < b.event_seq; });
  r.trend = std::move(trend);
  r.events = std::move(events);
  r.limits = std::move(limits);
  r.until_ms = until_ms;
  r.generator = std::move(generator);
  return r;
}

std::string file_stem(const session_info& info) {
  std::string s = info.bed_id + "_" + info.session_id;
  for (char& c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) c = '_';
  }
  if (s.starts_with('.')) s[0] = '_';
  return s;
}

void book::add(rows&& r) {
  for (auto& t : r.trend) trend_[t.bed_id].push_back(t.point);
  events_.insert(events_.end(), std::make_move_iterator(r.history.begin()),
                 std::make_move_iterator(r.history.end()));
  for (auto& s : r.sessions) {
    const auto it = std::find_if(sessions_.begin(), sessions_.end(), [&](const session_info& k) {
      return k.bed_id == s.bed_id && k.session_id == s.session_id;
    });
    if (it == sessions_.end()) {
      sessions_.push_back(std::move(s));
    } else {
      *it = std::move(s);
    }
  }
}

std::vector<session_record> book::records(const std::vector<limit_line>& limits,
                                          core::time_ms end_ms,
                                          const std::string& generator) const {
  std::vector<session_record> out;
  for (const auto& s : sessions_) {
    const auto t = trend_.find(s.bed_id);
    out.push_back(assemble(s, t == trend_.end() ? std::vector<trend_point>{} : t->second, events_,
                           limits, s.ended_ms != 0 ? s.ended_ms : end_ms, generator));
  }
  return out;
}

}  // namespace vigil::record
