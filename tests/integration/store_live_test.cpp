// vigild's store against real processes: what is published was committed first, a kill -9
// between a commit and its publish (or while the broker is away) loses nothing, and a database
// vigild cannot trust stops it at start-up.
#include <algorithm>
#include <fstream>
#include <set>

#include "live_fixture.hpp"
#include "store/sqlite_store.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

constexpr int killed = 128 + 9;  // wait_exit() of a process that died of SIGKILL
const std::vector<std::string> kill_after_commit{"VIGILD_TEST_KILL_AFTER_COMMIT=1"};

class store_live_test : public live_test {
 protected:
  store_live_test() : live_test({.persistence = true}) {}

  static store::loaded_state stored(const temp_dir& state) {
    return store::open_sqlite_store(state.path() / "vigil.db", prefix)->load();
  }
  static const core::bed_state* find(const store::loaded_state& s, const std::string& bed) {
    for (const auto& b : s.beds)
      if (b.id == bed) return &b;
    return nullptr;
  }
  // The event_seq of every event received for `bed`, sorted, repeats removed.
  std::vector<std::uint64_t> sequence(const std::string& bed) const {
    std::set<std::uint64_t> seqs;
    for (const auto& e : client_->events())
      if (e.event.bed_id == bed) seqs.insert(e.event.event_seq);
    return {seqs.begin(), seqs.end()};
  }
  static std::vector<std::uint64_t> one_to(std::uint64_t n) {
    std::vector<std::uint64_t> all;
    for (std::uint64_t i = 1; i <= n; ++i) all.push_back(i);
    return all;
  }
};

TEST_F(store_live_test, what_vigild_published_it_had_committed) {
  temp_dir state;
  launch_vigild("", state.path().string());
  connect_client();
  ASSERT_TRUE(client_->wait_online(instance)) << vigild_->log();
  client_->send("bed-loud", nibp(186, 95));
  ASSERT_TRUE(client_->wait_event(condition_is("SBP_HIGH"), 5s)) << vigild_->log();
  vigild_->kill();  // a crash: nothing is flushed on the way out

  const auto s = stored(state);
  const auto* loud = find(s, "bed-loud");
  ASSERT_TRUE(loud);
  EXPECT_TRUE(loud->open[core::index(core::condition_id::sbp_high)]);
  EXPECT_EQ(loud->event_seq, 1u);
}

TEST_F(store_live_test, a_clean_stop_commits_every_bed_seen_and_a_restart_knows_it) {
  temp_dir state;
  launch_vigild("", state.path().string());
  connect_client();
  ASSERT_TRUE(client_->wait_online(instance)) << vigild_->log();
  client_->send("bed-quiet", heart_rate(72));  // a heart rate alone: nothing is published
  // Sent after it by the same client: once its alarm is out, the heart rate was handled.
  client_->send("bed-loud", nibp(186, 95));
  ASSERT_TRUE(client_->wait_event(condition_is("SBP_HIGH"), 5s)) << vigild_->log();
  EXPECT_EQ(vigild_->stop(), 0);
  ASSERT_TRUE(find(stored(state), "bed-quiet")) << vigild_->log();
  EXPECT_TRUE(stored(state).outbox.empty()) << "acknowledged messages left in the outbox";

  // Restarted, vigild knows both beds again.
  const auto restarted_at = wall_ms();
  launch_vigild("", state.path().string());
  ASSERT_TRUE(client_->wait_online(instance, 10s, restarted_at)) << vigild_->log();
  EXPECT_NE(vigild_->log().find("state: 2 bed(s) restored"), std::string::npos) << vigild_->log();
}

