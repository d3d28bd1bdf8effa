#include "ctl/parse.hpp"

#include <gtest/gtest.h>

namespace vigil::ctl {
namespace {

TEST(bed_of_alarm_id_test, is_the_part_before_the_first_colon) {
  EXPECT_EQ(bed_of_alarm_id("chair-1:SBP_HIGH:1"), "chair-1");
  EXPECT_EQ(bed_of_alarm_id("ward_3.b:HR_SIGNAL_LOST:12"), "ward_3.b");
}

TEST(bed_of_alarm_id_test, rejects_ids_that_no_alarm_can_have) {
  for (const char* id :
       {"", "chair-1", "chair-1:SBP_HIGH", "chair-1:SBP_HIGH:", ":SBP_HIGH:1", "chair-1::1",
        "chair-1:SBP_HIGH:x", "chair 1:SBP_HIGH:1", "chair-1:SBP_HIGH:1:2"}) {
    EXPECT_FALSE(bed_of_alarm_id(id)) << id;
  }
}

TEST(topic_matches_test, plus_matches_exactly_one_level) {
  EXPECT_TRUE(topic_matches("clinic/beds/+/session", "clinic/beds/chair-1/session"));
  EXPECT_FALSE(topic_matches("clinic/beds/+/session", "clinic/beds/chair-1/alarms/active"));
  EXPECT_FALSE(topic_matches("clinic/beds/+/session", "clinic/beds/session"));
  EXPECT_FALSE(topic_matches("clinic/beds/+/session", "clinic/beds/chair-1/session/x"));
}

TEST(topic_matches_test, literal_levels_must_be_equal_and_hash_matches_the_rest) {
  EXPECT_TRUE(topic_matches("clinic/escalations", "clinic/escalations"));
  EXPECT_FALSE(topic_matches("clinic/escalations", "other/escalations"));
  EXPECT_TRUE(topic_matches("a/b/#", "a/b/c/d"));
  EXPECT_TRUE(topic_matches("a/b/#", "a/b"));
  EXPECT_FALSE(topic_matches("a/b/#", "a/c"));
}

}  // namespace
}  // namespace vigil::ctl
