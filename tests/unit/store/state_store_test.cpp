#include "store/state_store.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <iterator>

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

// Format 2: a 4096-byte header page, then two slots of `slot_size` bytes (4096 for a bed this
// small): 8 bytes of sequence number, 4 of CRC, then the record.
constexpr std::streamoff slot0 = 4096, slot1 = 8192, record_at = 12;

void flip_byte(const fs::path& file, std::streamoff at) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(at);
  const char c = static_cast<char>(f.get());
  f.seekp(at);
  f.put(static_cast<char>(c ^ 0x40));
}

std::string read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST_F(state_store_test, a_corrupt_file_is_reported_and_moved_aside) {
  state_store s(dir);
  s.save(busy_bed());
  s.save(busy_bed());  // both slots written
  const fs::path file = dir / "beds" / "bed-chair-1.state";
  flip_byte(file, slot0 + record_at + 30);
  flip_byte(file, slot1 + record_at + 30);
  auto report = state_store(dir).load_all();
  EXPECT_TRUE(report.beds.empty());
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].find("bed-chair-1.state: no intact slot (slot 0: checksum "
                                    "mismatch; slot 1: checksum mismatch); moved to"),
            std::string::npos)
      << report.problems[0];
  EXPECT_FALSE(fs::exists(file));
  EXPECT_FALSE(fs::is_empty(dir / "corrupt"));
}

TEST_F(state_store_test, saves_after_the_first_overwrite_the_older_slot_in_place) {
  auto bed = busy_bed();
  state_store s(dir);
  const fs::path file = dir / "beds" / "bed-chair-1.state";
  ASSERT_FALSE(s.save(bed));
  EXPECT_EQ(fs::file_size(file), 4096u + 2 * 4096u);
  struct stat first {};
  ASSERT_EQ(::stat(file.c_str(), &first), 0);
  for (std::uint64_t seq = 10; seq < 15; ++seq) {
    bed.event_seq = seq;
    ASSERT_FALSE(s.save(bed));
    struct stat now {};
    ASSERT_EQ(::stat(file.c_str(), &now), 0);
    EXPECT_EQ(now.st_ino, first.st_ino) << "a save replaced the file instead of writing a slot";
    auto report = state_store(dir).load_all();
    ASSERT_EQ(report.beds.size(), 1u);
    EXPECT_EQ(report.beds[0].event_seq, seq);
    EXPECT_TRUE(report.warnings.empty());
  }
}

TEST_F(state_store_test, a_save_cut_off_in_its_slot_leaves_the_previous_state_and_a_warning) {
  auto bed = busy_bed();
  state_store s(dir);
  bed.event_seq = 7;
  s.save(bed);  // makes the file: slot 0
  bed.event_seq = 8;
  s.save(bed);  // slot 1
  // A crash in the middle of the next save, into slot 0: half its record written.
  const fs::path file = dir / "beds" / "bed-chair-1.state";
  flip_byte(file, slot0 + record_at + 40);
  auto report = state_store(dir).load_all();
  ASSERT_EQ(report.beds.size(), 1u);
  EXPECT_EQ(report.beds[0].event_seq, 8u);
  EXPECT_TRUE(report.problems.empty());
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("slot 0 not intact (checksum mismatch"), std::string::npos)
      << report.warnings[0];

  // The newest slot torn instead: the state before it, which is all that was ever published.
  bed.event_seq = 9;
  state_store again(dir);
  again.load_all();
  again.save(bed);  // into slot 0 (the torn one), leaving 8 in slot 1
  flip_byte(file, slot0 + 3);  // its sequence number
  report = state_store(dir).load_all();
  ASSERT_EQ(report.beds.size(), 1u);
  EXPECT_EQ(report.beds[0].event_seq, 8u);
  EXPECT_EQ(report.warnings.size(), 1u);
}

TEST_F(state_store_test, a_record_that_outgrows_its_slot_gets_a_bigger_file) {
  auto bed = busy_bed();
  state_store s(dir);
  s.save(bed);
  bed.session_id = std::string(10'000, 's');
  ASSERT_FALSE(s.save(bed));
  const fs::path file = dir / "beds" / "bed-chair-1.state";
  EXPECT_GT(fs::file_size(file), 3u * 4096u);
  bed.event_seq = 42;
  ASSERT_FALSE(s.save(bed));
  auto report = state_store(dir).load_all();
  ASSERT_EQ(report.beds.size(), 1u);
  EXPECT_EQ(report.beds[0].session_id, bed.session_id);
  EXPECT_EQ(report.beds[0].event_seq, 42u);
}

TEST_F(state_store_test, a_format_1_file_loads_and_its_next_save_writes_format_2) {
  const auto bed = busy_bed();
  const fs::path file = dir / "beds" / "bed-chair-1.state";
  state_store s(dir);
  std::ofstream(file, std::ios::binary) << state_store::serialize(bed);  // as earlier versions did
  auto report = s.load_all();
  ASSERT_EQ(report.beds.size(), 1u);
  EXPECT_EQ(state_store::serialize(report.beds[0]), state_store::serialize(bed));
  ASSERT_FALSE(s.save(report.beds[0]));
  EXPECT_EQ(read_all(file).substr(0, 8), "VIGILST2");
  report = state_store(dir).load_all();
  ASSERT_EQ(report.beds.size(), 1u);
  EXPECT_EQ(state_store::serialize(report.beds[0]), state_store::serialize(bed));
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
