// The decoders of the two readings every bed sends every second (HeartRate, BloodPressure):
// a hand-written reader of their bytes, with protobuf behind it for anything it cannot decide.
#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "codec/codec.hpp"
#include "codec/wire.hpp"

namespace vigil::codec {
namespace {

namespace pb = vigil::v1;
using detail::blood_pressure_from;
using detail::decode_as;
using detail::heart_rate_from;

// ---- the readings' fast path ----
//
// A heart rate arrives every second from every bed (arterial pressure may too), as a handful of
// known fields with one-byte tags. Protobuf's generic parse of one costs about 700
// instructions (parse context, unknown-field bookkeeping, UTF-8 check); reading the same bytes
// here costs about a tenth. The fast path takes only what it can decide exactly as protobuf
// would: each field's canonical one-byte tag and wire type, varints of at most 9 bytes (a
// string's length: at most 2), strings of ASCII only, nothing past the end. Anything else (an
// unknown field, another tag encoding, a longer varint, a byte over 0x7F, a cut) returns false
// and the message goes through protobuf, which decides it as before. The same field given
// twice: the last wins, as in protobuf. tests/unit/codec/fast_decode_test.cpp checks the two
// against each other on generated and mutated payloads.

class fast_wire {
 public:
  explicit fast_wire(std::string_view b)
      : p_(reinterpret_cast<const unsigned char*>(b.data())), end_(p_ + b.size()) {}

  bool done() const { return p_ == end_; }
  unsigned tag() { return *p_++; }  // precondition: !done()

  bool varint(std::uint64_t& v, int max_bytes = 9) {
    if (p_ != end_ && *p_ < 0x80U) {  // one byte: seq, enums, lengths
      v = *p_++;
      return true;
    }
    if (std::endian::native == std::endian::little && max_bytes >= 8 && end_ - p_ >= 8) {
      // Up to 8 bytes from one load (a timestamp in ms takes 6): the stop byte is the first
      // without its top bit; the 7-bit groups up to it are packed together by three shifts.
      std::uint64_t w = 0;
      std::memcpy(&w, p_, sizeof w);
      const std::uint64_t stops = ~w & 0x8080808080808080ULL;
      if (stops != 0) {
        const std::uint64_t x = w & (stops ^ (stops - 1)) & 0x7F7F7F7F7F7F7F7FULL;
        std::uint64_t r = (x & 0x007F007F007F007FULL) | ((x & 0x7F007F007F007F00ULL) >> 1);
        r = (r & 0x00003FFF00003FFFULL) | ((r & 0x3FFF00003FFF0000ULL) >> 2);
        r = (r & 0x000000000FFFFFFFULL) | ((r & 0x0FFFFFFF00000000ULL) >> 4);
        v = r;
        p_ += (std::countr_zero(stops) + 1) / 8;
        return true;
      }
    }
    std::uint64_t r = 0;
    for (int i = 0; i < max_bytes && p_ != end_; ++i) {
      const unsigned b = *p_++;
      r |= static_cast<std::uint64_t>(b & 0x7FU) << (7 * i);
      if (b < 0x80U) {
        v = r;
        return true;
      }
    }
    return false;
  }
  // An enum field: protobuf keeps the low 32 bits of the varint, as an int.
  bool enum_value(int& v) {
    std::uint64_t u = 0;
    if (!varint(u)) return false;
    v = static_cast<int>(static_cast<std::uint32_t>(u));
    return true;
  }
  bool fixed_float(float& v) {
    if (end_ - p_ < 4) return false;
    const std::uint32_t bits =
        static_cast<std::uint32_t>(p_[0]) | static_cast<std::uint32_t>(p_[1]) << 8 |
        static_cast<std::uint32_t>(p_[2]) << 16 | static_cast<std::uint32_t>(p_[3]) << 24;
    v = std::bit_cast<float>(bits);
    p_ += 4;
    return true;
  }
  bool ascii_string(std::string_view& v) {
    std::uint64_t n = 0;
    if (!varint(n, 2) || n > static_cast<std::uint64_t>(end_ - p_)) return false;
    // UTF-8 validity is protobuf's to judge: any byte over 0x7F, and the message goes there.
    const unsigned char* q = p_;
    const unsigned char* const str_end = p_ + n;
    for (; str_end - q >= 8; q += 8) {  // any byte order: only the top bits are looked at
      std::uint64_t w = 0;
      std::memcpy(&w, q, sizeof w);
      if ((w & 0x8080808080808080ULL) != 0) return false;
    }
    for (; q != str_end; ++q) {
      if (*q >= 0x80U) return false;
    }
    v = {reinterpret_cast<const char*>(p_), static_cast<std::size_t>(n)};
    p_ += n;
    return true;
  }

