#include "io/recording.hpp"

#include "io/crc32.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <utility>

namespace vigil::io {
namespace {

// Header: magic(8) version(2) created_at(8) source_length(2) source(S) crc(4).
constexpr std::size_t header_fixed_size = 20;

// Read-ahead block: a few hundred frames of a typical recording per read(2).
constexpr std::size_t read_block = 256 * 1024;

template <typename T>
void put_le(std::string& out, T v) {
  auto u = static_cast<std::make_unsigned_t<T>>(v);
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    out.push_back(static_cast<char>(static_cast<unsigned char>(u >> (8 * i))));
  }
}

// Little-endian fields, read with one load where the machine is little-endian (the byte-wise
// form was not folded into one by the compiler: ~60 instructions a frame).
template <typename T>
T get_le(const char* p) {
  std::make_unsigned_t<T> u = 0;
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(&u, p, sizeof u);
  } else {
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      u = static_cast<decltype(u)>(
          u | (static_cast<decltype(u)>(static_cast<unsigned char>(p[i])) << (8 * i)));
    }
  }
  return static_cast<T>(u);
}

std::string at(std::uint64_t offset, std::string_view what) {
  return "byte " + std::to_string(offset) + ": " + std::string(what);
}

std::error_code last_error() { return {errno, std::generic_category()}; }

}  // namespace

// ---- reader ----

recording_reader::~recording_reader() {
  if (file_ != nullptr) std::fclose(file_);
}

bool recording_reader::fail(read_fault f, std::uint64_t where, std::string message) {
  error_ = read_error{f, where, at(where, message)};
  return false;
}

std::size_t recording_reader::refill(std::size_t n) {
  if (pos_ > 0) {  // keep the unconsumed bytes, at the front
    std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (buffer_.size() < std::max(n, read_block)) buffer_.resize(std::max(n, read_block));
  while (end_ < n && !eof_) {
    // fread returns short only at the end of the file or on an error: either way, no more.
    const std::size_t want = buffer_.size() - end_;
    const std::size_t got = std::fread(buffer_.data() + end_, 1, want, file_);
    end_ += got;
    eof_ = got < want;
  }
  return end_ - pos_;
}

std::size_t recording_reader::read_some(char* dst, std::size_t n) {
  n = std::min(n, fill(n));
  std::memcpy(dst, buffer_.data() + pos_, n);
  pos_ += n;
  return n;
}

bool recording_reader::rest_is_zero() {
  std::array<char, 4096> chunk{};
  for (;;) {
    const std::size_t n = read_some(chunk.data(), chunk.size());
    if (!std::all_of(chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n),
                     [](char c) { return c == 0; })) {
      return false;
    }
    if (n < chunk.size()) return true;
  }
}

bool recording_reader::open(const std::filesystem::path& path) {
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) return fail(read_fault::io, 0, "cannot open: " + last_error().message());

  std::array<char, header_fixed_size> fixed{};
  const std::size_t got = read_some(fixed.data(), fixed.size());
  if (got == 0) return fail(read_fault::empty, 0, "empty file, no recording header");
  // The magic and version are checked before the length so a foreign or newer file is named as
  // such rather than as a short one.
  if (std::string_view(fixed.data(), std::min(got, format_magic.size())) !=
      format_magic.substr(0, std::min(got, format_magic.size()))) {
    return fail(read_fault::bad_magic, 0, "not a Vigil recording (bad magic)");
  }
  if (got >= 10) {
    header_.version = get_le<std::uint16_t>(fixed.data() + 8);
    if (header_.version != format_version) {
      return fail(read_fault::unknown_version, 8,
                  "unknown format version " + std::to_string(header_.version) +
                      " (this build reads version " + std::to_string(format_version) + ")");
    }
  }
  if (got < fixed.size()) {
    return fail(read_fault::truncated_header, 0,
                "truncated header: file ends at byte " + std::to_string(got) + ", header needs " +
                    std::to_string(fixed.size() + 4) + " or more");
  }
  header_.created_at_ms = get_le<std::int64_t>(fixed.data() + 10);
  const auto source_size = get_le<std::uint16_t>(fixed.data() + 18);

  std::string rest(std::size_t{source_size} + 4, '\0');
  const std::size_t got_rest = read_some(rest.data(), rest.size());
  if (got_rest < rest.size()) {
    return fail(read_fault::truncated_header, 0,
                "truncated header: file ends at byte " + std::to_string(fixed.size() + got_rest) +
                    ", header needs " + std::to_string(fixed.size() + rest.size()));
  }
  const std::uint32_t crc =
      crc32_update(crc32(fixed.data(), fixed.size()), rest.data(), source_size);
  if (crc != get_le<std::uint32_t>(rest.data() + source_size)) {
    return fail(read_fault::bad_header_checksum, 0, "header checksum mismatch");
  }
  header_.source = rest.substr(0, source_size);
  offset_ = fixed.size() + rest.size();
  return true;
}

