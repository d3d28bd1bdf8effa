#include "codec/topics.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace vigil::codec {
namespace {

TEST(bed_id_test, accepts_one_to_sixty_four_allowed_characters) {
  EXPECT_TRUE(valid_bed_id("7"));
  EXPECT_TRUE(valid_bed_id("ICU-2.bed_07"));
  EXPECT_TRUE(valid_bed_id(std::string(64, 'b')));
  EXPECT_FALSE(valid_bed_id(std::string(65, 'b')));
  EXPECT_FALSE(valid_bed_id(""));
}

TEST(bed_id_test, rejects_any_other_character) {
  const std::string bad_ids[] = {"bed 1",     "bed/1", "bed+",  "bed#",
                                 "b\xc3\xa9", "bed:1", "bed\n", std::string("be\0d", 4)};
  for (const auto& bad : bad_ids) {
    EXPECT_FALSE(valid_bed_id(bad)) << bad;
  }
}

TEST(parse_topic_test, every_built_input_topic_parses_back_to_its_bed_and_kind) {
  for (const auto k : all_input_kinds) {
    const auto parsed = parse_input_topic("clinic", input_topic_name("clinic", "bed-12", k));
    ASSERT_TRUE(parsed) << to_string(k);
    EXPECT_EQ(parsed.value().bed, "bed-12");
    EXPECT_EQ(parsed.value().kind, k);
  }
}

TEST(parse_topic_test, prefix_may_have_several_levels) {
  const auto parsed = parse_input_topic("site/ward-a", "site/ward-a/beds/3/vitals/heart_rate");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed.value().bed, "3");
  EXPECT_EQ(parsed.value().kind, input_kind::heart_rate);
}

TEST(parse_topic_test, bed_ids_of_sixty_four_and_sixty_five_characters) {
  const std::string b64(64, 'x');
  const std::string b65(65, 'x');
  EXPECT_TRUE(parse_input_topic("clinic", "clinic/beds/" + b64 + "/vitals/heart_rate"));
  const auto too_long = parse_input_topic("clinic", "clinic/beds/" + b65 + "/vitals/heart_rate");
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error(), topic_error::bad_bed_id);
}

TEST(parse_topic_test, bad_characters_and_empty_bed_are_bad_bed_ids) {
  for (const char* t : {"clinic/beds/bed 1/infusion", "clinic/beds/b\xc3\xa9/alarms/ack",
                        "clinic/beds//vitals/blood_pressure"}) {
    const auto parsed = parse_input_topic("clinic", t);
    ASSERT_FALSE(parsed) << t;
    EXPECT_EQ(parsed.error(), topic_error::bad_bed_id) << t;
  }
}

TEST(parse_topic_test, other_prefixes_are_not_under_prefix) {
  for (const char* t : {"hospital/beds/1/vitals/heart_rate", "clinicX/beds/1/vitals/heart_rate",
                        "clinic", "clinic/", "clinic/beds", "/clinic/beds/1/vitals/heart_rate",
                        "clinic/escalations", "clinic/daemon/a/status", ""}) {
    const auto parsed = parse_input_topic("clinic", t);
    ASSERT_FALSE(parsed) << t;
    EXPECT_EQ(parsed.error(), topic_error::not_under_prefix) << t;
  }
}

TEST(parse_topic_test, extra_missing_or_output_levels_are_unknown_topics) {
  for (const char* t :
       {"clinic/beds/1/vitals/heart_rate/x", "clinic/beds/1/2/vitals/heart_rate",
        "clinic/beds/1/vitals", "clinic/beds/1", "clinic/beds/1/", "clinic/beds/1/alarms/events",
        "clinic/beds/1/alarms/active", "clinic/beds/1/session", "clinic/beds/1/vitals/spo2",
        "clinic/beds/bad bed/vitals/spo2"}) {
    const auto parsed = parse_input_topic("clinic", t);
    ASSERT_FALSE(parsed) << t;
    EXPECT_EQ(parsed.error(), topic_error::unknown_topic) << t;
  }
}

