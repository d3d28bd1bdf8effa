// A manual clock around the engine: each helper hands one input at time t and then fires the
// deadlines <= t, exactly as the live loop and the replay driver do.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/engine.hpp"

namespace vigil::core::testing {

class engine_test : public ::testing::Test {
 protected:
  engine_config cfg;
  std::optional<engine> eng;
  engine_output out;
  std::vector<alarm_event> events;  // everything emitted so far
  std::string bed = "chair-1";

  engine& e() {
    if (!eng) eng.emplace(cfg);
    return *eng;
  }
  // Returns the events this step emitted.
  std::vector<alarm_event> collect(time_ms t) {
    e().advance(t, out);
    std::vector<alarm_event> step = out.events;
    events.insert(events.end(), step.begin(), step.end());
    last_output = out;
    out.clear();
    return step;
  }
  std::vector<alarm_event> hr(time_ms t, double bpm, validity v = validity::valid) {
    e().on_heart_rate(bed, heart_rate{"dev", t, 0, bpm, v}, t, out);
    return collect(t);
  }
  std::vector<alarm_event> bp(time_ms t, double sys, double dia, bp_source src = bp_source::nibp,
                              std::optional<double> mean = std::nullopt) {
    blood_pressure m;
    m.device_id = "dev";
    m.systolic_mmhg = sys;
    m.diastolic_mmhg = dia;
    m.mean_mmhg = mean;
    m.source = src;
    m.validity = validity::valid;
    e().on_blood_pressure(bed, m, t, out);
    return collect(t);
  }
  std::vector<alarm_event> infusion(time_ms t, infusion_kind k, std::uint32_t planned = 45) {
    infusion_event m;
    m.kind = k;
    m.planned_minutes = planned;
    m.session_id = "s1";
    e().on_infusion(bed, m, t, out);
    return collect(t);
  }
  std::vector<alarm_event> start(time_ms t, std::uint32_t planned = 45) {
    return infusion(t, infusion_kind::started, planned);
  }
  std::vector<alarm_event> stop(time_ms t) { return infusion(t, infusion_kind::stopped); }
  std::vector<alarm_event> monitor(time_ms t, monitor_state s, std::uint32_t interval_ms = 0) {
    e().on_monitor_status(bed, monitor_status{"dev", s, t, interval_ms}, t, out);
    return collect(t);
  }
  std::vector<alarm_event> ack(time_ms t, const std::string& id, const std::string& by = "kim") {
    e().on_ack(bed, alarm_ack{id, by, t}, t, out);
    return collect(t);
  }
  std::vector<alarm_event> at(time_ms t) { return collect(t); }
  // HR every second from `from` to `to` inclusive; returns what that emitted.
  std::vector<alarm_event> hr_run(time_ms from, time_ms to, double bpm) {
    std::vector<alarm_event> all;
    for (time_ms t = from; t <= to; t += 1000) {
      auto s = hr(t, bpm);
      all.insert(all.end(), s.begin(), s.end());
    }
    return all;
  }

  static std::vector<alarm_event> of(const std::vector<alarm_event>& evs, std::string_view cond) {
    std::vector<alarm_event> r;
    std::copy_if(evs.begin(), evs.end(), std::back_inserter(r),
                 [&](const alarm_event& x) { return x.condition == cond; });
    return r;
  }
  engine_output last_output;
};

}  // namespace vigil::core::testing
