// The session CSV of contract.md: what a valid file becomes, and every malformed cell of the
// committed broken files reported with file, line and column.
#include <gtest/gtest.h>

#include <filesystem>

#include "file_bytes.hpp"
#include "replay/session_csv.hpp"

namespace vigil::replay {
namespace {

const csv_options bed7{"7", 1'000'000};

csv_result parse(std::string_view text) { return parse_session_csv(text, "t.csv", bed7); }

std::vector<std::string> error_texts(const csv_result& r) {
  std::vector<std::string> out;
  for (const auto& e : r.errors) out.push_back(e.to_string());
  return out;
}

TEST(session_csv_test, row_gives_heart_rate_then_blood_pressure_then_event_at_start_plus_time) {
  const auto r = parse(
      "time_s,hr_bpm,sbp_mmhg,dbp_mmhg,map_mmhg,bp_source,event\n"
      "1.024,88,120,80,93,arterial,monitor_offline\n");
  ASSERT_TRUE(r.errors.empty()) << error_texts(r)[0];
  ASSERT_EQ(r.items.size(), 3U);
  for (const auto& i : r.items) EXPECT_EQ(i.time, 1'001'024);
  const auto& hr = std::get<core::heart_rate>(r.items[0].message);
  EXPECT_EQ(hr.bpm, 88);
  EXPECT_EQ(hr.device_id, "csv:7");
  EXPECT_EQ(hr.measured_at_ms, 1'001'024);
  const auto& bp = std::get<core::blood_pressure>(r.items[1].message);
  EXPECT_EQ(bp.systolic_mmhg, 120);
  EXPECT_EQ(bp.diastolic_mmhg, 80);
  EXPECT_EQ(bp.mean_mmhg, 93);
  EXPECT_EQ(bp.source, core::bp_source::arterial);
  EXPECT_GT(bp.seq, hr.seq);
  EXPECT_EQ(std::get<core::monitor_status>(r.items[2].message).state, core::monitor_state::offline);
}

TEST(session_csv_test, columns_are_found_by_name_and_unknown_ones_ignored) {
  const auto r = parse(
      "note,dbp_mmhg,time_s,spo2,sbp_mmhg\n"
      "hello,70,0,97,110\n");
  ASSERT_TRUE(r.errors.empty());
  ASSERT_EQ(r.items.size(), 1U);
  const auto& bp = std::get<core::blood_pressure>(r.items[0].message);
  EXPECT_EQ(bp.systolic_mmhg, 110);
  EXPECT_EQ(bp.diastolic_mmhg, 70);
  EXPECT_FALSE(bp.mean_mmhg);
  EXPECT_EQ(bp.source, core::bp_source::nibp);
}

TEST(session_csv_test, empty_cells_give_no_message_and_equal_times_are_allowed) {
  const auto r = parse("time_s,hr_bpm,event\n0,,\n0,70,\n");
  ASSERT_TRUE(r.errors.empty());
  ASSERT_EQ(r.items.size(), 1U);
}

TEST(session_csv_test, infusion_events_carry_the_session_given_or_a_numbered_default) {
  const auto r = parse(
      "time_s,event\n"
      "0,infusion_started planned_minutes=40\n"
      "1,infusion_paused\n"
      "2,infusion_resumed\n"
      "3,infusion_stopped\n"
      "4,infusion_started session=k2 planned_minutes=55\n");
  ASSERT_TRUE(r.errors.empty()) << error_texts(r)[0];
  ASSERT_EQ(r.items.size(), 5U);
  const auto& first = std::get<core::infusion_event>(r.items[0].message);
  EXPECT_EQ(first.kind, core::infusion_kind::started);
  EXPECT_EQ(first.planned_minutes, 40U);
  EXPECT_EQ(first.session_id, "7-1");
  EXPECT_EQ(first.at_ms, 1'000'000);
  EXPECT_EQ(std::get<core::infusion_event>(r.items[1].message).kind, core::infusion_kind::paused);
  EXPECT_EQ(std::get<core::infusion_event>(r.items[2].message).kind, core::infusion_kind::resumed);
  const auto& stop = std::get<core::infusion_event>(r.items[3].message);
  EXPECT_EQ(stop.kind, core::infusion_kind::stopped);
  EXPECT_EQ(stop.session_id, "7-1");
  const auto& second = std::get<core::infusion_event>(r.items[4].message);
  EXPECT_EQ(second.session_id, "k2");
  EXPECT_EQ(second.planned_minutes, 55U);
}

TEST(session_csv_test, ack_becomes_a_placeholder_id_resolved_at_play_time) {
  const auto r = parse("time_s,event\n5,ack SBP_HIGH by=nurse.ana\n6,ack HR_LOW\n");
  ASSERT_TRUE(r.errors.empty());
  const auto& a = std::get<core::alarm_ack>(r.items[0].message);
  EXPECT_EQ(a.alarm_id, "7:SBP_HIGH:?");
  EXPECT_EQ(a.by, "nurse.ana");
  EXPECT_EQ(a.at_ms, 1'005'000);
  EXPECT_EQ(std::get<core::alarm_ack>(r.items[1].message).by, "csv");
}

TEST(session_csv_test, quoted_fields_crlf_and_byte_order_mark_are_accepted) {
  const auto r = parse("\xEF\xBB\xBFtime_s,hr_bpm,event\r\n0,\"71\",\"ack HR_HIGH by=a\"\r\n");
  ASSERT_TRUE(r.errors.empty()) << error_texts(r)[0];
  ASSERT_EQ(r.items.size(), 2U);
  EXPECT_EQ(std::get<core::heart_rate>(r.items[0].message).bpm, 71);
}

TEST(session_csv_test, a_file_with_errors_yields_no_items) {
  const auto r = parse("time_s,hr_bpm\n0,70\n1,abc\n2,72\n");
  EXPECT_EQ(r.errors.size(), 1U);
  EXPECT_TRUE(r.items.empty());
}

struct broken_csv {
  const char* file;
  std::vector<std::string> errors;  // after "{file}:", in order
};

void PrintTo(const broken_csv& c, std::ostream* os) { *os << c.file; }

class broken_csv_test : public testing::TestWithParam<broken_csv> {};

TEST_P(broken_csv_test, every_error_is_reported_with_file_line_and_column) {
  const broken_csv& c = GetParam();
  const auto path = std::filesystem::path(VIGIL_TEST_DATA "/broken") / c.file;
  const auto r = parse_session_csv(file_bytes(path), c.file, bed7);
  std::vector<std::string> expected;
  for (const auto& e : c.errors) expected.push_back(std::string(c.file) + ":" + e);
  EXPECT_EQ(error_texts(r), expected);
  EXPECT_TRUE(r.items.empty());
}

INSTANTIATE_TEST_SUITE_P(
    committed_files, broken_csv_test,
    testing::Values(
        broken_csv{"bad_number.csv", {"3:2: hr_bpm: \"8o\" is not a number"}},
        broken_csv{"decreasing_time.csv",
                   {"4:1: time_s: \"1.5\" is before the previous row's time_s 2"}},
        broken_csv{"unknown_event.csv",
                   {"3:3: event: \"infusion_begun\" is not an event (infusion_started, "
                    "infusion_paused, infusion_resumed, infusion_stopped, monitor_offline, "
                    "monitor_online, ack)"}},
        broken_csv{"sbp_without_dbp.csv", {"3:2: sbp_mmhg: sbp_mmhg without dbp_mmhg"}},
        broken_csv{"bad_bp_source.csv",
                   {"3:4: bp_source: \"cuff\" is not a bp_source (nibp or arterial)"}},
        broken_csv{"no_time_column.csv", {"1: no time_s column in the header"}},
        broken_csv{"missing_time.csv", {"2:1: time_s: empty: every row needs a time"}},
        broken_csv{"wrong_field_count.csv", {"3:3: event: row has 2 fields, the header has 3"}},
        broken_csv{"bad_infusion_started.csv",
                   {"2:2: event: infusion_started needs planned_minutes=N",
                    "4:2: event: planned_minutes \"forty\" is not a whole number > 0"}},
        broken_csv{"bad_ack.csv",
                   {"2:2: event: \"SPB_HIGH\" is not an alarm condition that can be "
                    "acknowledged",
                    "3:2: event: ack needs a CONDITION, e.g. \"ack SBP_HIGH by=nurse\"",
                    "4:2: event: \"who=ana\" is not an argument of \"ack\" (expected by=...)"}},
        broken_csv{"empty.csv", {"1: empty file: no header row"}},
        broken_csv{
            "many_errors.csv",
            {"3:2: hr_bpm: \"x\" is not a number", "3:3: sbp_mmhg: sbp_mmhg without dbp_mmhg",
             "4:1: time_s: \"0.5\" is before the previous row's time_s 1",
             "4:5: map_mmhg: map_mmhg without sbp_mmhg and dbp_mmhg",
             "4:7: event: \"monitor_sleep\" is not an event (infusion_started, "
             "infusion_paused, infusion_resumed, infusion_stopped, monitor_offline, "
             "monitor_online, ack)",
             "5:7: event: \"infusion_paused\" takes no arguments, got \"now\""}}));

class real_csv_test : public testing::TestWithParam<const char*> {};

TEST_P(real_csv_test, real_recording_parses_with_every_row_in_time_order) {
  const auto path = std::filesystem::path(VIGIL_TEST_DATA "/real") / GetParam();
  const std::string text = file_bytes(path);
  ASSERT_FALSE(text.empty()) << path;
  const auto r = parse_session_csv(text, GetParam(), bed7);
  EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors[0].to_string());
  ASSERT_FALSE(r.items.empty());
  EXPECT_EQ(r.items.front().time, bed7.start_ms);  // both files start at time_s 0
  for (std::size_t i = 1; i < r.items.size(); ++i) {
    ASSERT_LE(r.items[i - 1].time, r.items[i].time) << "item " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(committed_files, real_csv_test,
                         testing::Values("case02_intraop_1hz.csv", "case05_icu_1min.csv"));

}  // namespace
}  // namespace vigil::replay
