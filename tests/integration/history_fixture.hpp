// What the record's live tests share (issue 14, "Alarm history"): a real vigild and mosquitto
// (live_test), a history_client on the test's MQTT client, and a bed whose alarms are raised,
// acknowledged and ended through the contract as a ward would.
#pragma once

#include <algorithm>
#include <map>
#include <set>

#include "history_client.hpp"
#include "live_fixture.hpp"

namespace vigil::test {

class history_live_test : public live_test {
 protected:
  // vigild on `state_dir` (its private one by default), ONLINE, and the history client.
  void start(const std::string& state_dir = "@DIR@") {
    launch_vigild("", state_dir);
    connect_client();
    ASSERT_TRUE(client_->wait_online(instance)) << vigild_->log();
    history_ = std::make_unique<history_client>(*mqtt_, prefix);
  }
  // vigild again on `state_dir` after a stop or a kill, ONLINE.
  void restart(const std::string& state_dir) {
    const auto restarted_at = wall_ms();
    launch_vigild("", state_dir);
    ASSERT_TRUE(client_->wait_online(instance, std::chrono::seconds(10), restarted_at))
        << vigild_->log();
  }

  static core::infusion_event started(const std::string& bed, const std::string& session) {
    auto e = infusion(core::infusion_kind::started, session, 40);
    e.patient_id = "MRN-" + bed;
    e.encounter_id = "ENC-" + session;
    return e;
  }

  // On `bed`: a baseline NIBP of 120/80, STARTED (with patient and encounter), NIBP 186/95
  // (SBP_HIGH, HIGH, and the rise over the baseline), SBP_HIGH acknowledged by nurse-1, NIBP
  // 120/80: returns once every alarm the bed raised has ENDED.
  void raise_and_end(const std::string& bed, const std::string& session) {
    using core::transition;
    client_->send(bed, nibp(120, 80));
    client_->send(bed, started(bed, session));
    client_->send(bed, nibp(186, 95));
    const auto high = client_->wait_event(
        [&](const timed_event& e) {
          return e.event.bed_id == bed && e.event.condition == "SBP_HIGH" &&
                 e.event.transition == transition::raised;
        },
        std::chrono::seconds(5));
    ASSERT_TRUE(high) << vigild_->log();
    client_->send(bed, core::alarm_ack{high->event.alarm_id, "nurse-1", wall_ms()});
    ASSERT_TRUE(client_->wait_event(
        [&](const timed_event& e) {
          return e.event.alarm_id == high->event.alarm_id &&
                 e.event.transition == transition::acknowledged;
        },
        std::chrono::seconds(5)))
        << vigild_->log();
    // Every event of the NIBP 186/95 came before the acknowledgement's: the set is complete.
    client_->send(bed, nibp(120, 80));
    ASSERT_TRUE(client_->mqtt().wait_until(
        [&](const std::vector<received_message>&) {
          std::map<std::string, bool> ended;
          for (const auto& e : live(bed)) {
            ended[e.alarm_id] = ended[e.alarm_id] || e.transition == transition::ended;
          }
          return ended.size() >= 2 &&
                 std::all_of(ended.begin(), ended.end(), [](const auto& kv) { return kv.second; });
        },
        std::chrono::seconds(5)))
        << vigild_->log();
  }

  // The events the test received for `bed` (all beds: ""), each once (an escalation comes on
  // two topics), in the history's order: time, bed, event_seq.
  std::vector<core::alarm_event> live(const std::string& bed = "") const {
    std::set<std::pair<std::string, std::uint64_t>> seen;
    std::vector<core::alarm_event> out;
    for (const auto& e : client_->events()) {
      if ((bed.empty() || e.event.bed_id == bed) &&
          seen.emplace(e.event.bed_id, e.event.event_seq).second) {
        out.push_back(e.event);
      }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.at_ms, a.bed_id, a.event_seq) < std::tie(b.at_ms, b.bed_id, b.event_seq);
    });
    return out;
  }
  // Asks until the answer satisfies `done` (rows of a change that published nothing, such as a
  // quiet reading's trend, are committed up to a second later) or the deadline passes; the
  // last answer.
  template <class Done>
  std::optional<codec::history_response> ask_until(const codec::history_request& r, Done done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    auto answer = history_->ask(r);
    while (answer && !done(*answer) && std::chrono::steady_clock::now() < deadline) {
      answer = history_->ask(r);
    }
    return answer;
  }
  template <class Keep>
  static std::vector<core::alarm_event> only(std::vector<core::alarm_event> v, Keep keep) {
    std::erase_if(v, [&](const core::alarm_event& e) { return !keep(e); });
    return v;
  }

  std::unique_ptr<history_client> history_;
};

}  // namespace vigil::test
