#include "codec/json_view.hpp"

#include <gtest/gtest.h>

#include "codec/codec.hpp"
#include "samples.hpp"

namespace vigil::codec {
namespace {

using namespace test;

TEST(json_view_test, the_daemon_status_in_protobufs_json_mapping_under_the_json_tree) {
  const auto msg =
      daemon_status_message("clinic", {"ward-3", daemon_state::online, "0.2.0", 1'700'000'000'000,
                                       1'700'000'010'000, daemon_role::leader});
  const auto json = json_view_of("clinic", msg);
  ASSERT_TRUE(json.has_value());
  EXPECT_EQ(json->topic, "clinic/json/daemon/ward-3/status");
  // Written by hand from proto3's JSON mapping: snake_case names, enum names, int64 quoted.
  EXPECT_EQ(
      json->payload,
      R"({"instance":"ward-3","state":"DAEMON_STATE_ONLINE","version":"0.2.0",)"
      R"("started_at_ms":"1700000000000","at_ms":"1700000010000","role":"DAEMON_ROLE_LEADER"})");
  EXPECT_TRUE(json->retained);
  EXPECT_EQ(json->qos, 1);
  EXPECT_EQ(json->outbox_id, 0u);  // not kept in the outbox
}

TEST(json_view_test, every_output_of_the_engine_has_its_json_twin_with_the_same_flags) {
  core::engine_output out;
  auto escalated = sample_alarm_event();  // ESCALATED: on its bed's events and on escalations
  out.events.push_back(escalated);
  out.active.push_back({"bed-12", 1'700'000'004'000, {escalated}});
  out.sessions.push_back(sample_session_state());
  const auto msgs = to_outgoing("site/ward3", out);
  ASSERT_EQ(msgs.size(), 4u);
  const std::string topics[] = {
      "site/ward3/json/beds/bed-12/alarms/events", "site/ward3/json/escalations",
      "site/ward3/json/beds/bed-12/alarms/active",
      "site/ward3/json/beds/" + sample_session_state().bed_id + "/session"};
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    const auto json = json_view_of("site/ward3", msgs[i]);
    ASSERT_TRUE(json.has_value()) << msgs[i].topic;
    EXPECT_EQ(json->topic, topics[i]);
    EXPECT_EQ(json->retained, msgs[i].retained) << msgs[i].topic;
    EXPECT_EQ(json->qos, msgs[i].qos);
    EXPECT_EQ(json->payload.front(), '{');
  }
  const auto event = json_view_of("site/ward3", msgs[0]);
  EXPECT_NE(event->payload.find(R"("alarm_id":"bed-12:SBP_HIGH:3")"), std::string::npos)
      << event->payload;
  EXPECT_NE(event->payload.find(R"("transition":"TRANSITION_ESCALATED")"), std::string::npos);
  EXPECT_NE(event->payload.find(R"("value":186)"), std::string::npos);
  const auto active = json_view_of("site/ward3", msgs[2]);
  EXPECT_NE(active->payload.find(R"("alarms":[{"alarm_id":"bed-12:SBP_HIGH:3")"), std::string::npos)
      << active->payload;
}

TEST(json_view_test, a_topic_that_is_not_an_output_or_bytes_that_do_not_decode_have_none) {
  EXPECT_FALSE(json_view_of("clinic", {"clinic/beds/b1/vitals/heart_rate", "", false, 0}));
  EXPECT_FALSE(json_view_of("clinic", {"other/beds/b1/alarms/events", "", false, 1}));
  EXPECT_FALSE(json_view_of("clinic", {"clinic/beds/b1/alarms/events", "\xff\xff", false, 1}));
}

}  // namespace
}  // namespace vigil::codec
