// alarms.md sections 7 and 8 through a real broker and a real vigild: acknowledge, remind,
// escalate (also on {prefix}/escalations), and a kill -9 in the middle of all of it.
// Timers are shortened through the configuration; the engine stamps deadline transitions with
// the deadline itself, so their spacing is asserted to the millisecond.
#include <algorithm>
#include <map>
#include <set>

#include "live_fixture.hpp"
#include "temp_dir.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;
using core::transition;

std::string escalation_config(int ack_silence_s, int medium_s, int high_s, int max_level) {
  return "[escalation]\nack_silence_s = " + std::to_string(ack_silence_s) +
         "\nescalate_medium_s = " + std::to_string(medium_s) +
         "\nescalate_high_s = " + std::to_string(high_s) +
         "\nmax_level = " + std::to_string(max_level) + "\n";
}

auto event_of(std::string bed, transition t, std::uint32_t level = 0) {
  return [bed = std::move(bed), t, level](const timed_event& e) {
    return e.event.bed_id == bed && e.event.transition == t && e.event.escalation_level == level &&
           e.topic.ends_with("/alarms/events");
  };
}

// Every bed's event_seq must run 1, 2, 3 ... with no gap, and a number is never given to two
// different events. Delivery is at least once: after a kill -9, an event the broker had
// acknowledged just before may come again, as itself (same number, alarm, transition, time),
// which a consumer drops by its event_seq.
void expect_contiguous_sequences(const std::vector<timed_event>& events) {
  std::map<std::string, std::map<std::uint64_t, core::alarm_event>> seqs;
  for (const auto& e : events) {
    if (!e.topic.ends_with("/alarms/events")) continue;
    const auto [it, fresh] = seqs[e.event.bed_id].try_emplace(e.event.event_seq, e.event);
    if (!fresh) {
      const auto& first = it->second;
      EXPECT_TRUE(first.alarm_id == e.event.alarm_id && first.transition == e.event.transition &&
                  first.at_ms == e.event.at_ms)
          << "bed " << e.event.bed_id << ": event_seq " << e.event.event_seq
          << " given to two different events";
    }
  }
  for (const auto& [bed, s] : seqs) {
    std::uint64_t expected = 1;
    for (const auto& [seq, e] : s) EXPECT_EQ(seq, expected++) << "bed " << bed << ": event_seq gap";
  }
}

