// Reading vigild 0.1's per-bed state files and importing them. The format-2 files are the
// ones vigild 0.1 wrote in tests/data/state-0.1 (see its README); format 1 is written here
// byte by byte as 0.1's own tests did.
#include "store/legacy_files.hpp"

#include <gtest/gtest.h>

#include <boost/crc.hpp>
#include <fstream>
#include <iterator>
#include <sstream>

#include "store/bed_record.hpp"
#include "store/sqlite_store.hpp"
#include "store_fixture.hpp"

namespace vigil::store {
namespace {

namespace fs = std::filesystem;

const fs::path release_0_1 = fs::path(VIGIL_SOURCE_DIR) / "tests/data/state-0.1/beds";

std::string read_all(const fs::path& file) {
  // Not istreambuf_iterator: at -O2 GCC 12 warns about a null dereference in libstdc++'s
  // streambuf there (-Wnull-dereference), which fails the release build.
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void put_u32(std::string& s, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// Format 1: "VIGILST1", u32 length, u32 CRC-32 of the record, the record.
std::string format_1(const core::bed_state& bed) {
  const std::string record = encode_bed(bed);
  boost::crc_32_type crc;
  crc.process_bytes(record.data(), record.size());
  std::string file = "VIGILST1";
  put_u32(file, static_cast<std::uint32_t>(record.size()));
  put_u32(file, crc.checksum());
  return file + record;
}

// Format 2 slots start at 4096 and 4096 + slot size; a record starts 12 bytes into its slot.
void flip_byte(std::string& bytes, std::size_t at) {
  bytes[at] = static_cast<char>(bytes[at] ^ 0x40);
}

class legacy_files_test : public store_fixture {
 protected:
  std::string parse_error(const std::string& bytes) {
    std::string error, warning;
    EXPECT_FALSE(legacy::parse_file(bytes, error, warning));
    return error;
  }
  void write(const std::string& name, const std::string& bytes) {
    fs::create_directories(dir / "beds");
    std::ofstream(dir / "beds" / name, std::ios::binary) << bytes;
  }
  void copy_release_0_1() {
    fs::create_directories(dir / "beds");
    for (const auto& e : fs::directory_iterator(release_0_1))
      fs::copy_file(e.path(), dir / "beds" / e.path().filename());
  }
};

TEST_F(legacy_files_test, a_format_1_file_parses_to_the_bed_it_holds) {
  const auto bed = busy_bed();
  std::string error, warning;
  const auto parsed = legacy::parse_file(format_1(bed), error, warning);
  ASSERT_TRUE(parsed) << error;
  EXPECT_EQ(encode_bed(*parsed), encode_bed(bed));
  EXPECT_TRUE(warning.empty());
}

TEST_F(legacy_files_test, truncated_foreign_and_damaged_files_say_why) {
  const std::string good = format_1(busy_bed());
  EXPECT_NE(parse_error(good.substr(0, good.size() - 3)).find("does not match the"),
            std::string::npos);
  EXPECT_NE(parse_error("hello").find("not a vigild state file"), std::string::npos);
  std::string flipped = good;
  flip_byte(flipped, good.size() - 5);
  EXPECT_EQ(parse_error(flipped), "checksum mismatch");
}

TEST_F(legacy_files_test, a_file_written_by_release_0_1_parses) {
  const std::string bytes = read_all(release_0_1 / "bed-chair-1.state");
  ASSERT_EQ(bytes.substr(0, 8), "VIGILST2");
  std::string error, warning;
  const auto bed = legacy::parse_file(bytes, error, warning);
  ASSERT_TRUE(bed) << error;
  EXPECT_EQ(bed->id, "chair-1");
  EXPECT_TRUE(warning.empty()) << warning;
}

TEST_F(legacy_files_test, a_torn_newer_slot_gives_the_older_one_and_a_warning) {
  std::string bytes = read_all(release_0_1 / "bed-chair-1.state");
  std::string error, warning;
  const auto newest = legacy::parse_file(bytes, error, warning);
  ASSERT_TRUE(newest) << error;
  // Find the slot holding the newest state by tearing each in turn.
  for (std::size_t slot : {0u, 1u}) {
    std::string torn = bytes;
    flip_byte(torn, 4096 + slot * 4096 + 12 + 40);
    warning.clear();
    const auto bed = legacy::parse_file(torn, error, warning);
    ASSERT_TRUE(bed) << error;
    if (encode_bed(*bed) == encode_bed(*newest)) continue;  // tore the older slot
    EXPECT_LT(bed->event_seq, newest->event_seq);
    EXPECT_NE(warning.find("slot " + std::to_string(slot) + " not intact (checksum mismatch"),
              std::string::npos)
        << warning;
    return;
  }
  FAIL() << "no slot held an older state: the file has been saved only once";
}

TEST_F(legacy_files_test, migrate_imports_every_bed_and_moves_the_files_aside) {
  copy_release_0_1();
  auto s = open_sqlite_store(dir / "vigil.db", "clinic");
  const auto report = legacy::migrate(dir, *s);
  EXPECT_EQ(report.files, 3u);
  EXPECT_EQ(report.imported, 3u);
  EXPECT_TRUE(report.problems.empty());
  EXPECT_FALSE(fs::exists(dir / "beds"));
  ASSERT_TRUE(fs::exists(report.moved_to / "bed-chair-1.state"));
  EXPECT_EQ(report.moved_to.parent_path(), dir);
  const auto loaded = s->load();
  ASSERT_EQ(loaded.beds.size(), 3u);
  EXPECT_EQ(loaded.beds[0].id, "chair-1");
  EXPECT_EQ(loaded.beds[2].id, "chair-3");
  // Nothing left to import the next time.
  EXPECT_TRUE(legacy::migrate(dir, *s).moved_to.empty());
}

TEST_F(legacy_files_test, a_corrupt_or_misnamed_file_is_set_aside_and_the_others_imported) {
  copy_release_0_1();
  write("bed-broken.state", "VIGILST1 and then nonsense");
  write("bed-chair-9.state", format_1(busy_bed("chair-7")));
  auto s = open_sqlite_store(dir / "vigil.db", "clinic");
  const auto report = legacy::migrate(dir, *s);
  EXPECT_EQ(report.files, 5u);
  EXPECT_EQ(report.imported, 3u);
  ASSERT_EQ(report.problems.size(), 2u);
  EXPECT_NE(report.problems[0].find("bed-broken.state: "), std::string::npos);
  EXPECT_NE(report.problems[1].find("holds bed 'chair-7', which is not the bed its name says"),
            std::string::npos)
      << report.problems[1];
  EXPECT_NE(report.problems[1].find("moved to " + (dir / "corrupt").string()), std::string::npos);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "corrupt"), fs::directory_iterator()), 2);
  EXPECT_EQ(s->load().beds.size(), 3u);
}

TEST_F(legacy_files_test, a_migration_cut_off_after_its_commit_keeps_what_the_store_has) {
  copy_release_0_1();
  auto s = open_sqlite_store(dir / "vigil.db", "clinic");
  auto newer = busy_bed("chair-1");
  newer.event_seq = 1000;
  change_set c;
  c.beds = {make_row(newer)};
  s->commit(c);
  const auto report = legacy::migrate(dir, *s);
  EXPECT_EQ(report.imported, 2u);
  EXPECT_EQ(report.kept, 1u);
  EXPECT_EQ(s->load().beds[0].event_seq, 1000u);
}

}  // namespace
}  // namespace vigil::store