// The next frame's body length from its 12-byte prefix, or nothing at a clean end or a fault.
std::optional<std::uint32_t> recording_reader::read_length(std::uint64_t start) {
  const std::size_t got = std::min(fill(frame_prefix_size), frame_prefix_size);
  if (got == 0) return std::nullopt;  // clean end: the last frame was whole
  if (got < frame_prefix_size) {
    fail(read_fault::truncated_frame, start,
         "truncated frame: file ends at byte " + std::to_string(start + got) +
             " inside the frame's 12-byte prefix");
    return std::nullopt;
  }
  const char* prefix = buffer_.data() + pos_;
  const auto length = get_le<std::uint32_t>(prefix);
  if (crc32(prefix, 4) == get_le<std::uint32_t>(prefix + 4) && length >= frame_fixed_body_size &&
      length <= max_frame_body_size) {
    return length;
  }
  // A power loss can leave the file's tail zero-filled: that is a cut-off recording too.
  const bool zero_prefix =
      std::all_of(prefix, prefix + frame_prefix_size, [](char c) { return c == 0; });
  pos_ += frame_prefix_size;
  if (zero_prefix && rest_is_zero()) {
    fail(read_fault::truncated_frame, start, "truncated frame: zero-filled tail to end of file");
  } else {
    fail(read_fault::bad_length, start,
         "bad frame length " + std::to_string(length) + " (length checksum mismatch or outside " +
             std::to_string(frame_fixed_body_size) + ".." + std::to_string(max_frame_body_size) +
             ")");
  }
  return std::nullopt;
}

// Whether a whole frame's body of `length` bytes at `start` is one to return.
bool recording_reader::check_body(std::uint64_t start, const char* body, std::uint32_t length) {
  if (crc32(body, length) != get_le<std::uint32_t>(body - 4)) {
    return fail(read_fault::bad_checksum, start, "frame checksum mismatch");
  }
  const auto kind = static_cast<frame_kind>(static_cast<std::uint8_t>(body[0]));
  const auto topic_size = get_le<std::uint16_t>(body + 9);
  if (kind != frame_kind::message && kind != frame_kind::end) {
    return fail(read_fault::malformed_frame, start,
                "unknown frame kind " + std::to_string(static_cast<unsigned>(kind)));
  }
  if (topic_size > length - frame_fixed_body_size) {
    return fail(read_fault::malformed_frame, start,
                "topic length " + std::to_string(topic_size) + " exceeds the frame");
  }
  if (ended_) return fail(read_fault::malformed_frame, start, "frame after the end frame");
  return true;
}

std::optional<frame> recording_reader::next() {
  if (error_ || file_ == nullptr) return std::nullopt;
  const std::uint64_t start = offset_;
  const auto length = read_length(start);
  if (!length) return std::nullopt;
  const std::size_t whole = frame_prefix_size + *length;
  const std::size_t available = fill(whole);  // may move the buffer: pointers from here on
  if (available < whole) {
    fail(read_fault::truncated_frame, start,
         "truncated frame: " + std::to_string(*length) + "-byte body, file ends at byte " +
             std::to_string(start + available));
    return std::nullopt;
  }
  const char* body = buffer_.data() + pos_ + frame_prefix_size;
  if (!check_body(start, body, *length)) return std::nullopt;
  const auto kind = static_cast<frame_kind>(static_cast<std::uint8_t>(body[0]));
  const auto topic_size = get_le<std::uint16_t>(body + 9);
  ended_ = kind == frame_kind::end;
  offset_ = start + whole;
  pos_ += whole;
  const char* topic = body + frame_fixed_body_size;
  return frame{kind,
               get_le<std::int64_t>(body + 1),
               {topic, topic_size},
               {topic + topic_size, *length - frame_fixed_body_size - topic_size},
               start};
}

