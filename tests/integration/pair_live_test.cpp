// Two vigild sharing a real PostgreSQL (README "Running a pair"), a persistent mosquitto, and a
// test client watching every alarm event and status: one leads, the other stands by, and when
// the leader is killed, cut off from the database, restarted, or the database itself restarts,
// a member leads again within seconds, with the same alarm ids and per-bed event numbers, every
// timer that fell due meanwhile fired at once, and no event missing. A repeat is allowed only as
// the same bytes (a committed message the broker had not acknowledged, published again).
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <map>

#include "codec/topics.hpp"
#include "live_fixture.hpp"
#include "postgres_server.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;
using codec::daemon_role;

class pair_test : public ::testing::Test {
 protected:
  pair_test() : broker_({.persistence = true}) {
    credentials_ = (dir_.path() / "pg-credentials").string();
    std::ofstream(credentials_) << "vigil\n" << pg_.password() << "\n";
    ::chmod(credentials_.c_str(), 0600);
    mqtt_ = std::make_unique<mqtt_test_client>(broker_.uri());
    client_ = std::make_unique<vigil_client>(*mqtt_, prefix);
    client_->watch_alarms();
    mqtt_->subscribe(codec::daemon_status_topic(prefix, "+"));
  }

  void TearDown() override {
    for (auto& [name, m] : members_) {
      if (m && m->running()) {
        EXPECT_EQ(m->stop(3s), 0) << name << " did not exit cleanly";
      }
      if (m && (HasFailure() || std::getenv("VIGIL_TEST_LOGS"))) {
        std::cerr << "---- vigild " << name << " ----\n" << m->log();
      }
    }
    if (HasFailure()) std::cerr << "---- postgres ----\n" << pg_.log();
  }

  static constexpr const char* prefix = "clinic";

  void launch(const std::string& instance, std::vector<std::string> environment = {}) {
    members_[instance] = std::make_unique<vigild_process>(vigild_options{
        .executable = VIGILD_PATH,
        .broker_uri = broker_.uri(),
        .prefix = prefix,
        .instance = instance,
        .config_toml = base_config() + "[store]\nurl = \"" + pg_.url() +
                       "\"\ncredentials_file = \"" + credentials_ +
                       "\"\n[escalation]\nescalate_high_s = 4\nescalate_medium_s = 4\n"
                       "ack_silence_s = 8\nmax_level = 10\n",
        .extra_args = {},
        .environment = std::move(environment)});
  }
  vigild_process& member(const std::string& instance) { return *members_.at(instance); }

  // A status of `instance`, ONLINE in `role`, published at or after `since_ms`.
  bool wait_role(const std::string& instance, daemon_role role, std::chrono::milliseconds timeout,
                 std::int64_t since_ms = 0) {
    const auto topic = codec::daemon_status_topic(prefix, instance);
    return mqtt_
        ->wait_for(
            [&](const received_message& m) {
              if (m.topic != topic) return false;
              auto s = codec::decode_daemon_status(m.payload);
              return s && s.value().state == codec::daemon_state::online &&
                     s.value().role == role && s.value().at_ms >= since_ms;
            },
            timeout)
        .has_value();
  }

  // Whichever member leads (at or after since_ms), or "" after the timeout.
  std::string wait_any_leader(std::chrono::milliseconds timeout, std::int64_t since_ms) {
    const auto found = mqtt_->wait_for(
        [&](const received_message& m) {
          auto s = codec::decode_daemon_status(m.payload);
          return m.topic.ends_with("/status") && s &&
                 s.value().state == codec::daemon_state::online &&
                 s.value().role == daemon_role::leader && s.value().at_ms >= since_ms;
        },
        timeout);
    return found ? codec::decode_daemon_status(found->payload).value().instance : "";
  }

  // A leader (a), then a standby (b).
  void start_pair() {
    launch("a");
    ASSERT_TRUE(wait_role("a", daemon_role::leader, 15s)) << member("a").log();
    launch("b");
    ASSERT_TRUE(wait_role("b", daemon_role::standby, 15s)) << member("b").log();
  }

  std::optional<timed_event> wait_event(const std::string& bed, const std::string& condition,
                                        core::transition t, std::chrono::milliseconds timeout,
                                        std::int64_t after_ms = 0) {
    return client_->wait_event(
        [&](const timed_event& e) {
          return e.event.bed_id == bed && e.event.condition == condition &&
                 e.event.transition == t && e.received_at_ms >= after_ms;
        },
        timeout);
  }

