// Vigil recordings (daemon/replay/FORMAT.md): a versioned header, then length- and
// CRC-checked frames of (receive time, topic, payload). The writer is also what vigild uses to
// record live traffic, so its errors are values, never exceptions.
// Neither class is thread-safe: one thread owns each object.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/types.hpp"

namespace vigil::io {

inline constexpr std::uint16_t format_version = 1;
inline constexpr std::string_view format_magic = "VIGILREC";
inline constexpr std::size_t frame_prefix_size = 12;      // length, length CRC, body CRC
inline constexpr std::size_t frame_fixed_body_size = 11;  // kind, receive time, topic length
// Large enough for any topic plus a payload far over vigild's 64 KiB limit; a length beyond it
// is corruption, not data.
inline constexpr std::uint32_t max_frame_body_size = 1U << 20;

enum class frame_kind : std::uint8_t {
  message = 1,  // one MQTT message as received
  end = 2,      // the recording's end time; no topic, no payload, always last
};

struct recording_header {
  std::uint16_t version = format_version;
  core::time_ms created_at_ms = 0;
  std::string source;  // who made it, e.g. "vigil-replay import-csv a.csv --bed 7"
};

struct frame {
  frame_kind kind = frame_kind::message;
  core::time_ms time = 0;    // receive time (ms), the engine's clock
  std::string_view topic;    // valid until the reader's next call
  std::string_view payload;  // likewise
  std::uint64_t offset = 0;  // where the frame starts in the file
};

enum class read_fault : std::uint8_t {
  io,     // the file cannot be opened or read
  empty,  // zero bytes
  truncated_header,
  bad_magic,
  unknown_version,
  bad_header_checksum,
  truncated_frame,  // the file ends inside a frame: a cut-off recording
  bad_length,       // length outside its range or failing its own checksum
  bad_checksum,     // body CRC mismatch
  malformed_frame,  // checksum fine, content inconsistent (kind, topic length, order)
};

struct read_error {
  read_fault fault = read_fault::io;
  std::uint64_t offset = 0;  // the byte where the broken header or frame starts
  std::string message;       // "byte 112: frame checksum mismatch"
};

// Reads frames in file order. A reader that hit a fault stays failed.
class recording_reader {
 public:
  recording_reader() = default;
  ~recording_reader();
  recording_reader(const recording_reader&) = delete;
  recording_reader& operator=(const recording_reader&) = delete;

  // Opens and checks the header; on failure error() says why.
  bool open(const std::filesystem::path& path);
  const recording_header& header() const { return header_; }

  // The next frame, or nullopt at the clean end of the file or on a fault (see error()).
  std::optional<frame> next();
  const std::optional<read_error>& error() const { return error_; }
  // Bytes of whole frames and header read so far: where a cut-off recording is cut.
  std::uint64_t good_bytes() const { return offset_; }

 private:
  bool fail(read_fault f, std::uint64_t at, std::string message);
  std::optional<std::uint32_t> read_length(std::uint64_t start);
  bool check_body(std::uint64_t start, const char* body, std::uint32_t length);
  // Makes at least `n` bytes available at buffer_[pos_] unless the file ends first; returns how
  // many are (possibly more than n). May move the buffered bytes. Inline: twice a frame, and
  // the bytes are nearly always there already.
  std::size_t fill(std::size_t n) {
    if (end_ - pos_ >= n || eof_) return end_ - pos_;
    return refill(n);
  }
  std::size_t refill(std::size_t n);
  std::size_t read_some(char* dst, std::size_t n);
  bool rest_is_zero();

  std::FILE* file_ = nullptr;
  recording_header header_;
  std::uint64_t offset_ = 0;
  bool ended_ = false;  // an end frame was read
  // Read ahead in large blocks; frames are handed out as views into it, not copied.
  std::vector<char> buffer_;
  std::size_t pos_ = 0;  // next unconsumed byte
  std::size_t end_ = 0;  // end of the bytes read
  bool eof_ = false;     // the file had no more bytes
  std::optional<read_error> error_;
};

// Appends frames to a new file. append() encodes into a buffer; flush() hands the buffer to the
// OS in one write(2), so a process crash after it loses nothing; sync() also makes it survive a
// power loss. With flush_each_frame (the default) every append is flushed: a crash can lose at
// most the frame being written, which readers then report as a truncated final frame.
class recording_writer {
 public:
  struct options {
    bool flush_each_frame = true;
    bool exclusive = false;  // fail with file_exists rather than replace an existing file
  };

  recording_writer() = default;
  ~recording_writer();  // flushes and closes, without an end frame
  recording_writer(recording_writer&& o) noexcept;
  recording_writer& operator=(recording_writer&& o) noexcept;
  recording_writer(const recording_writer&) = delete;
  recording_writer& operator=(const recording_writer&) = delete;

  [[nodiscard]] std::error_code open(const std::filesystem::path& path,
                                     const recording_header& header, options opts);
  [[nodiscard]] std::error_code open(const std::filesystem::path& path,
                                     const recording_header& header) {
    return open(path, header, options{});
  }
  // Fails with message_size for a topic or payload too large for a frame.
  [[nodiscard]] std::error_code append(core::time_ms time, std::string_view topic,
                                       std::string_view payload);
  [[nodiscard]] std::error_code flush();
  [[nodiscard]] std::error_code sync();
  // Writes an end frame when `end` is given (the recording's clock stops there), then syncs.
  [[nodiscard]] std::error_code close(std::optional<core::time_ms> end = {});
  bool is_open() const { return fd_ >= 0; }

 private:
  void put_frame(frame_kind kind, core::time_ms time, std::string_view topic,
                 std::string_view payload);

  int fd_ = -1;
  options opts_;
  std::string buffer_;
};

}  // namespace vigil::io