// ---- writer ----

recording_writer::~recording_writer() {
  if (is_open()) {
    (void)flush();
    ::close(fd_);
  }
}

recording_writer::recording_writer(recording_writer&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)), opts_(o.opts_), buffer_(std::move(o.buffer_)) {}

recording_writer& recording_writer::operator=(recording_writer&& o) noexcept {
  if (this != &o) {
    if (is_open()) {
      (void)flush();
      ::close(fd_);
    }
    fd_ = std::exchange(o.fd_, -1);
    opts_ = o.opts_;
    buffer_ = std::move(o.buffer_);
  }
  return *this;
}

std::error_code recording_writer::open(const std::filesystem::path& path,
                                       const recording_header& header, options opts) {
  if (is_open()) return std::make_error_code(std::errc::device_or_resource_busy);
  if (header.source.size() > 0xFFFF) return std::make_error_code(std::errc::message_size);
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (opts.exclusive ? O_EXCL : O_TRUNC);
  fd_ = ::open(path.c_str(), flags, 0644);
  if (fd_ < 0) return last_error();
  opts_ = opts;
  buffer_.clear();
  buffer_.append(format_magic);
  put_le(buffer_, format_version);
  put_le(buffer_, header.created_at_ms);
  put_le(buffer_, static_cast<std::uint16_t>(header.source.size()));
  buffer_.append(header.source);
  put_le(buffer_, crc32(buffer_.data(), buffer_.size()));
  // The header goes out at once so even a recording that never gets a frame is readable.
  return flush();
}

void recording_writer::put_frame(frame_kind kind, core::time_ms time, std::string_view topic,
                                 std::string_view payload) {
  const auto length =
      static_cast<std::uint32_t>(frame_fixed_body_size + topic.size() + payload.size());
  const std::size_t start = buffer_.size();
  put_le(buffer_, length);
  put_le(buffer_, crc32(buffer_.data() + start, 4));
  put_le(buffer_, std::uint32_t{0});  // body CRC, filled in below
  const std::size_t body = buffer_.size();
  buffer_.push_back(static_cast<char>(kind));
  put_le(buffer_, time);
  put_le(buffer_, static_cast<std::uint16_t>(topic.size()));
  buffer_.append(topic);
  buffer_.append(payload);
  const std::uint32_t crc = crc32(buffer_.data() + body, length);
  for (std::size_t i = 0; i < 4; ++i) {
    buffer_[body - 4 + i] = static_cast<char>(static_cast<unsigned char>(crc >> (8 * i)));
  }
}

std::error_code recording_writer::append(core::time_ms time, std::string_view topic,
                                         std::string_view payload) {
  if (!is_open()) return std::make_error_code(std::errc::bad_file_descriptor);
  if (topic.size() > 0xFFFF ||
      frame_fixed_body_size + topic.size() + payload.size() > max_frame_body_size) {
    return std::make_error_code(std::errc::message_size);
  }
  put_frame(frame_kind::message, time, topic, payload);
  return opts_.flush_each_frame ? flush() : std::error_code{};
}

std::error_code recording_writer::flush() {
  if (!is_open()) return std::make_error_code(std::errc::bad_file_descriptor);
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      buffer_.erase(0, done);  // keep what was not written for a later try
      return last_error();
    }
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
  return {};
}

std::error_code recording_writer::sync() {
  if (auto ec = flush()) return ec;
  return ::fdatasync(fd_) == 0 ? std::error_code{} : last_error();
}

std::error_code recording_writer::close(std::optional<core::time_ms> end) {
  if (!is_open()) return std::make_error_code(std::errc::bad_file_descriptor);
  if (end) put_frame(frame_kind::end, *end, {}, {});
  std::error_code ec = sync();
  if (::close(fd_) != 0 && !ec) ec = last_error();
  fd_ = -1;
  buffer_.clear();
  return ec;
}

}  // namespace vigil::io
