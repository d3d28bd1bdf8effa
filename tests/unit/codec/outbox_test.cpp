#include "codec/outbox.hpp"

#include <gtest/gtest.h>

#include "codec/codec.hpp"
#include "samples.hpp"

namespace vigil::codec {
namespace {

using namespace test;

TEST(outbox_test, each_event_goes_to_its_beds_events_topic_not_retained) {
  core::engine_output out;
  auto raised = sample_alarm_event();
  raised.transition = core::transition::raised;
  out.events = {raised, raised};
  out.events[1].bed_id = "bed-9";

  const auto msgs = to_outgoing("clinic", out);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].topic, "clinic/beds/bed-12/alarms/events");
  EXPECT_EQ(msgs[1].topic, "clinic/beds/bed-9/alarms/events");
  for (const auto& m : msgs) {
    EXPECT_FALSE(m.retained);
    EXPECT_EQ(m.qos, 1);
  }
  EXPECT_EQ(msgs[0].payload, encode(out.events[0]));
}

TEST(outbox_test, escalated_event_is_also_published_on_escalations) {
  core::engine_output out;
  out.events = {sample_alarm_event()};
  ASSERT_EQ(out.events[0].transition, core::transition::escalated);

  const auto msgs = to_outgoing("clinic", out);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].topic, "clinic/beds/bed-12/alarms/events");
  EXPECT_EQ(msgs[1].topic, "clinic/escalations");
  EXPECT_FALSE(msgs[1].retained);
  EXPECT_EQ(msgs[1].qos, 1);
  EXPECT_EQ(msgs[1].payload, msgs[0].payload);
}

TEST(outbox_test, changed_beds_get_retained_active_and_session_snapshots_from_the_engine) {
  core::engine engine;
  core::engine_output out;
  out.alarms_changed = {"bed-1", "bed-2"};
  out.sessions_changed = {"bed-2"};
  engine.advance(0, out);  // the end of the instant: the snapshots of the changed beds

  const auto msgs = to_outgoing("clinic", out);
  ASSERT_EQ(msgs.size(), 3u);
  EXPECT_EQ(msgs[0].topic, "clinic/beds/bed-1/alarms/active");
  EXPECT_EQ(msgs[0].payload, encode(engine.active("bed-1")));
  EXPECT_EQ(msgs[1].topic, "clinic/beds/bed-2/alarms/active");
  EXPECT_EQ(msgs[1].payload, encode(engine.active("bed-2")));
  EXPECT_EQ(msgs[2].topic, "clinic/beds/bed-2/session");
  EXPECT_EQ(msgs[2].payload, encode(engine.session("bed-2")));
  for (const auto& m : msgs) {
    EXPECT_TRUE(m.retained) << m.topic;
    EXPECT_EQ(m.qos, 1);
  }
}

TEST(outbox_test, daemon_status_is_retained_on_its_instance_topic) {
  const auto status = sample_daemon_status();
  const auto m = daemon_status_message("clinic", status);
  EXPECT_EQ(m.topic, "clinic/daemon/ward-a/status");
  EXPECT_TRUE(m.retained);
  EXPECT_EQ(m.qos, 1);
  const auto d = decode_daemon_status(m.payload);
  ASSERT_TRUE(d) << d.error();
  EXPECT_EQ(d.value(), status);
}

}  // namespace
}  // namespace vigil::codec
