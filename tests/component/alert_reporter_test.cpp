// PCD-04 out end to end inside the gateway's loop: AlarmEvents reported, queued, sent to an AM
// stand-in, a redelivered event not sent twice, a bed without a location still paged.
#include "alerts/alert_reporter.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>

#include "am_stand_in.hpp"
#include "hl7/er7.hpp"

namespace vigil::alerts {
namespace {

using namespace std::chrono_literals;

core::alarm_event sbp_high(std::uint64_t seq, core::transition t, std::string bed = "chair-3") {
  core::alarm_event e;
  e.bed_id = std::move(bed);
  e.alarm_id = e.bed_id + ":SBP_HIGH:1";
  e.event_seq = seq;
  e.condition = "SBP_HIGH";
  e.kind = core::alarm_kind::physiological;
  e.priority = core::priority::high;
  e.transition = t;
  e.state = t == core::transition::ended ? core::alarm_state::ended : core::alarm_state::active;
  e.onset_ms = 1796121680000;
  e.at_ms = e.onset_ms + (t == core::transition::raised ? 0 : 60'000);
  return e;
}

class alert_reporter_test : public ::testing::Test {
 protected:
  std::filesystem::path dir;
  boost::asio::io_context loop;
  std::unique_ptr<alert_queue> queue;

  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("vigil-reporter-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    queue = std::make_unique<alert_queue>(dir / "alerts.db");
  }
  void TearDown() override {
    queue.reset();
    std::filesystem::remove_all(dir);
  }

  template <typename F>
  bool run_until(F done) {
    const auto give_up = std::chrono::steady_clock::now() + 10s;
    loop.restart();
    while (!done() && std::chrono::steady_clock::now() < give_up) loop.run_one_for(20ms);
    return done();
  }
};

// PV1-3 and OBR-3 of what the AM got.
std::pair<std::string, std::string> where_and_what(const std::string& message) {
  hl7::message m;
  if (hl7::parse_er7(message, m)) return {};
  const auto* pv1 = m.find("PV1");
  const auto* obr = m.find("OBR");
  if (!pv1 || !obr) return {};
  return {std::string(pv1->field(3)), m.text(*obr, 3)};
}

TEST_F(alert_reporter_test, AnAlarmsLifeReachesTheAmInOrderAndOnce) {
  test::am_stand_in am(loop, [](const test::am_received& r, std::size_t) {
    return std::vector<std::string>{test::am_ack("CA", r.control_id)};
  });
  sender_settings s;
  s.host = "127.0.0.1";
  s.port = am.port();
  s.ack_timeout = 2s;
  alert_sender sender(loop, *queue, s);
  reporter_settings rs;
  const std::map<std::string, std::string> beds = {{"chair-3", "KETAMINE^3^B"}};
  rs.location_of = [&](std::string_view bed) -> std::optional<hl7::location> {
    const auto it = beds.find(std::string(bed));
    if (it == beds.end()) return std::nullopt;
    return hl7::location::from_text(it->second);
  };
  alert_reporter reporter(*queue, sender, rs);
  sender.start();

  EXPECT_EQ(reporter.report(sbp_high(12, core::transition::raised), 1),
            alert_reporter::result::queued);
  EXPECT_EQ(reporter.report(sbp_high(12, core::transition::raised), 2),
            alert_reporter::result::duplicate)
      << "MQTT delivered it again";
  EXPECT_EQ(reporter.report(sbp_high(15, core::transition::ended), 3),
            alert_reporter::result::queued);
  EXPECT_EQ(reporter.report(sbp_high(4, core::transition::raised, "chair-9"), 4),
            alert_reporter::result::queued);
  ASSERT_TRUE(run_until([&] { return queue->depth() == 0 && am.received().size() == 3; }));

  const auto& got = am.received();
  EXPECT_EQ(got[0].control_id, "chair-3.12");
  EXPECT_EQ(where_and_what(got[0].text),
            (std::pair<std::string, std::string>{"KETAMINE^3^B", "chair-3:SBP_HIGH:1"}));
  EXPECT_EQ(got[1].control_id, "chair-3.15");
  EXPECT_EQ(where_and_what(got[1].text).second, "chair-3:SBP_HIGH:1.15");
  EXPECT_EQ(got[2].control_id, "chair-9.4");
  EXPECT_EQ(where_and_what(got[2].text).first, "^^chair-9") << "the bed id as PV1-3.3";

  EXPECT_EQ(reporter.counters().queued, 3u);
  EXPECT_EQ(reporter.counters().duplicates, 1u);
  EXPECT_EQ(reporter.counters().unmapped_beds, 1u);
  EXPECT_EQ(sender.counters().acked, 3u);
}

}  // namespace
}  // namespace vigil::alerts