  // SBP_HIGH raised during an infusion, escalating every 4 s until acknowledged.
  std::string raise_sbp_high(const std::string& bed) {
    client_->send(bed, nibp(120, 80));
    client_->send(bed, infusion(core::infusion_kind::started, "s-" + bed, 40));
    client_->send(bed, nibp(186, 95));
    const auto raised = wait_event(bed, "SBP_HIGH", core::transition::raised, 10s);
    EXPECT_TRUE(raised) << member("a").log();
    return raised ? raised->event.alarm_id : "";
  }

  // The alarm `id` of `bed` escalates again after `after_ms`: the same alarm, carried on.
  std::optional<timed_event> escalates_again(const std::string& bed, const std::string& id,
                                             std::int64_t after_ms) {
    auto e = wait_event(bed, "SBP_HIGH", core::transition::escalated, 10s, after_ms);
    EXPECT_TRUE(e) << "no escalation of " << id << " after the change of leader";
    if (e) {
      EXPECT_EQ(e->event.alarm_id, id);
    }
    return e;
  }

  // Every bed's events numbered 1, 2, ... without a gap; a number seen twice was the same bytes.
  void expect_every_event_once_or_repeated_identically() {
    std::map<std::string, std::map<std::uint64_t, std::string>> beds;
    for (const auto& e : client_->events()) {
      if (e.topic.ends_with("/escalations")) continue;  // a copy of an ESCALATED event
      const auto bytes = codec::encode(e.event);
      auto [it, fresh] = beds[e.event.bed_id].emplace(e.event.event_seq, bytes);
      EXPECT_TRUE(fresh || it->second == bytes)
          << e.event.bed_id << " #" << e.event.event_seq << " came twice, different";
    }
    for (const auto& [bed, seqs] : beds) {
      ASSERT_FALSE(seqs.empty());
      EXPECT_EQ(seqs.begin()->first, 1u) << bed;
      EXPECT_EQ(seqs.rbegin()->first, seqs.size()) << bed << ": an event number is missing";
    }
  }

  temp_dir dir_;
  postgres_server pg_;
  mosquitto_broker broker_;
  std::string credentials_;
  std::map<std::string, std::unique_ptr<vigild_process>> members_;
  std::unique_ptr<mqtt_test_client> mqtt_;
  std::unique_ptr<vigil_client> client_;
};

