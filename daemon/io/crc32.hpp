// CRC-32 of the recording format (daemon/replay/FORMAT.md): the IEEE 802.3 / zlib CRC, the same
// value as boost::crc_32_type. Every frame's body is checked once when it is read and once when it
// is written, and a byte at a time (Boost's table method) that was a fifth of `vigil-replay
// offline`'s instructions: crc32.cpp folds 16 bytes at a time with carry-less multiplication
// where the CPU has it, and reads the rest eight bytes at a time from tables.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vigil::io {

// Continues a CRC over `n` more bytes: crc32_update(crc32(a), b) == crc32(a + b).
std::uint32_t crc32_update(std::uint32_t crc, const void* data, std::size_t n);

inline std::uint32_t crc32(const void* data, std::size_t n) { return crc32_update(0, data, n); }

// The same with tables alone, as on a CPU without carry-less multiplication (for tests).
std::uint32_t crc32_update_tables(std::uint32_t crc, const void* data, std::size_t n);

}  // namespace vigil::io
