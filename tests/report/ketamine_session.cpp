#include "ketamine_session.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace vigil::test {

namespace {

using record::series;

// The infusion's effect: 0 far from minute 40, 1 at it.
double bump(double minute, double width) {
  const double d = (minute - 40.0) / width;
  return std::exp(-d * d);
}

void nibp(record::session_record& r, int minute) {
  const core::time_ms t = at(minute, 20);
  const double m = minute + 20.0 / 60.0;
  const double sys = std::round(128 + 58 * bump(m, 14));
  const double dia = std::round(78 + 18 * bump(m, 14));
  const double map = std::round((sys + 2 * dia) / 3);
  for (auto [s, v] :
       {std::pair{series::nibp_sys, sys}, {series::nibp_dia, dia}, {series::nibp_mean, map}})
    r.trend.push_back({.at_ms = t, .series = s, .n = 1, .lo = v, .mean = v, .hi = v});
}

core::alarm_event event(std::uint64_t seq, std::string_view condition, int episode,
                        core::alarm_kind kind, core::priority p, core::alarm_state state,
                        core::transition tr, core::time_ms onset, core::time_ms at_ms,
                        std::string text) {
  return {.alarm_id = "bed-07:" + std::string(condition) + ":" + std::to_string(episode),
          .event_seq = seq,
          .bed_id = "bed-07",
          .session_id = "s-20250311-0900",
          .condition = std::string(condition),
          .kind = kind,
          .priority = p,
          .state = state,
          .transition = tr,
          .value = std::nullopt,
          .limit = std::nullopt,
          .unit = kind == core::alarm_kind::physiological ? "mm[Hg]" : "",
          .onset_ms = onset,
          .at_ms = at_ms,
          .phase = at_ms < at(41, 30) ? core::phase::infusion : core::phase::recovery,
          .infusion_elapsed_ms = at_ms - ketamine_start_ms,
          .escalation_level = 0,
          .acknowledged_by = {},
          .text = std::move(text)};
}

}  // namespace

record::session_record ketamine_session() {
  record::session_record r;
  r.info = {.bed_id = "bed-07",
            .session_id = "s-20250311-0900",
            .patient_id = {},
            .encounter_id = {},
            .drug = "ketamine",
            .dose_mg_per_kg = 0.5,
            .planned_minutes = 40,
            .started_ms = ketamine_start_ms,
            .stopped_ms = at(41, 30),
            .ended_ms = at(100),
            .baseline_systolic_mmhg = 128,
            .baseline_diastolic_mmhg = 78};
  r.until_ms = at(100);
  r.generator = "vigil-replay 0.3.0";

  // HR buckets, every 10 s but for the signal loss; NIBP readings at :20 of their minute.
  std::vector<int> nibp_minutes;
  for (int m = 0; m <= 100; m += 5) nibp_minutes.push_back(m);
  for (int m : {33, 36, 38, 42, 44, 47, 53}) nibp_minutes.push_back(m);
  std::sort(nibp_minutes.begin(), nibp_minutes.end());
  std::size_t next_nibp = 0;
  for (int b = 0; b < 600; ++b) {
    const core::time_ms t = ketamine_start_ms + b * record::trend_bucket_ms;
    const double m = static_cast<double>(b) / 6.0;
    if (next_nibp < nibp_minutes.size() && at(nibp_minutes[next_nibp], 20) <= t)
      nibp(r, nibp_minutes[next_nibp++]);
    if (t >= at(61, 30) && t < at(62, 40)) continue;
    const double mean = std::clamp(
        std::round((70 + 25 * bump(m, 18) + 1.5 * std::sin(m * 1.3)) * 10) / 10, 70.0, 95.0);
    r.trend.push_back({.at_ms = t,
                       .series = series::hr,
                       .n = 10,
                       .lo = mean - 2 - (b % 3),
                       .mean = mean,
                       .hi = mean + 2 + (b % 2)});
  }
  while (next_nibp < nibp_minutes.size()) nibp(r, nibp_minutes[next_nibp++]);

