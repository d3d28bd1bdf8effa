// The record asked of a live vigild over MQTT 5 (issue 14 part 1, "Alarm history"): the alarm
// events it published come back, exactly, to the asker's response topic with its correlation
// data; the filters hold; the session carries its patient and encounter; the history outlives a
// clean restart and a kill -9; a request vigild cannot answer properly is ignored or refused,
// and vigild answers the next one.
#include "codec/topics.hpp"
#include "history_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;
using core::transition;
using request = codec::history_request;

// A request with one field set (GCC's -Wmissing-field-initializers refuses designated
// initializers that leave fields out).
template <class T>
request with(T request::*field, T value) {
  request r;
  r.*field = std::move(value);
  return r;
}

TEST_F(history_live_test, the_events_of_an_alarm_come_back_exactly_with_the_askers_correlation) {
  ASSERT_NO_FATAL_FAILURE(start());
  ASSERT_NO_FATAL_FAILURE(raise_and_end("chair-1", "s1"));
  client_->send("chair-2", nibp(186, 95));  // in IDLE: no session
  ASSERT_TRUE(
      client_->wait_event([](const timed_event& e) { return e.event.bed_id == "chair-2"; }, 5s));

  const auto sent = history_->send(request{});
  ASSERT_EQ(sent.reason_code, 0);
  const auto all = history_->wait_answer(sent.correlation);
  ASSERT_TRUE(all) << vigild_->log();
  EXPECT_TRUE(all->error.empty()) << all->error;
  EXPECT_FALSE(all->truncated);
  EXPECT_EQ(all->events, live());
  // One answer, on the asker's own response topic, with its correlation data.
  const auto answers = history_->with_correlation(sent.correlation);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].topic, history_->response_topic());

  // chair-1's: SBP_HIGH raised, acknowledged and ended, each event numbered in turn.
  const auto one = live("chair-1");
  const auto high = only(one, [](const auto& e) { return e.condition == "SBP_HIGH"; });
  ASSERT_EQ(high.size(), 3u);
  EXPECT_EQ(high[0].transition, transition::raised);
  EXPECT_EQ(high[1].transition, transition::acknowledged);
  EXPECT_EQ(high[1].acknowledged_by, "nurse-1");
  EXPECT_EQ(high[2].transition, transition::ended);
  EXPECT_EQ(high[0].alarm_id, "chair-1:SBP_HIGH:1");
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].session_id, "s1");
  }

  // The session, with what the STARTED InfusionEvent said of the patient.
  ASSERT_EQ(all->sessions.size(), 1u);
  const auto& s = all->sessions[0];
  EXPECT_EQ(s.bed_id, "chair-1");
  EXPECT_EQ(s.session_id, "s1");
  EXPECT_EQ(s.patient_id, "MRN-chair-1");
  EXPECT_EQ(s.encounter_id, "ENC-s1");
  EXPECT_EQ(s.planned_minutes, 40u);
  EXPECT_EQ(s.baseline_systolic_mmhg, 120);
  EXPECT_GT(s.started_ms, 0);
  EXPECT_EQ(s.ended_ms, 0) << "still in INFUSION";

  // By bed, by session.
  EXPECT_EQ(history_->ask(with(&request::bed_id, std::string("chair-2"))).value().events,
            live("chair-2"));
  EXPECT_EQ(history_->ask(with(&request::bed_id, std::string("chair-1"))).value().events, one);
  EXPECT_EQ(history_->ask(with(&request::session_id, std::string("s1"))).value().events, one);
  EXPECT_TRUE(
      history_->ask(with(&request::bed_id, std::string("chair-2"))).value().sessions.empty());

  // By time, both ends inclusive: from the acknowledgement on, and up to it.
  const auto t = high[1].at_ms;
  const auto from = history_->ask(with(&request::since_ms, t));
  ASSERT_TRUE(from) << vigild_->log();
  EXPECT_EQ(from->events, only(live(), [&](const auto& e) { return e.at_ms >= t; }));
  auto chair_1_until = with(&request::until_ms, t);
  chair_1_until.bed_id = "chair-1";
  const auto upto = history_->ask(chair_1_until);
  ASSERT_TRUE(upto) << vigild_->log();
  EXPECT_EQ(upto->events, only(one, [&](const auto& e) { return e.at_ms <= t; }));
  EXPECT_LT(upto->events.size(), one.size());
  EXPECT_FALSE(from->events.empty());

  // A limit: the earliest, and truncated.
  const auto two = history_->ask(with(&request::limit, 2u));
  ASSERT_TRUE(two) << vigild_->log();
  ASSERT_EQ(two->events.size(), 2u);
  EXPECT_TRUE(two->truncated);
  EXPECT_EQ(two->events[0], live()[0]);

  // The trend: each NIBP reading as it came (systolic 120, 186, 120); the first, in IDLE,
  // published nothing, so its row may be committed up to a second later.
  auto chair_1_trend = with(&request::trend, true);
  chair_1_trend.bed_id = "chair-1";
  const auto systolic_of = [](const codec::history_response& a) {
    std::vector<double> v;
    for (const auto& p : a.trend)
      if (p.series == record::series::nibp_sys) v.push_back(p.mean);
    return v;
  };
  const auto trend =
      ask_until(chair_1_trend, [&](const auto& a) { return systolic_of(a).size() >= 3; });
  ASSERT_TRUE(trend);
  EXPECT_EQ(systolic_of(*trend), (std::vector<double>{120, 186, 120}));
}

