// The alert sender against an Alert Manager stand-in on 127.0.0.1 (am_stand_in.hpp), both on
// one io_context that the test runs until what it waits for has happened (never a sleep).
// Timeouts and backoffs are tens of milliseconds, so a test takes well under a second.
#include "alerts/alert_sender.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "am_stand_in.hpp"
#include "hl7/pcd04.hpp"

namespace vigil::alerts {
namespace {

using namespace std::chrono_literals;
using test::am_ack;
using test::am_received;
using test::am_stand_in;

// An ORU^R40 as far as the sender cares: its MSH-10 (hand-written, not built by the builder).
std::string oru(const std::string& control_id) {
  return "MSH|^~\\&|VIGIL||AM||20261201104120+0000||ORU^R40^ORU_R40|" + control_id +
         "|P|2.6|||AL|NE\rOBR|1||" + control_id + "^VIGIL|196616^MDC_EVT_ALARM^MDC\r";
}

class alert_sender_test : public ::testing::Test {
 protected:
  std::filesystem::path dir;
  boost::asio::io_context loop;
  std::unique_ptr<alert_queue> queue;

  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("vigil-sender-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    queue = std::make_unique<alert_queue>(dir / "alerts.db");
  }
  void TearDown() override {
    queue.reset();
    std::filesystem::remove_all(dir);
  }

  void enqueue(const std::vector<std::string>& ids) {
    std::uint64_t seq = 0;
    for (const auto& id : ids) ASSERT_TRUE(queue->enqueue(oru(id), "alarm-" + id, ++seq, 0));
  }

  static sender_settings settings(std::uint16_t port) {
    sender_settings s;
    s.host = "127.0.0.1";
    s.port = port;
    s.connect_timeout = 2s;
    s.ack_timeout = 150ms;
    s.backoff_initial = 10ms;
    s.backoff_max = 40ms;
    s.error_retries = 2;
    return s;
  }

  // Runs the loop until `done` or 10 s have passed (a failing test, not a slow one).
  template <typename F>
  bool run_until(F done) {
    const auto give_up = std::chrono::steady_clock::now() + 10s;
    loop.restart();
    while (!done() && std::chrono::steady_clock::now() < give_up) loop.run_one_for(20ms);
    return done();
  }