  using K = core::alarm_kind;
  using P = core::priority;
  using S = core::alarm_state;
  using T = core::transition;
  const auto phys = K::physiological;
  auto& e = r.events;
  e.push_back(event(11, "SBP_HIGH", 1, phys, P::medium, S::active, T::raised, at(30, 20),
                    at(30, 20), "SBP 164 mmHg \u2265 160 at 30:20 into infusion"));
  e.push_back(event(12, "SBP_RISE", 1, phys, P::medium, S::active, T::raised, at(33, 20),
                    at(33, 20), "SBP rise 46 mmHg \u2265 40 over baseline at 33:20 into infusion"));
  e.push_back(event(13, "SBP_RISE", 1, phys, P::medium, S::acknowledged, T::acknowledged,
                    at(33, 20), at(34, 10),
                    "SBP rise 46 mmHg \u2265 40; acknowledged by nurse Ben at 34:10"));
  e.back().acknowledged_by = "nurse Ben";
  e.push_back(event(14, "SBP_HIGH", 1, phys, P::high, S::active, T::escalated, at(30, 20),
                    at(36, 20), "SBP 182 mmHg \u2265 180 at 36:20 into infusion"));
  e.push_back(event(15, "SBP_HIGH", 1, phys, P::high, S::acknowledged, T::acknowledged, at(30, 20),
                    at(37, 5), "SBP 182 mmHg \u2265 180; acknowledged by nurse Ada at 37:05"));
  e.back().acknowledged_by = "nurse Ada";
  e.push_back(event(16, "PLANNED_DURATION_REACHED", 1, K::notice, P::low, S::ended, T::notice,
                    at(40), at(40), "Planned 40 min reached at 40:00 into infusion"));
  e.push_back(event(17, "SBP_RISE", 1, phys, P::medium, S::ended, T::ended, at(33, 20), at(50, 20),
                    "SBP rise ended at 50:20"));
  e.back().acknowledged_by = "nurse Ben";
  e.push_back(event(18, "SBP_HIGH", 1, phys, P::high, S::ended, T::ended, at(30, 20), at(55, 20),
                    "SBP_HIGH ended at 55:20"));
  e.back().acknowledged_by = "nurse Ada";
  e.push_back(event(19, "HR_SIGNAL_LOST", 1, K::technical, P::medium, S::active, T::raised, at(62),
                    at(62), "No valid HR for 30 s at 62:00 into recovery"));
  e.push_back(event(20, "HR_SIGNAL_LOST", 1, K::technical, P::medium, S::ended, T::ended, at(62),
                    at(62, 40), "HR signal back at 62:40"));

  r.limits = {{series::hr, "HR_HIGH", 120},        {series::hr, "HR_LOW", 50},
              {series::nibp_sys, "SBP_HIGH", 160}, {series::nibp_sys, "SBP_HIGH", 180},
              {series::nibp_sys, "SBP_LOW", 90},   {series::nibp_dia, "DBP_HIGH", 100}};
  return r;
}

record::session_record referenced_arterial_session() {
  auto r = ketamine_session();
  r.info.patient_id = "MRN-000123";
  r.info.encounter_id = "ENC-42";
  std::vector<record::trend_point> art;
  for (int b = 0; b < 12; ++b) {
    const core::time_ms t = at(30) + b * record::trend_bucket_ms;
    const double sys = 160 + b, dia = 88 + b / 2.0;
    art.push_back({.at_ms = t,
                   .series = series::art_sys,
                   .n = 50,
                   .lo = sys - 4,
                   .mean = sys,
                   .hi = sys + 5});
    art.push_back({.at_ms = t,
                   .series = series::art_dia,
                   .n = 50,
                   .lo = dia - 3,
                   .mean = dia,
                   .hi = dia + 2});
    art.push_back(
        {.at_ms = t, .series = series::art_mean, .n = 50, .lo = 110, .mean = 112, .hi = 115});
  }
  art.push_back(
      {.at_ms = at(32), .series = series::art_sys, .n = 3, .lo = 170, .mean = 171.26, .hi = 173});
  r.trend.insert(r.trend.end(), art.begin(), art.end());
  std::stable_sort(r.trend.begin(), r.trend.end(),
                   [](const auto& a, const auto& b) { return a.at_ms < b.at_ms; });
  return r;
}

}  // namespace vigil::test
