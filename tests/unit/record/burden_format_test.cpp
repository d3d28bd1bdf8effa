// The alarm burden's table, CSV and JSON, for a tiny report written out by hand.
#include "record/burden_format.hpp"

#include <gtest/gtest.h>

#include <string>

#include "burden_week.hpp"

namespace vigil::record::testing {
namespace {

using P = core::priority;

// One HR_HIGH alarm escalated to HIGH and acknowledged at 45 s, one nuisance MEDIUM one, on
// bay1 over a day with 3 bed-hours.
burden_report tiny() {
  burden_figures f;
  f.alarms = 2;
  f.in_session = 2;
  f.per_bed_hour = 2.0 / 3;
  f.priority_rose = 1;
  f.acknowledged = 1;
  f.share_acknowledged = 0.5;
  f.ack_median_s = 45;
  f.ack_p90_s = 45;
  f.nuisance = 1;
  f.share_nuisance = 0.5;
  f.escalations = 1;
  f.escalations_by_level = {0, 1};
  f.minutes_in_alarm = 200 / 60.0;
  burden_report r;
  r.since_ms = T0;
  r.until_ms = T0 + day_ms;
  r.bed = "bay1";
  r.bed_hours = 3;
  r.sessions = 2;
  r.cells = {{"HR_HIGH", P::high, f}};
  r.by_condition = {{"HR_HIGH", P::unspecified, f}};
  r.by_priority = {{"", P::high, f}};
  r.total = f;
  return r;
}

TEST(burden_format_test, iso_utc) {
  EXPECT_EQ(iso_utc(T0), "2024-03-04T00:00:00Z");
  EXPECT_EQ(iso_utc(at(6, 23, 59, 59) + 250), "2024-03-10T23:59:59.250Z");
  EXPECT_EQ(iso_utc(1'709'164'800'000), "2024-02-29T00:00:00Z");  // T0 - 4 days: leap day
  EXPECT_EQ(iso_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(iso_utc(-1), "1969-12-31T23:59:59.999Z");
}

TEST(burden_format_test, json) {
  const std::string f =
      "\"alarms\":2,\"in_session\":2,\"idle\":0,\"per_bed_hour\":0.6667,\"priority_rose\":1,"
      "\"acknowledged\":1,\"share_acknowledged\":0.5,\"ack_median_s\":45,\"ack_p90_s\":45,"
      "\"nuisance\":1,\"share_nuisance\":0.5,\"escalations\":1,\"escalations_by_level\":[0,1],"
      "\"minutes_in_alarm\":3.3333,\"notices\":0";
  EXPECT_EQ(format_json(tiny()),
            "{\"since\":\"2024-03-04T00:00:00Z\",\"until\":\"2024-03-05T00:00:00Z\","
            "\"since_ms\":1709510400000,\"until_ms\":1709596800000,\"bed\":\"bay1\","
            "\"bed_hours\":3,\"sessions\":2,\"nuisance_max_s\":30,"
            "\"cells\":[{\"condition\":\"HR_HIGH\",\"priority\":\"HIGH\"," +
                f + "}],\"by_condition\":[{\"condition\":\"HR_HIGH\"," + f +
                "}],\"by_priority\":[{\"priority\":\"HIGH\"," + f + "}],\"total\":{" + f + "}}\n");
}

TEST(burden_format_test, json_escapes_strings_and_writes_absent_figures_as_null) {
  burden_report r;
  r.since_ms = T0;
  r.until_ms = T0;
  r.bed = "bay \"A\"\\\n\t\x01";
  EXPECT_EQ(format_json(r),
            "{\"since\":\"2024-03-04T00:00:00Z\",\"until\":\"2024-03-04T00:00:00Z\","
            "\"since_ms\":1709510400000,\"until_ms\":1709510400000,"
            "\"bed\":\"bay \\\"A\\\"\\\\\\n\\t\\u0001\",\"bed_hours\":0,\"sessions\":0,"
            "\"nuisance_max_s\":30,\"cells\":[],\"by_condition\":[],\"by_priority\":[],"
            "\"total\":{\"alarms\":0,\"in_session\":0,\"idle\":0,\"per_bed_hour\":null,"
            "\"priority_rose\":0,\"acknowledged\":0,\"share_acknowledged\":null,"
            "\"ack_median_s\":null,\"ack_p90_s\":null,\"nuisance\":0,\"share_nuisance\":null,"
            "\"escalations\":0,\"escalations_by_level\":[],\"minutes_in_alarm\":0,"
            "\"notices\":0}}\n");
  r.bed.reset();
  EXPECT_NE(format_json(r).find(",\"bed\":null,"), std::string::npos);
}

const std::string csv_header =
    "window_start,window_end,bed,bed_hours,condition,priority,alarms,in_session,idle,"
    "per_bed_hour,priority_rose,acknowledged,share_acknowledged,ack_median_s,ack_p90_s,nuisance,"
    "share_nuisance,escalations,escalations_level_0,escalations_level_1,escalations_level_2,"
    "escalations_level_3,minutes_in_alarm,notices\r\n";

TEST(burden_format_test, csv) {
  const std::string lead = "2024-03-04T00:00:00Z,2024-03-05T00:00:00Z,bay1,3,";
  const std::string figures = "2,2,0,0.6667,1,1,0.5,45,45,1,0.5,1,0,1,0,0,3.3333,0\r\n";
  EXPECT_EQ(format_csv(tiny()),
            csv_header + lead + "HR_HIGH,HIGH," + figures + lead + "ALL,ALL," + figures);
}

TEST(burden_format_test, csv_quotes_by_rfc_4180_and_leaves_absent_figures_empty) {
  auto r = tiny();
  r.bed = "bay \"A\",1";
  r.cells[0].condition = "ODD\nNAME";
  r.total = {};
  const std::string lead = "2024-03-04T00:00:00Z,2024-03-05T00:00:00Z,\"bay \"\"A\"\",1\",3,";
  EXPECT_EQ(format_csv(r),
            csv_header + lead + "\"ODD\nNAME\",HIGH,2,2,0,0.6667,1,1,0.5,45,45,1,0.5,1,0,1,0,0," +
                "3.3333,0\r\n" + lead + "ALL,ALL,0,0,0,,0,0,,,,0,,0,0,0,0,0,0,0\r\n");
}

TEST(burden_format_test, csv_grows_a_column_per_level_past_3) {
  auto r = tiny();
  r.total.escalations_by_level = {0, 1, 0, 0, 0, 2};
  const auto csv = format_csv(r);
  EXPECT_NE(csv.find(",escalations_level_3,escalations_level_4,escalations_level_5,minutes"),
            std::string::npos);
  EXPECT_NE(csv.find(",0,1,0,0,0,2,3.3333,0\r\n"), std::string::npos);  // the totals row
}

TEST(burden_format_test, table) {
  const std::string rule(131, '-');
  const std::string figures =
      "2     0   0.667     1      1   50.0%       45.0       45.0         1  50.0%      1      "
      "     3.3        0\n";
  EXPECT_EQ(format_table(tiny()),
            "Alarm burden 2024-03-04T00:00:00Z to 2024-03-05T00:00:00Z, bed bay1: 3.00 "
            "bed-hours monitored in 2 sessions\n"
            "condition  priority  alarms  idle  /bed-h  rose  acked  acked%  ack p50 s  "
            "ack p90 s  nuisance  nuis%  escal  min in alarm  notices\n" +
                rule + "\nHR_HIGH    HIGH           " + figures + rule +
                "\nHR_HIGH    ALL            " + figures + rule + "\nALL        HIGH           " +
                figures + rule + "\nALL        ALL            " + figures +
                "Escalations by level: 1: 1\n"
                "/bed-h: alarms raised in a session per bed-hour monitored; rose: raised below "
                "the priority counted\n"
                "ack p50/p90: s from onset, nearest rank; nuisance: ended within 30 s, "
                "unacknowledged; -: not defined\n");
}

TEST(burden_format_test, table_of_nothing) {
  burden_report r;
  r.since_ms = T0;
  r.until_ms = T0 + day_ms;
  const auto text = format_table(r);
  EXPECT_NE(text.find(", all beds: 0.00 bed-hours monitored in 0 sessions\n"), std::string::npos);
  EXPECT_NE(text.find("\nALL        ALL            0     0       -     0      0       -"),
            std::string::npos);
  EXPECT_NE(text.find("Escalations by level: none\n"), std::string::npos);
}

}  // namespace
}  // namespace vigil::record::testing