TEST_F(history_live_test, the_history_outlives_a_clean_restart_and_a_kill_9) {
  temp_dir state;
  ASSERT_NO_FATAL_FAILURE(start(state.path().string()));
  ASSERT_NO_FATAL_FAILURE(raise_and_end("chair-1", "s1"));
  const auto window = with(&request::until_ms, wall_ms());
  const auto before = history_->ask(window);
  ASSERT_TRUE(before) << vigild_->log();
  EXPECT_EQ(before->events, live());
  ASSERT_EQ(before->sessions.size(), 1u);

  EXPECT_EQ(vigild_->stop(), 0);
  ASSERT_NO_FATAL_FAILURE(restart(state.path().string()));
  const auto after_stop = history_->ask(window);
  ASSERT_TRUE(after_stop) << vigild_->log();
  EXPECT_EQ(after_stop->events, before->events);
  EXPECT_EQ(after_stop->sessions, before->sessions);

  vigild_->kill();
  ASSERT_NO_FATAL_FAILURE(restart(state.path().string()));
  const auto after_kill = history_->ask(window);
  ASSERT_TRUE(after_kill) << vigild_->log();
  EXPECT_EQ(after_kill->events, before->events);
  EXPECT_EQ(after_kill->sessions, before->sessions);
}

TEST_F(history_live_test, a_request_it_cannot_answer_properly_is_ignored_or_refused) {
  ASSERT_NO_FATAL_FAILURE(start());
  client_->send("chair-1", nibp(186, 95));
  ASSERT_TRUE(client_->wait_event(condition_is("SBP_HIGH"), 5s)) << vigild_->log();
  const std::string elsewhere = std::string(prefix) + "/elsewhere/" + mqtt_->client_id();
  mqtt_->subscribe(elsewhere);

  // A response topic outside {prefix}/history/response/, the bare root, or none: ignored.
  const auto outside = history_->send_bytes(codec::encode(request{}), elsewhere);
  EXPECT_EQ(outside.reason_code, 0);
  EXPECT_TRUE(vigild_->wait_log("('" + elsewhere + "') cannot be answered; ignored", 5s))
      << vigild_->log();
  const auto root =
      history_->send_bytes(codec::encode(request{}), codec::history_response_root(prefix));
  EXPECT_TRUE(
      vigild_->wait_log("('" + codec::history_response_root(prefix) + "') cannot be answered", 5s))
      << vigild_->log();
  const auto none = history_->send_bytes(codec::encode(request{}), "");
  EXPECT_TRUE(vigild_->wait_log("('') cannot be answered; ignored", 5s)) << vigild_->log();

  // Bytes that are no HistoryRequest: an answer that says so.
  const auto garbage = history_->send_bytes(std::string("\x0a\xff", 2), history_->response_topic());
  const auto refused = history_->wait_answer(garbage.correlation);
  ASSERT_TRUE(refused) << vigild_->log();
  EXPECT_NE(refused->error.find("not a valid vigil.v1.HistoryRequest"), std::string::npos)
      << refused->error;
  EXPECT_TRUE(refused->events.empty());
  // A trend for every bed: refused too.
  const auto no_bed = history_->ask(with(&request::trend, true));
  ASSERT_TRUE(no_bed);
  EXPECT_EQ(no_bed->error, "a trend needs bed_id");

  // vigild is still there and answers a proper request; the ignored ones got nothing anywhere
  // (they were handled before the later requests, on the same connection).
  const auto proper = history_->ask({});
  ASSERT_TRUE(proper) << vigild_->log();
  EXPECT_TRUE(proper->error.empty());
  EXPECT_EQ(proper->events, live());
  EXPECT_TRUE(vigild_->running());
  for (const auto* s : {&outside, &root, &none}) {
    EXPECT_TRUE(history_->with_correlation(s->correlation).empty()) << s->correlation;
  }
  for (const auto& m : mqtt_->messages()) EXPECT_NE(m.topic, elsewhere);
}

}  // namespace
}  // namespace vigil::test
