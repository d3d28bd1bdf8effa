// Issue 6, floods and abuse. A ward of 200 well-behaved beds and one device flooding vigild
// with thousands of messages a second (valid readings far too fast, NIBP flapping across the
// alarm limit, garbage, payloads over 64 KiB, hostile bed ids, acks for another bed's alarm,
// out-of-order infusion events): the other beds' alarms must still arrive within 1 s, and the
// counters must say what was dropped. Prints the figures: latencies before and during the
// flood, the flood's rate, drops by reason. VIGIL_FLOOD_RATE=N aims the flooder at N msg/s
// instead of 5,000 (the test broker logs every message, which caps it at a few thousand here).
//
// Also the abuse that needs no flood: an ack on one bed's topic naming another bed's alarm,
// and infusion events out of order, through the live daemon.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <regex>

#include "child_process.hpp"
#include "feed/ingest.hpp"
#include "live_fixture.hpp"
#include "temp_dir.hpp"
#include "ward_publisher.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;
using core::transition;

// vigild's exit log: every "ingest NAME: N" and "engine dropped NAME: N" by NAME, and
// "received"/"published" from "mqtt: N received, M published".
std::map<std::string, std::uint64_t> exit_counters(const std::string& log) {
  std::map<std::string, std::uint64_t> counters;
  static const std::regex line(R"((ingest|engine dropped) (\w+): (\d+))");
  for (auto it = std::sregex_iterator(log.begin(), log.end(), line); it != std::sregex_iterator();
       ++it) {
    counters[(*it)[2]] = std::stoull((*it)[3]);
  }
  static const std::regex mqtt(R"(mqtt: (\d+) received.*?(\d+) published)");
  if (std::smatch m; std::regex_search(log, m, mqtt)) {
    counters["received"] = std::stoull(m[1]);
    counters["published"] = std::stoull(m[2]);
  }
  return counters;
}

struct percentiles {
  std::int64_t p50 = 0, p99 = 0, max = 0;
  std::size_t n = 0;
};
percentiles summarise(std::vector<std::int64_t> v) {
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  const auto rank = [&](double p) {  // nearest rank
    return v[static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1];
  };
  return {rank(0.50), rank(0.99), v.back(), v.size()};
}
void print(const char* what, const percentiles& p) {
  std::printf("%-36s n=%3zu  p50 %4lld ms  p99 %4lld ms  max %4lld ms\n", what, p.n,
              static_cast<long long>(p.p50), static_cast<long long>(p.p99),
              static_cast<long long>(p.max));
}

class flood_test : public live_test {
 protected:
  static constexpr int beds = 200;
  static constexpr auto persistence = 2s;
  // The ward's schedule: warm-up, probes without the flood, then probes during it.
  static constexpr auto quiet_from = 3s, flood_starts = 12s, flood_from = 14s, probes_end = 30s;
  static constexpr auto flood_for = 20s, ward_for = 33s;
  static constexpr const char* flooder_bed = "flooder";

  static int flood_rate() {
    const char* env = std::getenv("VIGIL_FLOOD_RATE");
    return env ? std::atoi(env) : 5000;
  }
  // Probes every `every` in [from, to), on distinct beds taken from `next_bed` on.
  static void add_probes(std::vector<ward_probe>& probes, ward_probe::kind what,
                         std::chrono::milliseconds from, std::chrono::milliseconds to,
                         std::chrono::milliseconds every, int& next_bed) {
    for (auto at = from; at < to; at += every) {
      probes.push_back({what, (next_bed++ * 7) % beds, at});  // 7 and 200 coprime: distinct
    }
  }

