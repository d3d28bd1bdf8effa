// Every committed broken recording (tests/data/broken/, made by make_broken.py from
// tests/data/replay/small_session.rec) stops the strict reader with an error naming its byte.
#include <gtest/gtest.h>

#include "io/recording.hpp"

namespace vigil::io {
namespace {

struct broken_case {
  const char* file;
  read_fault fault;
  std::size_t frames_before;  // whole frames read before the fault
  const char* message;        // the error text, byte offset first
};

void PrintTo(const broken_case& c, std::ostream* os) { *os << c.file; }

class broken_recording_test : public testing::TestWithParam<broken_case> {};

TEST_P(broken_recording_test, strict_reader_stops_with_the_fault_and_its_byte_offset) {
  const broken_case& c = GetParam();
  recording_reader reader;
  std::size_t frames = 0;
  if (reader.open(std::string(VIGIL_TEST_DATA "/broken/") + c.file)) {
    while (reader.next()) ++frames;
  }
  ASSERT_TRUE(reader.error());
  EXPECT_EQ(reader.error()->fault, c.fault);
  EXPECT_EQ(reader.error()->message, c.message);
  EXPECT_EQ(frames, c.frames_before);
}

// small_session.rec: a 106-byte header, then frames at bytes 106 183 271 348 425 496 573 650,
// 719 bytes in all.
INSTANTIATE_TEST_SUITE_P(
    committed_files, broken_recording_test,
    testing::Values(
        broken_case{"empty.rec", read_fault::empty, 0, "byte 0: empty file, no recording header"},
        broken_case{"truncated_header.rec", read_fault::truncated_header, 0,
                    "byte 0: truncated header: file ends at byte 15, header needs 24 or more"},
        broken_case{"bad_magic.rec", read_fault::bad_magic, 0,
                    "byte 0: not a Vigil recording (bad magic)"},
        broken_case{"unknown_version.rec", read_fault::unknown_version, 0,
                    "byte 8: unknown format version 2 (this build reads version 1)"},
        broken_case{"bad_header_checksum.rec", read_fault::bad_header_checksum, 0,
                    "byte 0: header checksum mismatch"},
        broken_case{"truncated_frame.rec", read_fault::truncated_frame, 7,
                    "byte 650: truncated frame: 57-byte body, file ends at byte 690"},
        broken_case{"truncated_frame_prefix.rec", read_fault::truncated_frame, 7,
                    "byte 650: truncated frame: file ends at byte 655 inside the frame's "
                    "12-byte prefix"},
        broken_case{"zero_tail.rec", read_fault::truncated_frame, 8,
                    "byte 719: truncated frame: zero-filled tail to end of file"},
        broken_case{"bad_length.rec", read_fault::bad_length, 1,
                    "byte 183: bad frame length 77 (length checksum mismatch or outside "
                    "11..1048576)"},
        broken_case{"bad_checksum.rec", read_fault::bad_checksum, 1,
                    "byte 183: frame checksum mismatch"},
        broken_case{"unknown_frame_kind.rec", read_fault::malformed_frame, 1,
                    "byte 183: unknown frame kind 7"},
        broken_case{"frame_after_end.rec", read_fault::malformed_frame, 2,
                    "byte 206: frame after the end frame"}));

TEST(committed_recording_test, version_1_file_reads_whole) {
  recording_reader reader;
  ASSERT_TRUE(reader.open(VIGIL_TEST_DATA "/replay/small_session.rec"));
  std::size_t frames = 0;
  while (reader.next()) ++frames;
  EXPECT_FALSE(reader.error());
  EXPECT_EQ(frames, 8U);
  EXPECT_EQ(reader.header().version, 1);
}

}  // namespace
}  // namespace vigil::io
