#include "record/burden.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace vigil::record {

namespace {

using core::time_ms;

// What one alarm_id's events (those before until) say about it.
struct episode {
  std::string condition;
  time_ms onset_ms = 0;
  core::priority raised_at = core::priority::unspecified;  // at its opening RAISED
  core::priority highest = core::priority::unspecified;
  bool raised_in_window = false;
  bool idle = false;
  std::optional<time_ms> acknowledged_ms;  // first ACKNOWLEDGED
  std::optional<time_ms> ended_ms;         // first ENDED
  std::optional<time_ms> ack_ended_ms;     // first ENDED that carries acknowledged_by
  std::vector<std::uint32_t> escalations;  // levels of its ESCALATED events in the window

  // The first acknowledgement: ACKNOWLEDGED, or the ENDED that acknowledged a LATCHED alarm.
  std::optional<time_ms> acknowledgement() const {
    return acknowledged_ms ? acknowledged_ms : ack_ended_ms;
  }
};

struct window {
  time_ms since = 0;
  time_ms until = 0;
  bool holds(time_ms t) const { return since <= t && t < until; }
  time_ms overlap(time_ms from, time_ms to) const {
    const auto lo = std::max(from, since);
    const auto hi = std::min(to, until);
    return hi > lo ? hi - lo : 0;
  }
};

void keep_first(std::optional<time_ms>& slot, time_ms t) {
  if (!slot || t < *slot) slot = t;
}

bool is_notice(const core::alarm_event& e) {
  return e.kind == core::alarm_kind::notice || e.transition == core::transition::notice;
}

bool in_session(core::phase p) { return p == core::phase::infusion || p == core::phase::recovery; }

void apply(episode& a, const core::alarm_event& e, const window& w) {
  a.condition = e.condition;
  a.onset_ms = e.onset_ms;
  a.highest = std::max(a.highest, e.priority);
  switch (e.transition) {
    case core::transition::raised:
      if (e.at_ms == e.onset_ms) {  // the opening RAISED, not a LATCHED alarm's return
        a.raised_at = e.priority;
        a.raised_in_window = w.holds(e.at_ms);
        a.idle = !in_session(e.phase);
      }
      break;
    case core::transition::acknowledged: keep_first(a.acknowledged_ms, e.at_ms); break;
    case core::transition::ended:
      keep_first(a.ended_ms, e.at_ms);
      if (!e.acknowledged_by.empty()) keep_first(a.ack_ended_ms, e.at_ms);
      break;
    case core::transition::escalated:
      if (w.holds(e.at_ms)) a.escalations.push_back(e.escalation_level);
      break;
    case core::transition::reminded:
    case core::transition::latched:
    case core::transition::notice:
    case core::transition::unspecified: break;
  }
}

time_ms in_alarm_ms(const episode& a, const window& w) {
  return w.overlap(a.onset_ms, a.ended_ms.value_or(w.until));
}

bool nuisance(const episode& a) {
  return a.raised_in_window && a.ended_ms && *a.ended_ms - a.onset_ms <= nuisance_max_ms &&
         !a.acknowledgement();
}

std::optional<double> share(std::uint32_t part, std::uint32_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / whole;
}

struct group {
  std::vector<const episode*> alarms;
  std::uint32_t notices = 0;
};

burden_figures figures_of(const group& g, double bed_hours, const window& w) {
  burden_figures f;
  f.notices = g.notices;
  std::vector<double> to_ack_s;
  time_ms in_alarm = 0;
  for (const auto* a : g.alarms) {
    in_alarm += in_alarm_ms(*a, w);
    for (const auto level : a->escalations) {
      ++f.escalations;
      if (f.escalations_by_level.size() <= level) f.escalations_by_level.resize(level + 1, 0);
      ++f.escalations_by_level[level];
    }
    if (!a->raised_in_window) continue;
    ++f.alarms;
    ++(a->idle ? f.idle : f.in_session);
    if (a->raised_at < a->highest) ++f.priority_rose;
    if (const auto ack = a->acknowledgement()) {
      ++f.acknowledged;
      to_ack_s.push_back(static_cast<double>(*ack - a->onset_ms) / 1000.0);
    }
    if (nuisance(*a)) ++f.nuisance;
  }
  if (bed_hours > 0) f.per_bed_hour = f.in_session / bed_hours;
  f.share_acknowledged = share(f.acknowledged, f.alarms);
  f.share_nuisance = share(f.nuisance, f.alarms);
  std::sort(to_ack_s.begin(), to_ack_s.end());
  f.ack_median_s = nearest_rank(to_ack_s, 50);
  f.ack_p90_s = nearest_rank(to_ack_s, 90);
  f.minutes_in_alarm = static_cast<double>(in_alarm) / 60'000.0;
  return f;
}

// HIGH first: the map's key is the priority's negation.
int descending(core::priority p) { return -static_cast<int>(p); }
core::priority from_descending(int key) { return static_cast<core::priority>(-key); }

}  // namespace