  struct latencies {
    std::vector<std::int64_t> nibp_quiet, nibp_flood, hr_quiet, hr_flood, hr_after_persistence;
  };
  // Waits for every probe's alarm and checks it came within 1 s of the reading that raised it.
  latencies probe_latencies(const std::vector<ward_probe>& probes, const ward_publisher& ward) {
    latencies l;
    for (const auto& p : probes) {
      const auto bed = ward.bed_id(p.bed);
      const bool hr = p.what == ward_probe::kind::hr;
      const auto e = client_->wait_event(
          [&](const timed_event& t) {
            return t.event.bed_id == bed && t.event.transition == transition::raised &&
                   t.event.condition == (hr ? "HR_HIGH" : "SBP_HIGH");
          },
          5s);
      EXPECT_TRUE(e) << "no alarm for the probe on " << bed << " at " << p.at.count() << " ms";
      if (!e) continue;
      const auto sent = ward.sent_at(bed, e->event.value.value_or(0));
      EXPECT_TRUE(sent) << bed << " raised on a value no probe sent";
      if (!sent) continue;
      const auto latency = e->received_at_ms - *sent;
      const bool flooding = p.at >= flood_from;
      EXPECT_LT(latency, 1000) << bed << (flooding ? " during the flood" : " before the flood");
      if (!hr) {
        (flooding ? l.nibp_flood : l.nibp_quiet).push_back(latency);
        continue;
      }
      // Raised by the reading that completes the persistence, or by the next one when that
      // reached vigild a millisecond short of it (receive times decide).
      const auto readings_before = *e->event.value - ward_publisher::first_probe_bpm;
      EXPECT_LE(readings_before, static_cast<double>(persistence.count() + 1)) << bed;
      (flooding ? l.hr_flood : l.hr_quiet).push_back(latency);
      l.hr_after_persistence.push_back(e->received_at_ms - *ward.probe_started_at(bed) -
                                       std::chrono::milliseconds(persistence).count());
    }
    return l;
  }
};

TEST_F(flood_test, well_behaved_beds_alarms_arrive_within_a_second_while_one_device_floods) {
  start_vigild("[alarms]\ncontinuous_persistence_s = " + std::to_string(persistence.count()) +
               "\n");
  std::vector<ward_probe> probes;
  int next_bed = 0;
  using kind = ward_probe::kind;
  add_probes(probes, kind::nibp, quiet_from, flood_starts, 400ms, next_bed);
  add_probes(probes, kind::hr, quiet_from, flood_starts - 4s, 1000ms, next_bed);
  add_probes(probes, kind::nibp, flood_from, probes_end, 400ms, next_bed);
  add_probes(probes, kind::hr, flood_from, probes_end - 4s, 1000ms, next_bed);
  ward_publisher ward({.broker_uri = broker_.uri(),
                       .prefix = prefix,
                       .beds = beds,
                       .duration = ward_for,
                       .hr_readings = 5,
                       .probes = probes});
  // An alarm the flooder's acks name; it is raised during the flood and must stay unacked.
  const auto victim_alarm = ward.bed_id(probes.back().bed) + ":HR_HIGH:1";

  const auto t0 = std::chrono::steady_clock::now();
  ward.start();
  std::this_thread::sleep_until(t0 + flood_starts);
  temp_dir dir;
  child_process flooder(
      {VIGIL_TEST_FLOODER_PATH, broker_.uri(), prefix, flooder_bed, std::to_string(flood_rate()),
       std::to_string(flood_for.count()), victim_alarm},
      (dir.path() / "flooder.log").string());
  ward.join();
  EXPECT_EQ(flooder.wait_exit(15s), 0) << dir.read("flooder.log");

  const auto l = probe_latencies(probes, ward);
  std::size_t flooder_events = 0;
  for (const auto& e : client_->events()) {
    EXPECT_NE(e.event.transition, transition::acknowledged) << e.event.alarm_id;
    if (e.event.bed_id == flooder_bed) ++flooder_events;
  }

  ASSERT_EQ(vigild_->stop(), 0);
  auto counters = exit_counters(vigild_->log());
  const std::string flooder_out = dir.read("flooder.log");
  std::smatch published;
  ASSERT_TRUE(
      std::regex_search(flooder_out, published, std::regex(R"(published (\d+) in ([\d.]+) s)")))
      << flooder_out;
  const double flood_s = std::stod(published[2]);
  const auto flood_received = counters["received"] - ward.published();

  std::printf("---- flood test figures (%d beds at 1 Hz, persistence %lld s) ----\n", beds,
              static_cast<long long>(persistence.count()));
  print("SBP_HIGH latency, no flood", summarise(l.nibp_quiet));
  print("SBP_HIGH latency, during the flood", summarise(l.nibp_flood));
  print("HR_HIGH latency, no flood", summarise(l.hr_quiet));
  print("HR_HIGH latency, during the flood", summarise(l.hr_flood));
  print("HR_HIGH, from first reading + P", summarise(l.hr_after_persistence));
  std::printf("flooder: published %s in %.2f s (%.0f msg/s, aimed at %d)\n",
              published[1].str().c_str(), flood_s, std::stod(published[1]) / flood_s, flood_rate());
  std::printf(
      "vigild received %llu flood messages (%.0f msg/s) and %llu from the ward (late by "
      "at most %lld ms); published %llu, %zu of them the flooder bed's alarm events\n",
      static_cast<unsigned long long>(flood_received),
      static_cast<double>(flood_received) / flood_s,
      static_cast<unsigned long long>(ward.published()), static_cast<long long>(ward.max_late_ms()),
      static_cast<unsigned long long>(counters["published"]), flooder_events);
  for (const auto& [name, n] : counters) {
    std::printf("  %-28s %llu\n", name.c_str(), static_cast<unsigned long long>(n));
  }
  std::printf("%s", flooder_out.c_str());

  // The flood must have happened: thousands a second at full rate, nearly the aimed rate when
  // a sanitizer run aims lower.
  EXPECT_GE(static_cast<double>(flood_received) / flood_s, std::min(1000.0, 0.9 * flood_rate()))
      << "the flood did not reach the rate it aimed at";
  for (const char* reason : {"rate_limited", "oversized", "bad_bed_id", "undecodable_heart_rate",
                             "missing_device_id", "ack_rejected", "infusion_out_of_order"}) {
    EXPECT_GT(counters[reason], 0u) << reason << " not counted";
  }
  // Each accepted NIBP is at most one transition: the limit bounds what one bed makes vigild
  // publish to every dashboard (without it: one event per flapping reading).
  const feed::rate_limit limit;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(flood_for).count();
  EXPECT_LE(flooder_events,
            static_cast<std::size_t>(limit.burst + limit.per_second * (seconds + 2)));
  EXPECT_EQ(ward.refused(), 0u);
}