TEST_F(live_test, ack_then_reminder_then_escalation_up_to_the_cap_and_on_the_escalations_topic) {
  start_vigild(escalation_config(2, 2, 1, 2));
  const std::string bed = "nurse-path";
  client_->send(bed, nibp(165, 80));  // SBP_HIGH MEDIUM at once (NIBP has no delay)
  const auto raised = client_->wait_event(event_of(bed, transition::raised), 5s);
  ASSERT_TRUE(raised) << vigild_->log();
  EXPECT_EQ(raised->event.priority, core::priority::medium);
  const std::string id = raised->event.alarm_id;

  const auto esc1 = client_->wait_event(event_of(bed, transition::escalated, 1), 5s);
  ASSERT_TRUE(esc1) << vigild_->log();
  EXPECT_EQ(esc1->event.priority, core::priority::high);
  EXPECT_EQ(esc1->event.at_ms - raised->event.at_ms, 2'000);
  const auto on_pager = client_->wait_event(
      [&](const timed_event& e) {
        return e.topic == "clinic/escalations" && e.event.alarm_id == id &&
               e.event.escalation_level == 1;
      },
      2s);
  ASSERT_TRUE(on_pager) << "ESCALATED not on clinic/escalations";

  client_->send(bed, core::alarm_ack{id, "nurse.kim", wall_ms()});
  const auto acked = client_->wait_event(event_of(bed, transition::acknowledged, 1), 5s);
  ASSERT_TRUE(acked) << vigild_->log();
  EXPECT_EQ(acked->event.acknowledged_by, "nurse.kim");
  EXPECT_EQ(acked->event.state, core::alarm_state::acknowledged);

  const auto reminded = client_->wait_event(event_of(bed, transition::reminded, 1), 5s);
  ASSERT_TRUE(reminded) << vigild_->log();
  EXPECT_EQ(reminded->event.at_ms - acked->event.at_ms, 2'000);
  EXPECT_EQ(reminded->event.state, core::alarm_state::active);

  const auto esc2 = client_->wait_event(event_of(bed, transition::escalated, 2), 5s);
  ASSERT_TRUE(esc2) << vigild_->log();
  EXPECT_EQ(esc2->event.at_ms - reminded->event.at_ms, 1'000);  // HIGH: escalate_high_s

  // At the cap (2) the alarm stays HIGH and quiet: a level-3 escalation would be due 1 s later.
  EXPECT_FALSE(client_->wait_event(event_of(bed, transition::escalated, 3), 2500ms));
  expect_contiguous_sequences(client_->events());
}

TEST_F(live_test,
       kill_9_with_alarms_escalating_acknowledged_and_latched_loses_and_repeats_nothing) {
  temp_dir state;
  const std::string cfg = escalation_config(8, 8, 60, 3);
  launch_vigild(cfg, state.path().string());
  connect_client();
  ASSERT_TRUE(client_->wait_online(instance)) << vigild_->log();

  client_->send("esc", nibp(165, 80));  // ACTIVE MEDIUM, escalates 8 s after RAISED
  client_->send("ack", nibp(165, 80));  // acknowledged below, reminded 8 s after the ack
  client_->send("lat", nibp(190, 80));  // HIGH ...
  const auto esc_raised = client_->wait_event(event_of("esc", transition::raised), 5s);
  const auto ack_raised = client_->wait_event(event_of("ack", transition::raised), 5s);
  ASSERT_TRUE(esc_raised && ack_raised) << vigild_->log();
  ASSERT_TRUE(client_->wait_event(event_of("lat", transition::raised), 5s));
  client_->send("lat", nibp(130, 80));  // ... back in range, never acknowledged: LATCHED
  ASSERT_TRUE(client_->wait_event(event_of("lat", transition::latched), 5s)) << vigild_->log();
  client_->send("ack", core::alarm_ack{ack_raised->event.alarm_id, "nurse.ana", wall_ms()});
  const auto acked = client_->wait_event(event_of("ack", transition::acknowledged), 5s);
  ASSERT_TRUE(acked) << vigild_->log();

  vigild_->kill();
  const auto restarted_at = wall_ms();
  launch_vigild(cfg, state.path().string());
  ASSERT_TRUE(client_->wait_online(instance, 10s, restarted_at)) << vigild_->log();
  ASSERT_LT(wall_ms(), esc_raised->event.at_ms + 8'000) << "restart too slow for this test";

  // The pending escalation and reminder fire at their original times.
  const auto esc = client_->wait_event(event_of("esc", transition::escalated, 1), 12s);
  ASSERT_TRUE(esc) << vigild_->log();
  EXPECT_EQ(esc->event.alarm_id, esc_raised->event.alarm_id);
  EXPECT_EQ(esc->event.at_ms - esc_raised->event.at_ms, 8'000);
  const auto reminded = client_->wait_event(event_of("ack", transition::reminded), 12s);
  ASSERT_TRUE(reminded) << vigild_->log();
  EXPECT_EQ(reminded->event.alarm_id, ack_raised->event.alarm_id);
  EXPECT_EQ(reminded->event.at_ms - acked->event.at_ms, 8'000);

  // The latched alarm waited through the crash for its acknowledgement.
  const std::string latched_id = "lat:SBP_HIGH:1";
  client_->send("lat", core::alarm_ack{latched_id, "nurse.ana", wall_ms()});
  const auto ended = client_->wait_event(event_of("lat", transition::ended), 5s);
  ASSERT_TRUE(ended) << vigild_->log();
  EXPECT_EQ(ended->event.alarm_id, latched_id);
  // Ids are never reused: the next episode is number 2.
  client_->send("lat", nibp(186, 80));
  const auto again = client_->wait_event(
      [](const timed_event& e) { return e.event.alarm_id == "lat:SBP_HIGH:2"; }, 5s);
  ASSERT_TRUE(again) << vigild_->log();

  // Nothing raised twice, nothing lost, nothing repeated.
  const auto events = client_->events();
  std::set<std::string> raised_ids;
  for (const auto& e : events) {
    if (e.topic.ends_with("/alarms/events") && e.event.transition == transition::raised) {
      EXPECT_TRUE(raised_ids.insert(e.event.alarm_id).second) << e.event.alarm_id << " twice";
    }
  }
  expect_contiguous_sequences(events);
}

}  // namespace
}  // namespace vigil::test