std::optional<double> nearest_rank(const std::vector<double>& sorted, unsigned p) {
  if (sorted.empty()) return std::nullopt;
  const std::size_t rank = std::max<std::size_t>(1, (p * sorted.size() + 99) / 100);
  return sorted[std::min(rank, sorted.size()) - 1];
}

burden_report compute_burden(const std::vector<core::alarm_event>& history,
                             const std::vector<session_info>& sessions, core::time_ms since_ms,
                             core::time_ms until_ms, std::optional<std::string> bed) {
  const window w{since_ms, until_ms};
  burden_report r;
  r.since_ms = since_ms;
  r.until_ms = until_ms;
  r.bed = std::move(bed);
  const auto wanted = [&r](const std::string& bed_id) { return !r.bed || *r.bed == bed_id; };

  time_ms monitored = 0;
  for (const auto& s : sessions) {
    if (!wanted(s.bed_id)) continue;
    const auto ms = w.overlap(s.started_ms, s.ended_ms != 0 ? s.ended_ms : until_ms);
    if (ms == 0) continue;
    monitored += ms;
    ++r.sessions;
  }
  r.bed_hours = static_cast<double>(monitored) / 3'600'000.0;

  std::map<std::string, episode> alarms;  // by alarm_id
  std::map<std::pair<std::string, int>, group> cells;
  for (const auto& e : history) {
    if (!wanted(e.bed_id) || e.at_ms >= until_ms) continue;
    if (is_notice(e)) {
      if (w.holds(e.at_ms)) ++cells[{e.condition, descending(e.priority)}].notices;
      continue;
    }
    apply(alarms[e.alarm_id], e, w);
  }

  for (const auto& [id, a] : alarms) {
    if (!a.raised_in_window && a.escalations.empty() && in_alarm_ms(a, w) == 0) continue;
    cells[{a.condition, descending(a.highest)}].alarms.push_back(&a);
  }

  std::map<std::string, group> by_condition;
  std::map<int, group> by_priority;
  group all;
  for (const auto& [key, g] : cells) {
    for (auto* into : {&by_condition[key.first], &by_priority[key.second], &all}) {
      into->alarms.insert(into->alarms.end(), g.alarms.begin(), g.alarms.end());
      into->notices += g.notices;
    }
    r.cells.push_back({key.first, from_descending(key.second), figures_of(g, r.bed_hours, w)});
  }
  for (const auto& [condition, g] : by_condition)
    r.by_condition.push_back(
        {condition, core::priority::unspecified, figures_of(g, r.bed_hours, w)});
  for (const auto& [key, g] : by_priority)
    r.by_priority.push_back({"", from_descending(key), figures_of(g, r.bed_hours, w)});
  r.total = figures_of(all, r.bed_hours, w);
  return r;
}

}  // namespace vigil::record