TEST(topic_builder_test, builds_the_contracts_topic_tree) {
  EXPECT_EQ(input_topic_name("clinic", "b1", input_kind::heart_rate),
            "clinic/beds/b1/vitals/heart_rate");
  EXPECT_EQ(input_topic_name("clinic", "b1", input_kind::blood_pressure),
            "clinic/beds/b1/vitals/blood_pressure");
  EXPECT_EQ(input_topic_name("clinic", "b1", input_kind::monitor_status),
            "clinic/beds/b1/monitor/status");
  EXPECT_EQ(input_topic_name("clinic", "b1", input_kind::infusion), "clinic/beds/b1/infusion");
  EXPECT_EQ(input_topic_name("clinic", "b1", input_kind::ack), "clinic/beds/b1/alarms/ack");
  EXPECT_EQ(alarm_events_topic("clinic", "b1"), "clinic/beds/b1/alarms/events");
  EXPECT_EQ(active_alarms_topic("clinic", "b1"), "clinic/beds/b1/alarms/active");
  EXPECT_EQ(session_topic("clinic", "b1"), "clinic/beds/b1/session");
  EXPECT_EQ(escalations_topic("clinic"), "clinic/escalations");
  EXPECT_EQ(daemon_status_topic("clinic", "ward-a"), "clinic/daemon/ward-a/status");
}

TEST(topic_builder_test, subscribes_to_the_five_input_topics_of_every_bed_and_the_requests) {
  const std::vector<std::string> inputs{
      "clinic/beds/+/vitals/heart_rate", "clinic/beds/+/vitals/blood_pressure",
      "clinic/beds/+/monitor/status", "clinic/beds/+/infusion", "clinic/beds/+/alarms/ack"};
  EXPECT_EQ(input_filters("clinic"), inputs);
  auto all = inputs;
  all.emplace_back("clinic/history/request");
  EXPECT_EQ(subscription_filters("clinic"), all);
  EXPECT_EQ(history_response_root("clinic"), "clinic/history/response/");
}

// The parser as first written (find the slash, look the leaf up, then judge the bed id): the
// one-pass parser must classify every topic the same way.
result<input_topic_ref, topic_error> reference_parse(std::string_view prefix,
                                                     std::string_view topic) {
  if (!topic.starts_with(prefix) || !topic.substr(prefix.size()).starts_with("/beds/")) {
    return failure{topic_error::not_under_prefix};
  }
  const std::string_view rest = topic.substr(prefix.size() + 6);
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return failure{topic_error::unknown_topic};
  const std::string_view bed = rest.substr(0, slash);
  const std::string_view leaf = rest.substr(slash + 1);
  for (const auto k : all_input_kinds) {
    const std::string suffix = input_topic_name("", "", k).substr(7);  // "/beds//" + suffix
    if (leaf == suffix) {
      if (!valid_bed_id(bed)) return failure{topic_error::bad_bed_id};
      return input_topic_ref{bed, k};
    }
  }
  return failure{topic_error::unknown_topic};
}

TEST(parse_topic_test, classifies_generated_topics_as_the_reference_parser_does) {
  const std::vector<std::string> pieces = {"clinic",
                                           "/beds/",
                                           "/beds",
                                           "beds/",
                                           "/",
                                           "bed-7",
                                           "a.b_c-9",
                                           "b%d",
                                           "",
                                           "\xc3\xa9",
                                           std::string(64, 'x'),
                                           std::string(65, 'y'),
                                           "vitals/heart_rate",
                                           "vitals/blood_pressure",
                                           "monitor/status",
                                           "infusion",
                                           "alarms/ack",
                                           "alarms/events",
                                           "vitals/heart_rat",
                                           "vitals/heart_rate/",
                                           "alarms/ackx",
                                           "infusio",
                                           std::string("\0", 1)};
  std::mt19937 rng(3);
  for (const std::string prefix : {"clinic", "a/b", ""}) {
    for (int i = 0; i < 20000; ++i) {
      std::string topic = i % 3 == 0 ? prefix + "/beds/" : "";
      for (int n = static_cast<int>(rng() % 5); n > 0; --n) topic += pieces[rng() % pieces.size()];
      const auto got = parse_input_topic_ref(prefix, topic);
      const auto want = reference_parse(prefix, topic);
      ASSERT_EQ(got.ok(), want.ok()) << topic;
      if (!want.ok()) {
        ASSERT_EQ(got.error(), want.error()) << topic;
      } else {
        ASSERT_EQ(got.value().bed, want.value().bed) << topic;
        ASSERT_EQ(got.value().kind, want.value().kind) << topic;
      }
    }
  }
}

}  // namespace
}  // namespace vigil::codec