TEST_F(live_test, ack_naming_another_beds_alarm_and_out_of_order_infusion_change_nothing) {
  start_vigild();
  client_->watch_state();
  start_infusion("bed-a", "s1");
  client_->send("bed-a", nibp(186, 95));
  const auto raised = client_->wait_event(condition_is("SBP_HIGH"), 5s);
  ASSERT_TRUE(raised);
  const auto alarm_id = raised->event.alarm_id;

  // bed-b's dashboard (or a forger on its topic) acks bed-a's alarm: rejected.
  client_->send("bed-b", core::alarm_ack{alarm_id, "nurse-b", wall_ms()});
  // Out of order: STARTED during bed-a's infusion, and the rest while bed-b is idle.
  client_->send("bed-a", infusion(core::infusion_kind::started, "s2"));
  for (auto k :
       {core::infusion_kind::stopped, core::infusion_kind::paused, core::infusion_kind::resumed}) {
    client_->send("bed-b", infusion(k, "s3"));
  }
  // The right ack last: inputs are handled in order, so when it lands the rest were handled.
  client_->send("bed-a", core::alarm_ack{alarm_id, "nurse-a", wall_ms()});
  const auto acked =
      client_->wait_event(condition_and_transition("SBP_HIGH", transition::acknowledged), 5s);
  ASSERT_TRUE(acked);
  EXPECT_EQ(acked->event.acknowledged_by, "nurse-a");
  EXPECT_EQ(acked->event.session_id, "s1");
  for (const auto& e : client_->events()) EXPECT_NE(e.event.bed_id, "bed-b");
  const auto a = client_->latest_session("bed-a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->phase, core::phase::infusion);
  EXPECT_EQ(a->session_id, "s1");
  const auto b = client_->latest_session("bed-b");
  EXPECT_TRUE(!b || b->phase == core::phase::idle);

  ASSERT_EQ(vigild_->stop(), 0);
  auto counters = exit_counters(vigild_->log());
  EXPECT_EQ(counters["ack_rejected"], 1u);
  EXPECT_EQ(counters["infusion_out_of_order"], 4u);
}

}  // namespace
}  // namespace vigil::test
