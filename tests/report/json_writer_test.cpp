// The FHIR bundle's JSON writer: escaping, numbers at a fixed precision, commas in the right
// places, and the result read back by a real JSON parser (protobuf's, into a Struct).
#include "report/json_writer.hpp"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cmath>

namespace vigil::report {
namespace {

TEST(json_writer, escapes_quotes_backslashes_and_control_characters) {
  EXPECT_EQ(json_quote("plain"), "\"plain\"");
  EXPECT_EQ(json_quote("say \"hi\" \\ bye"), R"("say \"hi\" \\ bye")");
  EXPECT_EQ(json_quote("a\nb\tc\rd\be\ff"), R"("a\nb\tc\rd\be\ff")");
  EXPECT_EQ(json_quote(std::string("x\x01y\x1fz", 5)), R"("x\u0001y\u001fz")");
  EXPECT_EQ(json_quote("SBP 186 mmHg \u2265 180"), "\"SBP 186 mmHg \u2265 180\"") << "UTF-8 as is";
}

TEST(json_writer, numbers_at_a_fixed_precision_without_trailing_zeros) {
  const auto one = [](double v, int d = 1) { return json_writer{}.decimal(v, d).str(); };
  EXPECT_EQ(one(82.4), "82.4");
  EXPECT_EQ(one(82.44), "82.4");
  EXPECT_EQ(one(82.46), "82.5");
  EXPECT_EQ(one(186.0), "186");
  EXPECT_EQ(one(0.0), "0");
  EXPECT_EQ(one(-0.01), "0");
  EXPECT_EQ(one(-3.25, 2), "-3.25");
  EXPECT_EQ(one(120.0, 0), "120");
  EXPECT_EQ(one(std::nan("")), "null");
  EXPECT_EQ(json_writer{}.integer(-42).str(), "-42");
}

TEST(json_writer, nested_objects_and_arrays_read_back) {
  json_writer j;
  j.begin_object().field("name", "bed \"7\"\n").key("list").begin_array();
  j.integer(1).decimal(2.5).begin_object().end_object().begin_array().end_array();
  j.string("x").end_array().key("empty").begin_object().end_object().end_object();
  EXPECT_EQ(j.str(), R"({"name":"bed \"7\"\n","list":[1,2.5,{},[],"x"],"empty":{}})");
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(j.str(), &parsed).ok());
  EXPECT_EQ(parsed.fields().at("name").string_value(), "bed \"7\"\n");
  EXPECT_EQ(parsed.fields().at("list").list_value().values_size(), 5);
}

}  // namespace
}  // namespace vigil::report