  static std::vector<std::string> ids(const am_stand_in& am) {
    std::vector<std::string> out;
    for (const auto& r : am.received())
      if (r.type.rfind("ORU", 0) == 0) out.push_back(r.control_id);
    return out;
  }
};

// An AM that accepts everything.
std::vector<std::string> accept_all(const am_received& r, std::size_t) {
  return {am_ack("CA", r.control_id)};
}

TEST_F(alert_sender_test, SendsTheQueueInOrderOneAtATime) {
  enqueue({"c1", "c2", "c3"});
  am_stand_in am(loop, accept_all);
  alert_sender sender(loop, *queue, settings(am.port()));
  sender.start();
  ASSERT_TRUE(run_until([&] { return queue->depth() == 0; }));
  EXPECT_EQ(ids(am), (std::vector<std::string>{"c1", "c2", "c3"}));
  const auto& c = sender.counters();
  EXPECT_EQ(c.sent, 3u);
  EXPECT_EQ(c.acked, 3u);
  EXPECT_EQ(c.retries, 0u);
  EXPECT_EQ(c.connects, 1u);
  EXPECT_TRUE(c.connected);
  EXPECT_EQ(queue->done(outcome::acked), 3u);

  // Enqueued later, on an idle link: wake() sends it.
  ASSERT_TRUE(queue->enqueue(oru("c4"), "alarm-c4", 9, 0));
  sender.wake();
  ASSERT_TRUE(run_until([&] { return queue->depth() == 0; }));
  EXPECT_EQ(ids(am).back(), "c4");
  EXPECT_EQ(sender.counters().acked, 4u);
}

TEST_F(alert_sender_test, AMissingAckIsResentOnANewConnection) {
  enqueue({"c1", "c2"});
  am_stand_in am(loop, [](const am_received& r, std::size_t nth) -> std::vector<std::string> {
    if (r.control_id == "c1" && nth == 1) return {};  // lost: no answer
    return {am_ack("AA", r.control_id)};
  });
  alert_sender sender(loop, *queue, settings(am.port()));
  sender.start();
  ASSERT_TRUE(run_until([&] { return queue->depth() == 0; }));
  EXPECT_EQ(ids(am), (std::vector<std::string>{"c1", "c1", "c2"}));
  const auto& c = sender.counters();
  EXPECT_EQ(c.ack_timeouts, 1u);
  EXPECT_EQ(c.retries, 1u);
  EXPECT_EQ(c.sent, 3u);
  EXPECT_EQ(c.acked, 2u);
  EXPECT_EQ(c.connects, 2u) << "the connection is closed and made again";
  EXPECT_EQ(am.connections(), 2u);
}

TEST_F(alert_sender_test, AStaleAckIsIgnored) {
  enqueue({"c1", "c2", "c3"});
  am_stand_in am(loop, [](const am_received& r, std::size_t nth) -> std::vector<std::string> {
    // c2's first transmission gets a late duplicate of c1's ACK, nothing for c2 itself.
    if (r.control_id == "c2" && nth == 1) return {am_ack("CA", "c1")};
    return {am_ack("CA", r.control_id)};
  });
  alert_sender sender(loop, *queue, settings(am.port()));
  sender.start();
  ASSERT_TRUE(run_until([&] { return queue->depth() == 0; }));
  // Taken as c2's ACK, the stale one would have sent c3 before c2 was answered.
  EXPECT_EQ(ids(am), (std::vector<std::string>{"c1", "c2", "c2", "c3"}));
  const auto& c = sender.counters();
  EXPECT_EQ(c.stale_acks, 1u);
  EXPECT_EQ(c.ack_timeouts, 1u);
  EXPECT_EQ(c.acked, 3u);
}

TEST_F(alert_sender_test, ARejectIsDroppedAndCounted) {
  enqueue({"c1", "c2", "c3"});
  am_stand_in am(loop, [](const am_received& r, std::size_t) -> std::vector<std::string> {
    if (r.control_id == "c2") return {am_ack("AR", "c2", "unknown location")};
    return {am_ack("AA", r.control_id)};
  });
  alert_sender sender(loop, *queue, settings(am.port()));
  sender.start();
  ASSERT_TRUE(run_until([&] { return queue->depth() == 0; }));
  EXPECT_EQ(ids(am), (std::vector<std::string>{"c1", "c2", "c3"})) << "c2 is not resent";
  const auto& c = sender.counters();
  EXPECT_EQ(c.rejected, 1u);
  EXPECT_EQ(c.acked, 2u);
  EXPECT_EQ(c.retries, 0u);
  EXPECT_EQ(queue->done(outcome::rejected), 1u);
}

TEST_F(alert_sender_test, AnErrorIsRetriedABoundedNumberOfTimes) {
  enqueue({"c1", "c2"});
  am_stand_in am(loop, [](const am_received& r, std::size_t nth) -> std::vector<std::string> {
    if (r.control_id == "c1") return {am_ack("AE", "c1", "database busy")};
    if (r.control_id == "c2" && nth == 1) return {am_ack("CE", "c2", "database busy")};
    return {am_ack("CA", r.control_id)};
  });
  alert_sender sender(loop, *queue, settings(am.port()));  // error_retries = 2
  sender.start();
  ASSERT_TRUE(run_until([&] { return queue->depth() == 0; }));
  // c1: the first send and 2 resends, all AE, then dropped; c2: CE once, then CA.
  EXPECT_EQ(ids(am), (std::vector<std::string>{"c1", "c1", "c1", "c2", "c2"}));
  const auto& c = sender.counters();
  EXPECT_EQ(c.errors, 4u);
  EXPECT_EQ(c.dropped, 1u);
  EXPECT_EQ(c.retries, 3u);
  EXPECT_EQ(c.acked, 1u);
  EXPECT_EQ(c.connects, 1u) << "an AE says the link is fine";
  EXPECT_EQ(queue->done(outcome::dropped), 1u);
}

TEST_F(alert_sender_test, TheAmRestartsMidStream) {
  enqueue({"c1", "c2", "c3"});
  bool crash = true;
  am_stand_in* am_ptr = nullptr;
  am_stand_in am(loop, [&](const am_received& r, std::size_t) -> std::vector<std::string> {
    if (r.control_id == "c2" && crash) {
      crash = false;
      am_ptr->stop();  // dies with c2 unanswered
      return {};
    }
    return {am_ack("CA", r.control_id)};
  });
  am_ptr = &am;
  alert_sender sender(loop, *queue, settings(am.port()));
  sender.start();
  ASSERT_TRUE(run_until([&] { return !crash; }));
  // Down: the sender finds the connection gone and is refused at least once more.
  ASSERT_TRUE(run_until([&] { return sender.counters().connect_failures >= 2; }));
  EXPECT_FALSE(sender.counters().connected);
  EXPECT_EQ(queue->depth(), 2u);
  am.restart();
  ASSERT_TRUE(run_until([&] { return queue->depth() == 0; }));
  EXPECT_EQ(ids(am), (std::vector<std::string>{"c1", "c2", "c2", "c3"}));
  const auto& c = sender.counters();
  EXPECT_EQ(c.acked, 3u);
  EXPECT_EQ(c.retries, 1u);
  EXPECT_EQ(c.connects, 2u);
  EXPECT_TRUE(c.connected);
}

TEST_F(alert_sender_test, WhatIsQueuedSurvivesTheSender) {
  enqueue({"c1", "c2"});
  {
    am_stand_in silent(
        loop, [](const am_received&, std::size_t) -> std::vector<std::string> { return {}; });
    alert_sender sender(loop, *queue, settings(silent.port()));
    sender.start();
    ASSERT_TRUE(run_until([&] { return silent.received().size() == 1; }));
    sender.stop();
  }
  queue.reset();  // the gateway restarts
  queue = std::make_unique<alert_queue>(dir / "alerts.db");
  am_stand_in am(loop, accept_all);
  alert_sender sender(loop, *queue, settings(am.port()));
  sender.start();
  ASSERT_TRUE(run_until([&] { return queue->depth() == 0; }));
  EXPECT_EQ(ids(am), (std::vector<std::string>{"c1", "c2"}));
}

TEST_F(alert_sender_test, APcd05OnTheConnectionIsAckedAndReported) {
  am_stand_in am(loop, accept_all);
  alert_sender sender(loop, *queue, settings(am.port()));
  std::vector<std::string> reported;
  sender.on_status(
      [&](const hl7::pcd05_status& s) { reported.push_back(s.alert_id + " " + s.status); });
  sender.start();
  ASSERT_TRUE(run_until([&] { return sender.counters().connected && am.connections() == 1; }));
  am.send(
      "MSH|^~\\&|AM|HOSP|VIGIL||20261201104131+0000||ORA^R41^ORA_R41|ora-1|P|2.6|||AL|NE\r"
      "MSA|AA|bed-1.3\r"
      "OBR|1||bed-1:HR_LOW:1^VIGIL\r"
      "PRT|1|AD|DELIVERED^Delivered to endpoint^L|AAP|77^Ng^Ana\r");
  ASSERT_TRUE(run_until([&] { return am.received().size() == 1; }));
  EXPECT_EQ(am.received()[0].type, "ACK^R41^ACK");
  EXPECT_EQ(am.received()[0].msa, "CA|ora-1");
  EXPECT_EQ(reported, (std::vector<std::string>{"bed-1:HR_LOW:1 Delivered to endpoint"}));
  EXPECT_EQ(sender.counters().status_reports, 1u);
  EXPECT_EQ(sender.counters().stale_acks, 0u) << "its MSA is not an ACK";
}

TEST_F(alert_sender_test, GarbageFromTheAmIsCountedAndSurvived) {
  enqueue({"c1"});
  am_stand_in am(loop, [](const am_received& r, std::size_t) -> std::vector<std::string> {
    return {"not hl7 at all", am_ack("CA", r.control_id)};
  });
  alert_sender sender(loop, *queue, settings(am.port()));
  sender.start();
  ASSERT_TRUE(run_until([&] { return queue->depth() == 0; }));
  EXPECT_EQ(sender.counters().bad_frames, 1u);
  EXPECT_EQ(sender.counters().acked, 1u);
}

TEST_F(alert_sender_test, AMessageBuiltByTheBuilderGoesThrough) {
  core::alarm_event e;
  e.alarm_id = "chair-3:SBP_HIGH:1";
  e.event_seq = 12;
  e.bed_id = "chair-3";
  e.condition = "SBP_HIGH";
  e.kind = core::alarm_kind::physiological;
  e.priority = core::priority::high;
  e.state = core::alarm_state::active;
  e.transition = core::transition::raised;
  e.value = 186;
  e.limit = 180;
  e.onset_ms = e.at_ms = 1796121680000;
  hl7::pcd04_context ctx;
  ctx.control_id = hl7::control_id_for(e);
  ctx.packaging_ms = e.at_ms;
  ASSERT_TRUE(queue->enqueue(hl7::build_oru_r40(e, ctx), e.alarm_id, e.event_seq, e.at_ms));
  am_stand_in am(loop, accept_all);
  alert_sender sender(loop, *queue, settings(am.port()));
  sender.start();
  ASSERT_TRUE(run_until([&] { return queue->depth() == 0; }));
  ASSERT_EQ(am.received().size(), 1u);
  EXPECT_EQ(am.received()[0].control_id, "chair-3.12");
  EXPECT_EQ(am.received()[0].type, "ORU^R40^ORU_R40");
}

TEST_F(alert_sender_test, NobodyListeningIsRetriedWithBackoff) {
  enqueue({"c1"});
  std::uint16_t port = 0;
  {
    am_stand_in gone(loop, accept_all);  // a free port, then nobody on it
    port = gone.port();
  }
  alert_sender sender(loop, *queue, settings(port));
  sender.start();
  ASSERT_TRUE(run_until([&] { return sender.counters().connect_failures >= 3; }));
  EXPECT_EQ(sender.counters().sent, 0u);
  EXPECT_EQ(sender.queue_depth(), 1u);
  EXPECT_FALSE(sender.counters().connected);
}

}  // namespace
}  // namespace vigil::alerts
