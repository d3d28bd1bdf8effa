// MLLP framing (HL7 v2 Minimal Lower Layer Protocol): a frame is 0x0B, the message, 0x1C 0x0D.
// mllp_reader turns a TCP connection's bytes, split anyhow, into whole frames and errors; it
// resynchronises on the next 0x0B after anything wrong. Pure: no sockets, no clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::hl7 {

inline constexpr char mllp_start = '\x0B';
inline constexpr char mllp_end = '\x1C';
inline constexpr char mllp_cr = '\x0D';

struct mllp_item {
  bool is_frame = false;
  std::string frame;  // the message between 0x0B and 0x1C 0x0D (is_frame)
  std::string error;  // what was wrong, for the log (!is_frame)
};

class mllp_reader {
 public:
  explicit mllp_reader(std::size_t max_frame_bytes);

  // Any split: several frames per read, one frame over many reads.
  void feed(std::string_view bytes);
  // A whole frame, or an error: bytes outside a frame, 0x1C not followed by 0x0D, a frame over
  // the limit (each resyncs on the next 0x0B). nullopt: nothing more until more bytes come.
  std::optional<mllp_item> next();
  // A frame has begun and not ended (the caller times out half-read frames). It describes the
  // bytes next() has scanned: ask after next() has returned nullopt.
  bool mid_frame() const;
  // Bytes of the frame being read (0 outside a frame).
  std::size_t pending_bytes() const { return frame_.size(); }

 private:
  enum class state : std::uint8_t { outside, inside, after_end, skipping };
  std::size_t max_frame_bytes_;
  std::string buffer_;   // fed, not yet scanned
  std::size_t pos_ = 0;  // scan position in buffer_
  state state_ = state::outside;
  std::string frame_;     // the frame being read
  std::size_t junk_ = 0;  // bytes dropped outside a frame, not yet reported
};

// 0x0B + message + 0x1C 0x0D.
std::string mllp_wrap(std::string_view message);

}  // namespace vigil::hl7