TEST_F(store_live_test, a_kill_between_commit_and_publish_publishes_after_the_restart) {
  temp_dir state;
  launch_vigild("", state.path().string(), kill_after_commit);
  connect_client({.will = {}, .persistent_session = true});
  ASSERT_TRUE(client_->wait_online(instance)) << vigild_->log();
  const std::string bed = "bed-cut";
  start_infusion(bed);
  client_->send(bed, nibp(186, 95));
  ASSERT_EQ(vigild_->wait_exit(10s), killed) << vigild_->log();
  EXPECT_TRUE(client_->events().empty()) << "published before the hook's kill";
  // SBP_HIGH and SBP_RISE (186 is 66 over the baseline of 120), and the bed's snapshots.
  const auto outbox = stored(state).outbox;
  ASSERT_GE(outbox.size(), 2u);

  const auto restarted_at = wall_ms();
  launch_vigild("", state.path().string());
  ASSERT_TRUE(client_->wait_online(instance, 10s, restarted_at)) << vigild_->log();
  const auto raised = client_->wait_event(condition_is("SBP_HIGH"), 5s);
  ASSERT_TRUE(raised) << vigild_->log();
  EXPECT_EQ(raised->event.alarm_id, bed + ":SBP_HIGH:1");
  ASSERT_TRUE(client_->wait_event(condition_is("SBP_RISE"), 5s)) << vigild_->log();
  EXPECT_NE(vigild_->log().find(std::to_string(outbox.size()) +
                                " message(s) committed but not acknowledged"),
            std::string::npos)
      << vigild_->log();
  EXPECT_EQ(sequence(bed), one_to(2));
  // The sequence goes on where it was, and the id is not issued again.
  client_->send(bed, core::alarm_ack{raised->event.alarm_id, "nurse-1", wall_ms()});
  const auto acked =
      client_->wait_event(condition_and_transition("SBP_HIGH", core::transition::acknowledged), 5s);
  ASSERT_TRUE(acked) << vigild_->log();
  EXPECT_EQ(acked->event.event_seq, 3u);
  EXPECT_EQ(acked->event.alarm_id, raised->event.alarm_id);
  EXPECT_EQ(sequence(bed), one_to(3));
}

TEST_F(store_live_test, an_alarm_raised_with_the_broker_away_survives_a_kill_9) {
  temp_dir state;
  launch_vigild("", state.path().string(), kill_after_commit);
  connect_client({.will = {}, .persistent_session = true});
  ASSERT_TRUE(client_->wait_online(instance)) << vigild_->log();
  const std::string bed = "bed-dark";
  start_infusion(bed);
  client_->send(bed, heart_rate(75));
  broker_.stop();
  // HR_SIGNAL_LOST falls due 10 s after the reading, with no broker; vigild commits it and
  // the hook kills vigild before it could publish (it could not anyway).
  ASSERT_EQ(vigild_->wait_exit(20s), killed) << vigild_->log();
  EXPECT_NE(vigild_->log().find(bed + ":HR_SIGNAL_LOST"), std::string::npos) << vigild_->log();

  broker_.start();
  ASSERT_TRUE(mqtt_->wait_connected(15s));
  const auto restarted_at = wall_ms();
  launch_vigild("", state.path().string());
  ASSERT_TRUE(client_->wait_online(instance, 15s, restarted_at)) << vigild_->log();
  const auto lost = client_->wait_event(condition_is("HR_SIGNAL_LOST"), 10s);
  ASSERT_TRUE(lost) << "the alarm computed while the broker was away never arrived\n"
                    << vigild_->log();
  EXPECT_LT(lost->event.at_ms, restarted_at);
  EXPECT_EQ(lost->event.transition, core::transition::raised);
  const auto seqs = sequence(bed);
  ASSERT_FALSE(seqs.empty());
  EXPECT_EQ(seqs, one_to(seqs.back())) << "an event_seq of the bed is missing";
}