 private:
  const unsigned char* p_;
  const unsigned char* end_;
};

// Larger payloads are no reading of a real monitor: protobuf takes them.
constexpr std::size_t fast_path_max_bytes = 1024;

// Fields 1-3, the same in HeartRate and BloodPressure.
struct fast_reading {
  std::string_view device_id_;
  std::int64_t measured_at_ms_ = 0;
  std::uint64_t seq_ = 0;
  std::string_view device_id() const { return device_id_; }
  std::int64_t measured_at_ms() const { return measured_at_ms_; }
  std::uint64_t seq() const { return seq_; }
};

enum class field_read : std::uint8_t { done, not_common, bad };

// One of fields 1-3 at `tag`, or not_common for the message's own to read.
field_read read_common(fast_wire& w, unsigned tag, fast_reading& m) {
  std::uint64_t v = 0;
  switch (tag) {
    case (1 << 3) | 2: return w.ascii_string(m.device_id_) ? field_read::done : field_read::bad;
    case (2 << 3) | 0:
      if (!w.varint(v)) return field_read::bad;
      m.measured_at_ms_ = static_cast<std::int64_t>(v);
      return field_read::done;
    case (3 << 3) | 0:
      if (!w.varint(v)) return field_read::bad;
      m.seq_ = v;
      return field_read::done;
    default: return field_read::not_common;
  }
}

// A whole reading: fields 1-3 here, the message's own through `own(w, tag)` (false: unknown
// field or bad value). False when protobuf must take it: too large, malformed, or a field this
// reader does not know.
template <typename Message, typename OwnFields>
bool read_message(std::string_view bytes, Message& m, OwnFields own) {
  if (bytes.size() > fast_path_max_bytes) return false;
  fast_wire w(bytes);
  while (!w.done()) {
    const unsigned tag = w.tag();
    const auto r = read_common(w, tag, m);
    if (r == field_read::bad) return false;
    if (r == field_read::not_common && !own(w, tag)) return false;
  }
  return true;
}

struct fast_heart_rate : fast_reading {
  float bpm_ = 0;
  int validity_ = 0;
  float bpm() const { return bpm_; }
  int validity() const { return validity_; }
};

bool read_fast(std::string_view bytes, fast_heart_rate& m) {
  return read_message(bytes, m, [&m](fast_wire& w, unsigned tag) {
    switch (tag) {
      case (4 << 3) | 5: return w.fixed_float(m.bpm_);
      case (5 << 3) | 0: return w.enum_value(m.validity_);
      default: return false;
    }
  });
}

struct fast_blood_pressure : fast_reading {
  float systolic_mmhg_ = 0;
  float diastolic_mmhg_ = 0;
  std::optional<float> mean_mmhg_;
  int source_ = 0;
  int validity_ = 0;
  float systolic_mmhg() const { return systolic_mmhg_; }
  float diastolic_mmhg() const { return diastolic_mmhg_; }
  bool has_mean_mmhg() const { return mean_mmhg_.has_value(); }
  float mean_mmhg() const { return mean_mmhg_.value_or(0.0F); }
  int source() const { return source_; }
  int validity() const { return validity_; }
};

bool read_fast(std::string_view bytes, fast_blood_pressure& m) {
  return read_message(bytes, m, [&m](fast_wire& w, unsigned tag) {
    float f = 0;
    switch (tag) {
      case (4 << 3) | 5: return w.fixed_float(m.systolic_mmhg_);
      case (5 << 3) | 5: return w.fixed_float(m.diastolic_mmhg_);
      case (6 << 3) | 5:
        if (!w.fixed_float(f)) return false;
        m.mean_mmhg_ = f;
        return true;
      case (7 << 3) | 0: return w.enum_value(m.source_);
      case (8 << 3) | 0: return w.enum_value(m.validity_);
      default: return false;
    }
  });
}

}  // namespace

decoded<core::heart_rate> decode_heart_rate(std::string_view b) {
  if (fast_heart_rate m; read_fast(b, m)) return heart_rate_from(m);
  return decode_as<pb::HeartRate>(b);
}
decoded<core::blood_pressure> decode_blood_pressure(std::string_view b) {
  if (fast_blood_pressure m; read_fast(b, m)) return blood_pressure_from(m);
  return decode_as<pb::BloodPressure>(b);
}

}  // namespace vigil::codec
