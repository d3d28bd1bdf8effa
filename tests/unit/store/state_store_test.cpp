#include "store/state_store.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/engine.hpp"

namespace vigil::store {
namespace {

namespace fs = std::filesystem;

class state_store_test : public ::testing::Test {
 protected:
  fs::path dir;
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("vigil-store-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  // A bed with an open, acknowledged alarm, a baseline and counters, made by the real engine.
  static core::bed_state busy_bed() {
    core::engine eng;
    core::engine_output out;
    core::blood_pressure bp;
    bp.device_id = "d";
    bp.systolic_mmhg = 124;
    bp.diastolic_mmhg = 78;
    eng.on_blood_pressure("chair-1", bp, 0, out);
    core::infusion_event start;
    start.kind = core::infusion_kind::started;
    start.planned_minutes = 40;
    eng.on_infusion("chair-1", start, 1'000, out);
    bp.systolic_mmhg = 186;
    eng.on_blood_pressure("chair-1", bp, 2'000, out);
    eng.on_ack("chair-1", {"chair-1:SBP_HIGH:1", "kim", 3'000}, 3'000, out);
    return *eng.state_of("chair-1");
  }
};

TEST_F(state_store_test, a_saved_bed_loads_back_equal) {
  const auto bed = busy_bed();
  state_store s(dir);
  ASSERT_FALSE(s.save(bed));
  auto report = state_store(dir).load_all();
  ASSERT_TRUE(report.problems.empty());
  ASSERT_EQ(report.beds.size(), 1u);
  const auto& b = report.beds[0];
  EXPECT_EQ(state_store::serialize(b), state_store::serialize(bed));
  EXPECT_EQ(b.phase, core::phase::infusion);
  EXPECT_EQ(b.baseline->systolic, 124);
  const auto& sbp = b.open[core::index(core::condition_id::sbp_high)];
  ASSERT_TRUE(sbp);
  EXPECT_EQ(sbp->state, core::alarm_state::acknowledged);
  EXPECT_EQ(sbp->acknowledged_by, "kim");
  EXPECT_EQ(*sbp->remind_at, 123'000);
  EXPECT_EQ(sbp->last.text, bed.open[core::index(core::condition_id::sbp_high)]->last.text);
  EXPECT_EQ(b.event_seq, bed.event_seq);
}

TEST_F(state_store_test, saving_again_replaces_the_file) {
  auto bed = busy_bed();
  state_store s(dir);
  s.save(bed);
  bed.event_seq = 99;
  s.save(bed);
  auto report = s.load_all();
  ASSERT_EQ(report.beds.size(), 1u);
  EXPECT_EQ(report.beds[0].event_seq, 99u);
}

TEST_F(state_store_test, a_corrupt_file_is_reported_and_moved_aside) {
  state_store s(dir);
  s.save(busy_bed());
  const fs::path file = dir / "beds" / "bed-chair-1.state";
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(30);
    f.put('\x7f');
  }
  auto report = s.load_all();
  EXPECT_TRUE(report.beds.empty());
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].find("bed-chair-1.state: checksum mismatch; moved to"),
            std::string::npos)
      << report.problems[0];
  EXPECT_FALSE(fs::exists(file));
  EXPECT_FALSE(fs::is_empty(dir / "corrupt"));
}

TEST_F(state_store_test, truncated_and_foreign_files_are_reported) {
  state_store s(dir);
  const std::string good = state_store::serialize(busy_bed());
  std::ofstream(dir / "beds" / "bed-a.state", std::ios::binary) << good.substr(0, good.size() - 3);
  std::ofstream(dir / "beds" / "bed-b.state", std::ios::binary) << "hello";
  auto report = s.load_all();
  ASSERT_EQ(report.problems.size(), 2u);
  EXPECT_NE(report.problems[0].find("does not match the"), std::string::npos);
  EXPECT_NE(report.problems[1].find("not a vigild state file"), std::string::npos);
}

TEST_F(state_store_test, a_file_under_another_beds_name_is_rejected) {
  state_store s(dir);
  std::ofstream(dir / "beds" / "bed-chair-9.state", std::ios::binary)
      << state_store::serialize(busy_bed());
  auto report = s.load_all();
  EXPECT_TRUE(report.beds.empty());
  ASSERT_EQ(report.problems.size(), 1u);
}

TEST_F(state_store_test, a_leftover_temporary_file_is_discarded_and_the_old_state_kept) {
  state_store s(dir);
  s.save(busy_bed());
  std::ofstream(dir / "beds" / "bed-chair-1.state.tmp", std::ios::binary) << "half";
  auto report = s.load_all();
  EXPECT_EQ(report.beds.size(), 1u);
  EXPECT_TRUE(report.problems.empty());
  EXPECT_FALSE(fs::exists(dir / "beds" / "bed-chair-1.state.tmp"));
}

}  // namespace
}  // namespace vigil::store