// tests/data/state-0.1 was written by vigild 0.1 (its README lists what each bed holds).
TEST_F(store_live_test, a_state_directory_of_release_0_1_is_imported_and_its_ids_go_on) {
  temp_dir state;
  const auto legacy = std::filesystem::path(VIGIL_SOURCE_DIR) / "tests/data/state-0.1/beds";
  std::filesystem::copy(legacy, state.path() / "beds");
  // Subscribed first: the escalations and reminders overdue since 0.1 stopped come at once.
  connect_client();
  client_->watch_state();
  launch_vigild("", state.path().string());
  ASSERT_TRUE(client_->wait_online(instance)) << vigild_->log();
  const auto log = vigild_->log();
  EXPECT_NE(log.find("state: imported 3 of 3 bed file(s) into sqlite://"), std::string::npos)
      << log;
  EXPECT_NE(log.find("the files are kept in " + (state.path() / "beds.migrated-").string()),
            std::string::npos)
      << log;
  EXPECT_FALSE(std::filesystem::exists(state.path() / "beds"));

  // The open alarms as 0.1 left them, republished as retained snapshots.
  ASSERT_TRUE(client_->mqtt().wait_until(
      [&](const std::vector<received_message>&) {
        return client_->latest_active("chair-1") && client_->latest_active("chair-2") &&
               client_->latest_session("chair-1");
      },
      5s));
  // (Alarms that fell due while the files waited, such as NIBP_OVERDUE, may come beside them.)
  auto alarm = [&](const std::string& bed, const std::string& id) -> core::alarm_event {
    const auto active = client_->latest_active(bed);
    for (const auto& a : active->alarms)
      if (a.alarm_id == id) return a;
    ADD_FAILURE() << id << " is not open";
    return {};
  };
  const auto high = alarm("chair-1", "chair-1:SBP_HIGH:1");
  EXPECT_EQ(high.priority, core::priority::high);
  EXPECT_EQ(high.state, core::alarm_state::active);
  EXPECT_EQ(high.escalation_level, 3u);
  EXPECT_EQ(alarm("chair-1", "chair-1:SBP_RISE:1").state, core::alarm_state::active);
  const auto acked_by_kim = alarm("chair-2", "chair-2:SBP_HIGH:1");
  EXPECT_EQ(acked_by_kim.acknowledged_by, "nurse-kim");
  EXPECT_EQ(client_->latest_session("chair-1")->session_id, "chair-1-s1");

  // The nurse answers chair-1's escalated alarm: same id, and its event numbers go on after
  // the 5 that 0.1 issued (overdue escalations and reminders may have come first).
  client_->send("chair-1", core::alarm_ack{"chair-1:SBP_HIGH:1", "nurse-lee", wall_ms()});
  const auto acked =
      client_->wait_event(condition_and_transition("SBP_HIGH", core::transition::acknowledged), 5s);
  ASSERT_TRUE(acked) << vigild_->log();
  EXPECT_EQ(acked->event.alarm_id, "chair-1:SBP_HIGH:1");
  EXPECT_EQ(acked->event.escalation_level, 3u);
  const auto one_seqs = sequence("chair-1");
  ASSERT_FALSE(one_seqs.empty());
  EXPECT_EQ(one_seqs.front(), 6u);
  EXPECT_EQ(one_seqs.back(), 6u + one_seqs.size() - 1) << "a chair-1 event number is missing";
  for (const auto& e : client_->events()) {
    EXPECT_TRUE(e.event.alarm_id.ends_with(":1")) << "a new alarm id: " << e.event.alarm_id;
    if (e.event.bed_id == "chair-2") {
      EXPECT_GT(e.event.event_seq, 2u);
    }
  }
}

TEST_F(store_live_test, a_database_that_is_not_one_stops_vigild_with_its_path) {
  temp_dir state;
  std::ofstream(state.path() / "vigil.db", std::ios::binary) << std::string(4096, 'x');
  launch_vigild("", state.path().string());
  EXPECT_EQ(vigild_->wait_exit(10s), 1) << vigild_->log();
  const auto log = vigild_->log();
  EXPECT_NE(log.find((state.path() / "vigil.db").string() + ": file is not a database"),
            std::string::npos)
      << log;
}

TEST_F(store_live_test, a_database_held_by_another_vigild_stops_the_second_with_its_path) {
  temp_dir state;
  launch_vigild("", state.path().string());
  connect_client();
  ASSERT_TRUE(client_->wait_online(instance)) << vigild_->log();
  vigild_process second(vigild_options{.executable = VIGILD_PATH,
                                       .broker_uri = broker_.uri(),
                                       .prefix = prefix,
                                       .instance = "second",
                                       .config_toml = base_config(state.path().string()),
                                       .extra_args = {}});
  EXPECT_EQ(second.wait_exit(10s), 1) << second.log();
  EXPECT_NE(second.log().find((state.path() / "vigil.db").string() + ": database is locked"),
            std::string::npos)
      << second.log();
  EXPECT_TRUE(vigild_->running());
}

}  // namespace
}  // namespace vigil::test
