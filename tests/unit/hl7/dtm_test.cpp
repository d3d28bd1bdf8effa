// DTM to Unix ms: offsets, precision, the sender's zone when there is none, DST both ways.
// Expected values worked out by hand (and checked with Python's zoneinfo), not by this code.
#include <gtest/gtest.h>

#include <string>

#include "hl7/ack.hpp"
#include "hl7/dtm.hpp"
#include "hl7/tz.hpp"

namespace vigil::hl7 {
namespace {

std::int64_t ms(std::string_view text, std::string_view zone = "UTC") {
  const auto r = parse_dtm(text, zone);
  EXPECT_TRUE(r.value.has_value()) << text << ": " << r.error;
  return r.value ? r.value->unix_ms : -1;
}

std::string error(std::string_view text, std::string_view zone = "UTC") {
  const auto r = parse_dtm(text, zone);
  return r.value ? "parsed" : r.error;
}

TEST(Dtm, Offsets) {
  EXPECT_EQ(ms("20240601120000+0000"), 1717243200000);
  EXPECT_EQ(ms("20240601120000-0000"), 1717243200000);  // RFC 3339: UTC, local offset unknown
  EXPECT_EQ(ms("20240229120000-0330"), 1709220600000);
  EXPECT_EQ(ms("20090813095725+0500"), 1250139445000);
  EXPECT_TRUE(parse_dtm("20240601120000+0000", "Nowhere/Nothing").value->had_offset);
}

TEST(Dtm, Precision) {
  EXPECT_EQ(ms("19991231235959.999+0000"), 946684799999);
  EXPECT_EQ(ms("19991231235959.9+0000"), 946684799900);
  EXPECT_EQ(ms("19991231235959.9999+0000"), 946684799999);  // 4 digits: tenths of ms dropped
  EXPECT_EQ(ms("202406011200+0000"), 1717243200000);
  EXPECT_EQ(ms("2024060112+0000"), 1717243200000);
  EXPECT_EQ(ms("20240601+0000"), 1717200000000);
}

TEST(Dtm, NoOffsetUsesTheSendersZone) {
  const auto r = parse_dtm("20240601135950", "Europe/Berlin");  // CEST, +2
  ASSERT_TRUE(r.value.has_value()) << r.error;
  EXPECT_EQ(r.value->unix_ms, 1717243190000);
  EXPECT_FALSE(r.value->had_offset);
  EXPECT_EQ(ms("20240601115950", "UTC"), 1717243190000);
  EXPECT_EQ(ms("20081211144500", "America/New_York"), 1229024700000);  // EST, -5
}

TEST(Dtm, AcrossSpringForward) {
  // New York, 2024-03-10: 01:59:59 EST is followed by 03:00:00 EDT, one second later.
  EXPECT_EQ(ms("20240310015959", "America/New_York"), 1710053999000);
  EXPECT_EQ(ms("20240310030000", "America/New_York"), 1710054000000);
  // Berlin, 2024-03-31: 02:30 does not exist; read with the offset before the change (+1).
  EXPECT_EQ(ms("20240331023000", "Europe/Berlin"), 1711848600000);
}

TEST(Dtm, AcrossFallBack) {
  // Berlin, 2024-10-27: 02:30 happens twice; the first (CEST, +2) is taken.
  EXPECT_EQ(ms("20241027023000", "Europe/Berlin"), 1729989000000);
  // An hour before and after are unambiguous: 01:30 CEST = 23:30Z, 03:30 CET = 02:30Z.
  EXPECT_EQ(ms("20241027013000", "Europe/Berlin"), 1729989000000 - 3600000);
  EXPECT_EQ(ms("20241027033000", "Europe/Berlin"), 1729989000000 + 2 * 3600000);
}

TEST(Dtm, AfterTheLastTransitionTheFooterRuleApplies) {
  // 2040 is past the transitions Debian's tzdata lists (2037): the POSIX TZ footer decides.
  EXPECT_EQ(ms("20400701120000", "Europe/Berlin"), 2224749600000);
  EXPECT_EQ(ms("20400115120000", "Europe/Berlin"), 2210238000000);
  EXPECT_EQ(ms("20400115120000", "Australia/Sydney"), 2210202000000);  // southern summer, +11
}

TEST(Dtm, Errors) {
  EXPECT_EQ(error(""), "DTM '' is not YYYYMMDD[HH[MM[SS[.S...]]]][+/-ZZZZ]");
  EXPECT_EQ(error("2024"), "DTM '2024' is not YYYYMMDD[HH[MM[SS[.S...]]]][+/-ZZZZ]");
  EXPECT_EQ(error("2024060112000"),
            "DTM '2024060112000' is not YYYYMMDD[HH[MM[SS[.S...]]]][+/-ZZZZ]");
  EXPECT_EQ(error("2024-06-01"), "DTM '2024-06-01' is not YYYYMMDD[HH[MM[SS[.S...]]]][+/-ZZZZ]");
  EXPECT_EQ(error("20240230120000"), "DTM '20240230120000' is not a real date and time");
  EXPECT_EQ(error("20240601246000"), "DTM '20240601246000' is not a real date and time");
  EXPECT_EQ(error("202406011200.5"),
            "DTM '202406011200.5': the fraction needs seconds and 1 to 4 digits");
  EXPECT_EQ(error("20240601120000.12345"),
            "DTM '20240601120000.12345': the fraction needs seconds and 1 to 4 digits");
  EXPECT_EQ(error("20240601120000+05"),
            "DTM '20240601120000+05': the offset is not +ZZZZ or -ZZZZ");
  EXPECT_EQ(error("20240601120000+2500"), "DTM '20240601120000+2500': the offset is out of range");
  EXPECT_EQ(error("20240601120000", "Mars/Olympus"),
            "DTM '20240601120000' has no offset and the time zone 'Mars/Olympus' is unknown");
  EXPECT_EQ(error("20240601120000", "../../etc/passwd"),
            "DTM '20240601120000' has no offset and the time zone '../../etc/passwd' is unknown");
}

TEST(TimeZone, RejectsWhatIsNotTzif) {
  EXPECT_FALSE(time_zone::from_tzif("").has_value());
  EXPECT_FALSE(time_zone::from_tzif("TZif2 but nothing else").has_value());
  EXPECT_EQ(find_zone("Europe"), nullptr);  // a directory
  EXPECT_EQ(find_zone("/etc/localtime"), nullptr);
  ASSERT_NE(find_zone("UTC"), nullptr);
  EXPECT_EQ(find_zone("UTC")->offset_at(1717243200), 0);
  ASSERT_NE(find_zone("Asia/Kolkata"), nullptr);
  EXPECT_EQ(find_zone("Asia/Kolkata")->offset_at(1717243200), 19800);
}

TEST(Dtm, FormatUtc) {
  EXPECT_EQ(format_dtm_utc(1717243200000), "20240601120000.000+0000");
  EXPECT_EQ(format_dtm_utc(946684799999), "19991231235959.999+0000");
  EXPECT_EQ(format_dtm_utc(1709208000007), "20240229120000.007+0000");
}

}  // namespace
}  // namespace vigil::hl7
