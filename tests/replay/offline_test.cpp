// The offline player: the engine on the recording's clock, imported acks resolved at play time.
#include <gtest/gtest.h>

#include "codec/codec.hpp"
#include "replay/csv_import.hpp"
#include "replay/offline.hpp"
#include "temp_dir.hpp"

namespace vigil::replay {
namespace {

constexpr core::time_ms start = 1'700'000'000'000;

struct played {
  offline_report report;
  std::vector<core::alarm_event> events;
};

played play(const std::filesystem::path& rec, offline_options opts = {}) {
  played p;
  p.report = play_offline(rec, opts, [&](const core::alarm_event& e) { p.events.push_back(e); });
  return p;
}

std::filesystem::path import(const test::temp_dir& dir, const std::string& csv,
                             const std::string& prefix = "clinic") {
  const auto csv_path = dir.write("s.csv", csv);
  const auto rec = dir.path() / "s.rec";
  const auto r = import_csv(csv_path, rec, {"7", start, prefix, "offline_test"});
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? r.io_error : r.errors[0].to_string());
  return rec;
}

// Copies a recording and closes the copy with an end frame at `end`.
std::filesystem::path with_end(const std::filesystem::path& rec, core::time_ms end) {
  auto out = rec;
  out.replace_filename("ended.rec");
  io::recording_reader r;
  EXPECT_TRUE(r.open(rec));
  io::recording_writer w;
  EXPECT_FALSE(w.open(out, r.header()));
  while (auto f = r.next()) EXPECT_FALSE(w.append(f->time, f->topic, f->payload));
  EXPECT_FALSE(w.close(end));
  return out;
}

std::vector<const core::alarm_event*> of(const played& p, std::string_view condition) {
  std::vector<const core::alarm_event*> out;
  for (const auto& e : p.events) {
    if (e.condition == condition) out.push_back(&e);
  }
  return out;
}

// Infusion from 0 s, heart rate 0..3 s, then only what `tail` adds.
std::string hr_stops_after_3s(const std::string& tail) {
  return "time_s,hr_bpm,sbp_mmhg,dbp_mmhg,event\n"
         "0,80,120,80,infusion_started planned_minutes=45\n"
         "1,80,,,\n2,80,,,\n3,80,,,\n" +
         tail;
}

TEST(offline_test, deadline_between_frames_fires_at_its_own_time_in_order) {
  test::temp_dir dir;
  const auto p = play(import(dir, hr_stops_after_3s("30,80,,,\n")));
  ASSERT_TRUE(p.report.ok());
  const auto lost = of(p, "HR_SIGNAL_LOST");
  ASSERT_EQ(lost.size(), 2U);
  EXPECT_EQ(lost[0]->transition, core::transition::raised);
  EXPECT_EQ(lost[0]->at_ms, start + 13'000);  // last valid HR at 3 s + hr_stale 10 s
  EXPECT_EQ(lost[1]->transition, core::transition::ended);
  EXPECT_EQ(lost[1]->at_ms, start + 30'000);
  for (std::size_t i = 1; i < p.events.size(); ++i) {
    EXPECT_LE(p.events[i - 1].at_ms, p.events[i].at_ms);
  }
}

TEST(offline_test, clock_stops_at_the_last_frame_so_later_deadlines_do_not_fire) {
  test::temp_dir dir;
  // The last frame (a cuff reading) 1 ms before the signal-lost deadline, then at it.
  const auto before = play(import(dir, hr_stops_after_3s("12.999,,121,80,\n")));
  EXPECT_TRUE(of(before, "HR_SIGNAL_LOST").empty());
  const auto at = play(import(dir, hr_stops_after_3s("13,,121,80,\n")));
  ASSERT_EQ(of(at, "HR_SIGNAL_LOST").size(), 1U);
  EXPECT_EQ(of(at, "HR_SIGNAL_LOST")[0]->at_ms, start + 13'000);
}

TEST(offline_test, end_frame_runs_the_clock_to_the_recorded_end) {
  test::temp_dir dir;
  const auto rec = import(dir, hr_stops_after_3s(""));
  EXPECT_TRUE(of(play(with_end(rec, start + 12'999)), "HR_SIGNAL_LOST").empty());
  const auto ended = play(with_end(rec, start + 13'000));
  ASSERT_EQ(of(ended, "HR_SIGNAL_LOST").size(), 1U);
  EXPECT_EQ(of(ended, "HR_SIGNAL_LOST")[0]->at_ms, start + 13'000);
}

TEST(offline_test, imported_ack_acknowledges_the_open_alarm_of_its_condition) {
  test::temp_dir dir;
  const auto p = play(import(dir,
                             "time_s,sbp_mmhg,dbp_mmhg,event\n"
                             "0,185,90,\n"
                             "20,,,ack SBP_HIGH by=nurse.ana\n"));
  ASSERT_TRUE(p.report.ok());
  EXPECT_TRUE(p.report.warnings.empty());
  const auto sbp = of(p, "SBP_HIGH");
  ASSERT_EQ(sbp.size(), 2U);
  EXPECT_EQ(sbp[0]->transition, core::transition::raised);
  EXPECT_EQ(sbp[1]->transition, core::transition::acknowledged);
  EXPECT_EQ(sbp[1]->alarm_id, sbp[0]->alarm_id);
  EXPECT_EQ(sbp[1]->acknowledged_by, "nurse.ana");
  EXPECT_EQ(sbp[1]->at_ms, start + 20'000);
}

TEST(offline_test, ack_without_an_open_alarm_is_passed_on_with_a_warning) {
  test::temp_dir dir;
  const auto p = play(import(dir, "time_s,hr_bpm,event\n0,70,\n5,70,ack HR_HIGH\n"));
  ASSERT_TRUE(p.report.ok());
  EXPECT_TRUE(p.events.empty());
  ASSERT_EQ(p.report.warnings.size(), 1U);
  EXPECT_NE(p.report.warnings[0].find("ack HR_HIGH found no open HR_HIGH alarm"), std::string::npos)
      << p.report.warnings[0];
}

TEST(offline_test, same_recording_gives_byte_identical_output_on_every_run) {
  test::temp_dir dir;
  const auto rec = import(dir, hr_stops_after_3s("30,80,190,115,\n200,80,,,\n"));
  const auto json = [&] {
    std::string out;
    play_offline(rec, {},
                 [&](const core::alarm_event& e) { out += codec::to_json_line(e) + "\n"; });
    return out;
  };
  const std::string first = json();
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(json(), first);
}

TEST(offline_test, recording_under_another_prefix_plays_with_that_prefix) {
  test::temp_dir dir;
  const auto rec = import(dir, "time_s,sbp_mmhg,dbp_mmhg\n0,185,90\n", "ward3/icu");
  offline_options opts;
  opts.prefix = "ward3/icu";
  EXPECT_EQ(of(play(rec, opts), "SBP_HIGH").size(), 1U);
  const auto wrong = play(rec);  // default prefix "clinic": every frame dropped, and said so
  EXPECT_TRUE(wrong.events.empty());
  EXPECT_FALSE(wrong.report.warnings.empty());
}

TEST(offline_test, truncated_final_frame_plays_the_whole_frames_with_a_warning) {
  const auto p = play(VIGIL_TEST_DATA "/broken/truncated_frame.rec");
  ASSERT_TRUE(p.report.ok());
  EXPECT_EQ(p.report.frames, 7U);
  ASSERT_FALSE(p.report.warnings.empty());
  EXPECT_TRUE(p.report.warnings.back().starts_with("byte 650: truncated frame"));
}

TEST(offline_test, truncated_final_frame_is_an_error_when_strict) {
  offline_options strict;
  strict.accept_truncated_tail = false;
  const auto p = play(VIGIL_TEST_DATA "/broken/truncated_frame.rec", strict);
  ASSERT_FALSE(p.report.ok());
  EXPECT_EQ(p.report.error->offset, 650U);
}

TEST(offline_test, corrupt_frame_is_an_error_naming_its_byte) {
  const auto p = play(VIGIL_TEST_DATA "/broken/bad_checksum.rec");
  ASSERT_FALSE(p.report.ok());
  EXPECT_EQ(p.report.error->message, "byte 183: frame checksum mismatch");
}

}  // namespace
}  // namespace vigil::replay