TEST_F(pair_test, a_standby_leads_within_5_s_of_a_kill_9_and_the_ward_goes_on_where_it_was) {
  start_pair();
  const auto loud = raise_sbp_high("bed-loud");
  const auto quiet = raise_sbp_high("bed-quiet");
  client_->send("bed-quiet", core::alarm_ack{quiet, "nurse-1", wall_ms()});
  ASSERT_TRUE(wait_event("bed-quiet", "SBP_HIGH", core::transition::acknowledged, 5s));
  const auto before = wait_event("bed-loud", "SBP_HIGH", core::transition::escalated, 10s);
  ASSERT_TRUE(before);

  const auto killed_at = wall_ms();
  member("a").kill();
  // While nobody leads, the broker keeps these for the leader's session.
  client_->send("bed-late", nibp(120, 80));
  client_->send("bed-late", infusion(core::infusion_kind::started, "s-late", 40));
  client_->send("bed-late", nibp(190, 100));
  ASSERT_TRUE(wait_role("b", daemon_role::leader, 5s, killed_at)) << member("b").log();
  const auto led_at = wall_ms();
  std::cerr << "takeover: " << led_at - killed_at << " ms\n";

  // The same alarms go on: the escalation and the reminder at their times (or at once, if
  // they fell due while nobody led), from b.
  const auto escalated = escalates_again("bed-loud", loud, killed_at);
  ASSERT_TRUE(escalated) << member("b").log();
  const auto due = std::max(before->received_at_ms + 4'000, led_at);
  EXPECT_LE(escalated->received_at_ms, due + 1'500) << "the escalation came late";
  const auto reminded =
      wait_event("bed-quiet", "SBP_HIGH", core::transition::reminded, 15s, killed_at);
  ASSERT_TRUE(reminded) << member("b").log();
  EXPECT_EQ(reminded->event.alarm_id, quiet);
  EXPECT_TRUE(wait_event("bed-late", "SBP_HIGH", core::transition::raised, 10s))
      << "the readings queued while nobody led were lost\n"
      << member("b").log();
  expect_every_event_once_or_repeated_identically();
}

TEST_F(pair_test, a_leader_cut_off_the_database_falls_silent_and_the_standby_leads) {
  start_pair();
  const auto loud = raise_sbp_high("bed-loud");
  ASSERT_TRUE(wait_event("bed-loud", "SBP_HIGH", core::transition::escalated, 10s));

  // The server ends the session that holds the lock, as a dead network path would.
  const auto cut_at = wall_ms();
  EXPECT_EQ(pg_.sql("SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = "
                    "'advisory' AND granted"),
            "1");
  EXPECT_TRUE(member("a").wait_log("stepping down", 5s)) << member("a").log();
  ASSERT_TRUE(wait_role("b", daemon_role::leader, 5s, cut_at)) << member("b").log();
  EXPECT_TRUE(wait_role("a", daemon_role::standby, 10s, cut_at)) << member("a").log();

  escalates_again("bed-loud", loud, cut_at + 1000);
  // Two leaders publishing at once would each number their own escalations.
  expect_every_event_once_or_repeated_identically();
}

TEST_F(pair_test, the_old_leader_rejoins_as_standby_and_the_whole_pair_restarts_losing_nothing) {
  start_pair();
  const auto loud = raise_sbp_high("bed-loud");
  const auto killed_at = wall_ms();
  member("a").kill();
  ASSERT_TRUE(wait_role("b", daemon_role::leader, 5s, killed_at)) << member("b").log();
  launch("a");
  ASSERT_TRUE(wait_role("a", daemon_role::standby, 15s, killed_at)) << member("a").log();

  EXPECT_EQ(member("b").stop(3s), 0);
  EXPECT_EQ(member("a").stop(3s), 0);
  const auto restarted_at = wall_ms();
  launch("a");
  launch("b");
  const auto leader = wait_any_leader(15s, restarted_at);
  ASSERT_FALSE(leader.empty()) << member("a").log() << member("b").log();
  EXPECT_TRUE(wait_role(leader == "a" ? "b" : "a", daemon_role::standby, 15s, restarted_at));
  escalates_again("bed-loud", loud, restarted_at);
  expect_every_event_once_or_repeated_identically();
}

TEST_F(pair_test, a_restart_of_postgresql_leaves_one_leader_and_loses_no_event) {
  start_pair();
  const auto loud = raise_sbp_high("bed-loud");
  ASSERT_TRUE(wait_event("bed-loud", "SBP_HIGH", core::transition::escalated, 10s));
  pg_.stop();
  // Its connection gone, the leader can commit nothing: it falls silent and stands by.
  EXPECT_TRUE(member("a").wait_log("stepping down", 5s)) << member("a").log();
  const auto restart_at = wall_ms();
  pg_.start();
  const auto leader = wait_any_leader(20s, restart_at);
  ASSERT_FALSE(leader.empty()) << member("a").log() << member("b").log();
  client_->send("bed-after", nibp(120, 80));
  client_->send("bed-after", infusion(core::infusion_kind::started, "s-after", 40));
  client_->send("bed-after", nibp(190, 100));
  EXPECT_TRUE(wait_event("bed-after", "SBP_HIGH", core::transition::raised, 10s));
  escalates_again("bed-loud", loud, restart_at);
  expect_every_event_once_or_repeated_identically();
}

TEST_F(pair_test, a_sigterm_while_the_standby_takes_over_stops_it_cleanly) {
  launch("a");
  ASSERT_TRUE(wait_role("a", daemon_role::leader, 15s)) << member("a").log();
  // b holds the lock for 1.5 s before it leads: the signal comes in between.
  launch("b", {"VIGILD_TEST_HANDOVER_DELAY_MS=1500"});
  ASSERT_TRUE(wait_role("b", daemon_role::standby, 15s)) << member("b").log();
  EXPECT_EQ(member("a").stop(3s), 0);
  ASSERT_TRUE(member("b").wait_log("took the leader's lock", 5s)) << member("b").log();
  EXPECT_EQ(member("b").stop(5s), 0) << "the signal was lost in the handover\n"
                                     << member("b").log();
  EXPECT_TRUE(member("b").wait_log("a signal came while taking over: stopping", 1s))
      << member("b").log();
}

}  // namespace
}  // namespace vigil::test
