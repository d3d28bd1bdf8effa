// The ER7 parser: delimiters from MSH-1/MSH-2, segment ends, the structure, escapes, errors.
#include <gtest/gtest.h>

#include <string>

#include "hl7/er7.hpp"
#include "hl7/text.hpp"
#include "hl7_test_support.hpp"

namespace vigil::hl7 {
namespace {

message parsed(std::string_view text) {
  message m;
  const auto e = parse_er7(text, m);
  EXPECT_FALSE(e.has_value()) << (e ? e->text : "");
  return m;
}

std::string error_of(std::string_view text) {
  message m;
  const auto e = parse_er7(text, m);
  return e ? cat(e->segment, '/', e->segment_index, '/', e->field, ": ", e->text) : "no error";
}

TEST(Er7, FieldsRepetitionsComponentsSubcomponents) {
  const auto m = parsed("MSH|^~\\&|APP^ID^EUI-64|FAC\rOBX|1|NM|a^b&c&d^e~f^g||x\r");
  ASSERT_EQ(m.segments().size(), 2U);
  const segment& msh = m.segments()[0];
  EXPECT_EQ(msh.id(), "MSH");
  EXPECT_EQ(msh.field(1), "|");
  EXPECT_EQ(msh.field(2), "^~\\&");
  EXPECT_EQ(msh.field(3), "APP^ID^EUI-64");
  EXPECT_EQ(msh.field(4), "FAC");
  EXPECT_EQ(msh.field(5), "");
  const segment& obx = m.segments()[1];
  EXPECT_EQ(obx.field(1), "1");
  EXPECT_EQ(obx.field(4), "");
  EXPECT_EQ(obx.field(5), "x");
  EXPECT_EQ(obx.field(6), "");
  const auto reps = m.repetitions(obx.field(3));
  ASSERT_EQ(reps.size(), 2U);
  EXPECT_EQ(m.component(reps[0], 1), "a");
  EXPECT_EQ(m.component(reps[0], 2), "b&c&d");
  EXPECT_EQ(m.subcomponent(m.component(reps[0], 2), 1), "b");
  EXPECT_EQ(m.subcomponent(m.component(reps[0], 2), 3), "d");
  EXPECT_EQ(m.subcomponent(m.component(reps[0], 2), 4), "");
  EXPECT_EQ(m.component(reps[0], 3), "e");
  EXPECT_EQ(m.component(reps[0], 4), "");
  EXPECT_EQ(m.component(reps[1], 2), "g");
  EXPECT_EQ(m.text(obx, 3, 2), "b&c&d");  // text: first repetition's component, unescaped
}

TEST(Er7, DelimitersComeFromTheMessage) {
  const auto m = parsed(test::data_file("bad/own_delimiters.hl7"));
  EXPECT_EQ(m.delims().field, '!');
  EXPECT_EQ(m.delims().component, '@');
  EXPECT_EQ(m.delims().repetition, '*');
  EXPECT_EQ(m.delims().escape, '$');
  EXPECT_EQ(m.delims().subcomponent, '%');
  const segment* pv1 = m.find("PV1");
  ASSERT_NE(pv1, nullptr);
  EXPECT_EQ(m.text(*pv1, 3, 2), "7");
  EXPECT_EQ(*m.unescape("a$F$b$S$c$E$"), "a!b@c$");
  EXPECT_EQ(*m.reencode("x@y|z^w$T$"), "x^y\\F\\z\\S\\w\\T\\");
}

TEST(Er7, FifthEncodingCharacterIsTruncation) {
  const auto m = parsed("MSH|^~\\&#|A\rNTE|1||a\\P\\b#c\r");
  EXPECT_EQ(m.delims().truncation, '#');
  EXPECT_EQ(m.text(m.segments()[1], 3), "a#b#c");
}

TEST(Er7, EachEscapeSequence) {
  const auto m = parsed("MSH|^~\\&|A\r");
  EXPECT_EQ(*m.unescape("\\F\\"), "|");
  EXPECT_EQ(*m.unescape("\\S\\"), "^");
  EXPECT_EQ(*m.unescape("\\T\\"), "&");
  EXPECT_EQ(*m.unescape("\\R\\"), "~");
  EXPECT_EQ(*m.unescape("\\E\\"), "\\");
  // Back to back (ruby-hl7 #80), at the end (HL7-dotnetcore #113), an escaped "\R\" (python-hl7
  // #84).
  EXPECT_EQ(*m.unescape("\\F\\\\S\\"), "|^");
  EXPECT_EQ(*m.unescape("abc\\E\\"), "abc\\");
  EXPECT_EQ(*m.unescape("\\E\\R\\E\\"), "\\R\\");
  // Passed through as written.
  EXPECT_EQ(*m.unescape("\\X41\\ \\H\\b\\N\\ \\.br\\"), "\\X41\\ \\H\\b\\N\\ \\.br\\");
  // Not closed.
  EXPECT_FALSE(m.unescape("7\\E").has_value());
  EXPECT_EQ(escape_text("a|b^c&d~e\\f\rg\n"), "a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\X0D\\g\\X0A\\");
}

TEST(Er7, ExplicitNull) {
  const auto m = parsed("MSH|^~\\&|A\rPID|||\"\"|x^\"\"\r");
  const segment& pid = m.segments()[1];
  EXPECT_TRUE(message::is_null(pid.field(3)));
  EXPECT_EQ(m.text(pid, 3), "");
  EXPECT_EQ(m.text(pid, 4, 2), "");
  EXPECT_FALSE(message::is_null(pid.field(4)));
}

TEST(Er7, LfAndCrLfEndSegmentsOnlyAtSegmentBoundaries) {
  const auto cr = parsed(test::data_file("bad/good.hl7"));
  const auto lf = parsed(test::data_file("bad/lf_segments.hl7"));
  const auto crlf = parsed(test::data_file("bad/crlf_segments.hl7"));
  ASSERT_EQ(cr.segments().size(), 9U);
  ASSERT_EQ(lf.segments().size(), 9U);
  ASSERT_EQ(crlf.segments().size(), 9U);
  for (std::size_t i = 0; i < 9; ++i) {
    EXPECT_EQ(lf.segments()[i].fields, cr.segments()[i].fields) << i;
    EXPECT_EQ(crlf.segments()[i].fields, cr.segments()[i].fields) << i;
  }
  const auto nte = parsed(test::data_file("bad/lf_inside_nte.hl7"));
  ASSERT_EQ(nte.segments().size(), 10U);
  EXPECT_EQ(nte.segments()[4].id(), "NTE");
  EXPECT_EQ(nte.text(nte.segments()[4], 3), "first line\nsecond line");
}

TEST(Er7, Errors) {
  EXPECT_EQ(error_of(""), "/0/0: empty message (no MSH segment)");
  EXPECT_EQ(error_of(test::data_file("bad/whitespace.hl7")),
            "/0/0: empty message (no MSH segment)");
  EXPECT_EQ(error_of(test::data_file("bad/not_hl7.hl7")),
            "/1/0: the message does not start with MSH (starts with 'GET')");
  EXPECT_EQ(error_of("MSH|^~\\"),
            "MSH/1/2: MSH is too short to hold its delimiters (MSH-1, MSH-2)");
  EXPECT_EQ(error_of("MSH|^~\\&XY|A"),
            "MSH/1/2: MSH-2 must hold 4 or 5 encoding characters, not 6");
  EXPECT_EQ(error_of("MSH|^~\\^|A"), "MSH/1/2: MSH uses the delimiter '^' twice");
  EXPECT_EQ(error_of("MSHA^~\\&A"),
            "MSH/1/1: MSH delimiter 'A' is not allowed (letters, digits, space, CR, LF)");
  EXPECT_EQ(error_of("MSH|^~\\&|A\rPID|1\rpv1|x\r"),
            "/3/0: segment 3 starts with 'pv1|', not a segment id (3 capitals or digits, then the "
            "field separator)");
  EXPECT_EQ(error_of("MSH|^~\\&|A\rOBXX|1\r"),
            "/2/0: segment 2 starts with 'OBXX', not a segment id (3 capitals or digits, then the "
            "field separator)");
  EXPECT_EQ(error_of("MSH|^~\\&|A\rMSH|^~\\#|B\r"),
            "MSH/2/2: MSH at segment 2 changes the delimiters");
}

TEST(Er7, ErrorKeepsTheSegmentsBefore) {
  message m;
  ASSERT_TRUE(parse_er7("MSH|^~\\&|A|B|C|D|t||ORU^R01|ID7|P|2.6\rPID|1\r!bad\r", m).has_value());
  ASSERT_EQ(m.segments().size(), 2U);
  EXPECT_EQ(m.segments()[0].field(10), "ID7");
}

TEST(Er7, LeadingLineEndsAndBlankLinesAreTolerated) {
  const auto m = parsed("\r\nMSH|^~\\&|A\r\r\nPID|1\n\n");
  ASSERT_EQ(m.segments().size(), 2U);
  EXPECT_EQ(m.segments()[1].id(), "PID");
}

TEST(Er7, MessageCopiesKeepTheirText) {
  message copy;
  {
    const message original = parsed("MSH|^~\\&|A\rPID|1|2\r");
    copy = original;
  }
  EXPECT_EQ(copy.segments()[1].field(2), "2");
}

}  // namespace
}  // namespace vigil::hl7
