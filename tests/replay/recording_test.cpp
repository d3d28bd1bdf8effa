// The recording format: round trips, and what a crash or a cut leaves readable.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/crc.hpp>
#include <filesystem>
#include <fstream>

#include "file_bytes.hpp"
#include "io/crc32.hpp"
#include "io/recording.hpp"
#include "temp_dir.hpp"

namespace vigil::io {
namespace {

using replay::file_bytes;

struct owned_frame {
  frame_kind kind;
  core::time_ms time;
  std::string topic;
  std::string payload;
  std::uint64_t offset;
};

struct read_back {
  recording_header header;
  std::vector<owned_frame> frames;
  std::optional<read_error> error;
};

read_back read_all(const std::filesystem::path& p) {
  read_back r;
  recording_reader reader;
  if (reader.open(p)) {
    r.header = reader.header();
    while (auto f = reader.next()) {
      r.frames.push_back(
          {f->kind, f->time, std::string(f->topic), std::string(f->payload), f->offset});
    }
  }
  r.error = reader.error();
  return r;
}

void write_bytes(const std::filesystem::path& p, std::string_view bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

const recording_header test_header{format_version, 1'700'000'000'000, "recording_test"};

// Three frames: an ordinary one, one with binary payload (NULs), one with an empty payload.
std::filesystem::path write_three(const test::temp_dir& dir) {
  const auto path = dir.path() / "three.rec";
  recording_writer w;
  EXPECT_FALSE(w.open(path, test_header));
  EXPECT_FALSE(w.append(1000, "clinic/beds/7/vitals/heart_rate",
                        "\x0a\x03"
                        "abc"));
  EXPECT_FALSE(w.append(1000, "clinic/beds/7/vitals/blood_pressure", std::string("\0\x01\0", 3)));
  EXPECT_FALSE(w.append(2500, "clinic/beds/7/monitor/status", ""));
  EXPECT_FALSE(w.close());
  return path;
}

TEST(recording_test, round_trip_returns_header_and_every_frame_in_order) {
  test::temp_dir dir;
  const auto r = read_all(write_three(dir));
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.header.version, format_version);
  EXPECT_EQ(r.header.created_at_ms, test_header.created_at_ms);
  EXPECT_EQ(r.header.source, test_header.source);
  ASSERT_EQ(r.frames.size(), 3U);
  EXPECT_EQ(r.frames[0].time, 1000);
  EXPECT_EQ(r.frames[0].topic, "clinic/beds/7/vitals/heart_rate");
  EXPECT_EQ(r.frames[0].payload,
            "\x0a\x03"
            "abc");
  EXPECT_EQ(r.frames[1].payload, std::string("\0\x01\0", 3));
  EXPECT_EQ(r.frames[2].time, 2500);
  EXPECT_EQ(r.frames[2].payload, "");
  for (const auto& f : r.frames) EXPECT_EQ(f.kind, frame_kind::message);
}

TEST(recording_test, end_frame_given_at_close_is_read_last_with_its_time) {
  test::temp_dir dir;
  const auto path = dir.path() / "end.rec";
  recording_writer w;
  ASSERT_FALSE(w.open(path, test_header));
  ASSERT_FALSE(w.append(10, "t", "p"));
  ASSERT_FALSE(w.close(99'000));
  const auto r = read_all(path);
  ASSERT_FALSE(r.error);
  ASSERT_EQ(r.frames.size(), 2U);
  EXPECT_EQ(r.frames[1].kind, frame_kind::end);
  EXPECT_EQ(r.frames[1].time, 99'000);
  EXPECT_TRUE(r.frames[1].topic.empty());
}

TEST(recording_test, header_only_recording_reads_as_zero_frames) {
  test::temp_dir dir;
  const auto path = dir.path() / "none.rec";
  recording_writer w;
  ASSERT_FALSE(w.open(path, test_header));
  ASSERT_FALSE(w.close());
  const auto r = read_all(path);
  EXPECT_FALSE(r.error);
  EXPECT_TRUE(r.frames.empty());
}

TEST(recording_test, writer_refuses_a_frame_over_the_size_limit_and_stays_usable) {
  test::temp_dir dir;
  const auto path = dir.path() / "big.rec";
  recording_writer w;
  ASSERT_FALSE(w.open(path, test_header));
  EXPECT_EQ(w.append(1, "t", std::string(max_frame_body_size, 'x')),
            std::make_error_code(std::errc::message_size));
  EXPECT_FALSE(w.append(2, "t", "fits"));
  ASSERT_FALSE(w.close());
  EXPECT_EQ(read_all(path).frames.size(), 1U);
}

TEST(recording_test, exclusive_open_refuses_an_existing_file_and_leaves_it_intact) {
  test::temp_dir dir;
  const auto path = write_three(dir);
  const std::string before = file_bytes(path);
  recording_writer w;
  EXPECT_EQ(w.open(path, test_header, {.flush_each_frame = true, .exclusive = true}),
            std::make_error_code(std::errc::file_exists));
  EXPECT_EQ(file_bytes(path), before);
}

TEST(recording_test, batched_writer_puts_frames_on_disk_only_at_flush) {
  test::temp_dir dir;
  const auto path = dir.path() / "batch.rec";
  recording_writer w;
  ASSERT_FALSE(w.open(path, test_header, {.flush_each_frame = false, .exclusive = false}));
  ASSERT_FALSE(w.append(1, "t", "p"));
  EXPECT_TRUE(read_all(path).frames.empty());
  ASSERT_FALSE(w.flush());
  EXPECT_EQ(read_all(path).frames.size(), 1U);
  ASSERT_FALSE(w.close());
}

TEST(recording_test, process_killed_after_appends_leaves_every_appended_frame_readable) {
  test::temp_dir dir;
  const auto path = dir.path() / "crash.rec";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    recording_writer w;
    if (w.open(path, test_header)) ::_exit(2);
    for (int i = 0; i < 50; ++i) {
      if (w.append(i, "clinic/beds/7/vitals/heart_rate", std::to_string(i))) ::_exit(3);
    }
    ::_exit(0);  // no close, no destructor: as a crash would leave it
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  const auto r = read_all(path);
  EXPECT_FALSE(r.error);
  ASSERT_EQ(r.frames.size(), 50U);
  EXPECT_EQ(r.frames.back().payload, "49");
}

TEST(recording_test, cut_at_a_frame_boundary_reads_cleanly_up_to_the_cut) {
  test::temp_dir dir;
  const auto full = read_all(write_three(dir));
  const std::string bytes = file_bytes(dir.path() / "three.rec");
  const auto cut = dir.path() / "cut.rec";
  write_bytes(cut, bytes.substr(0, full.frames[2].offset));
  const auto r = read_all(cut);
  EXPECT_FALSE(r.error);
  EXPECT_EQ(r.frames.size(), 2U);
}

TEST(recording_test, cut_anywhere_inside_the_last_frame_reads_the_whole_frames_then_truncated) {
  test::temp_dir dir;
  const auto full = read_all(write_three(dir));
  const std::string bytes = file_bytes(dir.path() / "three.rec");
  const std::uint64_t last = full.frames[2].offset;
  const auto cut = dir.path() / "cut.rec";
  for (std::uint64_t size = last + 1; size < bytes.size(); ++size) {
    write_bytes(cut, bytes.substr(0, size));
    const auto r = read_all(cut);
    EXPECT_EQ(r.frames.size(), 2U) << "cut at " << size;
    ASSERT_TRUE(r.error) << "cut at " << size;
    EXPECT_EQ(r.error->fault, read_fault::truncated_frame);
    EXPECT_EQ(r.error->offset, last);
    EXPECT_TRUE(r.error->message.starts_with("byte " + std::to_string(last) + ": truncated frame"))
        << r.error->message;
  }
}

TEST(recording_test, reader_stays_failed_after_a_fault) {
  test::temp_dir dir;
  write_three(dir);
  const std::string bytes = file_bytes(dir.path() / "three.rec");
  const auto cut = dir.path() / "cut.rec";
  write_bytes(cut, bytes.substr(0, bytes.size() - 1));
  recording_reader reader;
  ASSERT_TRUE(reader.open(cut));
  while (reader.next()) {
  }
  ASSERT_TRUE(reader.error());
  EXPECT_FALSE(reader.next());
  EXPECT_TRUE(reader.error());
}

TEST(recording_test, crc32_is_boosts_crc_32_for_every_length_and_split) {
  std::string bytes;
  std::uint32_t x = 12345;
  for (int i = 0; i < 1100; ++i) {
    x = x * 1103515245U + 12345U;
    bytes.push_back(static_cast<char>(x >> 24));
  }
  EXPECT_EQ(crc32("123456789", 9), 0xCBF43926U);  // the standard check value
  EXPECT_EQ(crc32_update_tables(0, "123456789", 9), 0xCBF43926U);
  for (std::size_t n = 0; n <= bytes.size(); ++n) {
    boost::crc_32_type reference;
    reference.process_bytes(bytes.data(), n);
    ASSERT_EQ(crc32(bytes.data(), n), reference.checksum()) << "length " << n;
    const std::size_t half = n / 3;
    ASSERT_EQ(crc32_update(crc32(bytes.data(), half), bytes.data() + half, n - half),
              reference.checksum())
        << "length " << n << " split at " << half;
    ASSERT_EQ(crc32_update_tables(0, bytes.data(), n), reference.checksum()) << "length " << n;
  }
}

// The reader reads ahead in blocks of 256 KiB: frames that straddle a block, and one larger than
// a block, come back whole; a cut inside the large one is still a truncated frame at its start.
TEST(recording_test, frames_across_and_larger_than_the_read_ahead_block_read_back_whole) {
  test::temp_dir dir;
  const auto path = dir.path() / "big.rec";
  std::vector<std::string> payloads;
  for (int i = 0; i < 400; ++i) {
    payloads.push_back(
        std::string(static_cast<std::size_t>(i * 37 % 5000), static_cast<char>('a' + i % 26)));
  }
  payloads.insert(payloads.begin() + 200, std::string(700 * 1024, 'x'));
  recording_writer w;
  ASSERT_FALSE(w.open(path, test_header));
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    ASSERT_FALSE(w.append(static_cast<core::time_ms>(i), "t/" + std::to_string(i), payloads[i]));
  }
  ASSERT_FALSE(w.close(static_cast<core::time_ms>(payloads.size())));
  const auto r = read_all(path);
  ASSERT_FALSE(r.error) << r.error->message;
  ASSERT_EQ(r.frames.size(), payloads.size() + 1);
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    ASSERT_EQ(r.frames[i].topic, "t/" + std::to_string(i));
    ASSERT_EQ(r.frames[i].payload, payloads[i]) << "frame " << i;
  }
  EXPECT_EQ(r.frames.back().kind, frame_kind::end);

  const std::string bytes = file_bytes(path);
  const auto big_start = r.frames[200].offset;
  const auto cut = dir.path() / "cut.rec";
  write_bytes(cut, bytes.substr(0, big_start + 500 * 1024));
  const auto c = read_all(cut);
  EXPECT_EQ(c.frames.size(), 200U);
  ASSERT_TRUE(c.error);
  EXPECT_EQ(c.error->fault, read_fault::truncated_frame);
  EXPECT_EQ(c.error->offset, big_start);
}

TEST(recording_test, missing_file_is_an_io_error_at_byte_zero) {
  recording_reader reader;
  EXPECT_FALSE(reader.open("/nonexistent/vigil.rec"));
  ASSERT_TRUE(reader.error());
  EXPECT_EQ(reader.error()->fault, read_fault::io);
  EXPECT_EQ(reader.error()->offset, 0U);
}

}  // namespace
}  // namespace vigil::io
