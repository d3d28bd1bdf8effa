#include "record/summary.hpp"

#include <algorithm>
#include <map>

namespace vigil::record {

namespace {

constexpr core::time_ms ms_per_minute = 60'000;

// Keeps the higher reading; on a tie the earlier one (the trend is by time).
void consider(std::optional<bp_peak>& peak, double mmhg, core::time_ms at_ms, series source) {
  if (peak && peak->mmhg >= mmhg) return;
  peak = bp_peak{.mmhg = mmhg, .at_ms = at_ms, .minute = 0, .source = source};
}

void fill_peaks(const session_record& r, summary& s) {
  for (const auto& p : r.trend) {
    switch (p.series) {
      case series::nibp_sys:
      case series::art_sys: consider(s.peak_systolic, p.hi, p.at_ms, p.series); break;
      case series::nibp_dia:
      case series::art_dia: consider(s.peak_diastolic, p.hi, p.at_ms, p.series); break;
      default: break;
    }
  }
  for (auto* peak : {&s.peak_systolic, &s.peak_diastolic})
    if (*peak) (*peak)->minute = minute_of(r.info, (*peak)->at_ms);
}

// One row per alarm_id, in the order the alarms first appear among the events.
std::vector<alarm_row> alarm_rows(const std::vector<core::alarm_event>& events) {
  std::vector<alarm_row> rows;
  std::map<std::string, std::size_t> index;
  std::vector<bool> has_raised;
  for (const auto& e : events) {
    if (e.kind == core::alarm_kind::notice) continue;
    auto [it, added] = index.try_emplace(e.alarm_id, rows.size());
    if (added) {
      rows.push_back(alarm_row{.alarm_id = e.alarm_id,
                               .condition = e.condition,
                               .kind = e.kind,
                               .priority = e.priority,
                               .raised_ms = e.onset_ms,
                               .text = e.text,
                               .acknowledged_by = {},
                               .acknowledged_ms = std::nullopt,
                               .ended_ms = std::nullopt,
                               .escalation_level = e.escalation_level});
      has_raised.push_back(false);
    }
    auto& row = rows[it->second];
    row.priority = std::max(row.priority, e.priority);
    row.escalation_level = std::max(row.escalation_level, e.escalation_level);
    switch (e.transition) {
      case core::transition::raised:
        if (!has_raised[it->second]) row.text = e.text;
        has_raised[it->second] = true;
        row.raised_ms = e.onset_ms;
        break;
      case core::transition::acknowledged:
        if (!row.acknowledged_ms) {
          row.acknowledged_ms = e.at_ms;
          row.acknowledged_by = e.acknowledged_by;
        }
        break;
      case core::transition::ended: row.ended_ms = e.at_ms; break;
      default: break;
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const alarm_row& a, const alarm_row& b) {
    return a.raised_ms < b.raised_ms;
  });
  return rows;
}

}  // namespace

std::int64_t minute_of(const session_info& info, core::time_ms at_ms) {
  const core::time_ms d = at_ms - info.started_ms;
  return d >= 0 ? d / ms_per_minute : -((-d + ms_per_minute - 1) / ms_per_minute);
}

std::string_view priority_name(core::priority p) {
  switch (p) {
    case core::priority::high: return "HIGH";
    case core::priority::medium: return "MEDIUM";
    case core::priority::low: return "LOW";
    case core::priority::unspecified: break;
  }
  return "-";
}

summary summarize(const session_record& r) {
  summary s;
  s.planned_minutes = r.info.planned_minutes;
  if (r.info.stopped_ms != 0)
    s.actual_minutes = static_cast<double>(r.info.stopped_ms - r.info.started_ms) /
                       static_cast<double>(ms_per_minute);
  fill_peaks(r, s);
  s.alarms = alarm_rows(r.events);
  for (const auto& e : r.events)
    if (e.kind == core::alarm_kind::notice)
      s.notices.push_back(notice_row{.condition = e.condition, .at_ms = e.at_ms, .text = e.text});

  std::map<std::string, core::time_ms> in_condition;
  for (const auto& a : s.alarms) {
    const core::time_ms begin = std::max(a.raised_ms, r.info.started_ms);
    const core::time_ms end = std::min(a.ended_ms.value_or(r.until_ms), r.until_ms);
    auto& total = in_condition[a.condition];
    if (end < begin) continue;  // wholly outside the record
    total += end - begin;
    s.episodes.push_back(episode{.alarm_id = a.alarm_id,
                                 .condition = a.condition,
                                 .priority = a.priority,
                                 .begin_ms = begin,
                                 .end_ms = end,
                                 .ended = a.ended_ms.has_value() && *a.ended_ms <= r.until_ms});
  }
  for (const auto& [condition, ms] : in_condition)
    s.time_in_condition.push_back(condition_time{.condition = condition, .ms = ms});
  return s;
}

}  // namespace vigil::record
