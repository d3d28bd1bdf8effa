// CRC-32 of the recording format (FORMAT.md): the IEEE 802.3 / zlib CRC, the same value as
// boost::crc_32_type, computed eight bytes at a time ("slicing-by-8"). Every frame's body is
// checked once when it is read and once when it is written; a byte at a time (Boost's table
// method) that was a fifth of `vigil-replay offline`'s instructions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace vigil::replay {
namespace detail {

using crc_tables = std::array<std::array<std::uint32_t, 256>, 8>;

// t[0] is the classic byte table of the reflected polynomial; t[k][i] is the CRC of byte i
// followed by k zero bytes, so eight table look-ups advance the CRC by eight bytes.
constexpr crc_tables make_crc_tables() {
  crc_tables t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1U) != 0 ? (c >> 1) ^ 0xEDB88320U : c >> 1;
    t[0][i] = c;
  }
  for (std::size_t k = 1; k < 8; ++k) {
    for (std::size_t i = 0; i < 256; ++i) {
      t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFFU];
    }
  }
  return t;
}

inline constexpr crc_tables crc_table = make_crc_tables();

inline std::uint32_t load_le32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

}  // namespace detail

// Continues a CRC over `n` more bytes: crc32_update(crc32_update(0, a), b) == crc32(a + b).
inline std::uint32_t crc32_update(std::uint32_t crc, const void* data, std::size_t n) {
  const auto& t = detail::crc_table;
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint32_t c = ~crc;
  for (; n >= 8; n -= 8, p += 8) {
    const std::uint32_t lo = c ^ detail::load_le32(p);
    const std::uint32_t hi = detail::load_le32(p + 4);
    c = t[7][lo & 0xFFU] ^ t[6][(lo >> 8) & 0xFFU] ^ t[5][(lo >> 16) & 0xFFU] ^ t[4][lo >> 24] ^
        t[3][hi & 0xFFU] ^ t[2][(hi >> 8) & 0xFFU] ^ t[1][(hi >> 16) & 0xFFU] ^ t[0][hi >> 24];
  }
  for (; n > 0; --n, ++p) c = (c >> 8) ^ t[0][(c ^ *p) & 0xFFU];
  return ~c;
}

inline std::uint32_t crc32(const void* data, std::size_t n) { return crc32_update(0, data, n); }

}  // namespace vigil::replay
