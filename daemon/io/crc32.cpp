#include "io/crc32.hpp"

#include <array>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define VIGIL_CRC32_CLMUL 1
#else
#define VIGIL_CRC32_CLMUL 0
#endif

namespace vigil::io {
namespace {

// ---- tables: eight bytes a step ("slicing-by-8") ----

using crc_tables = std::array<std::array<std::uint32_t, 256>, 8>;

// t[0] is the classic byte table of the reflected polynomial 0xEDB88320; t[k][i] is the CRC of
// byte i followed by k zero bytes, so eight look-ups advance the CRC by eight bytes.
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

constexpr crc_tables table = make_crc_tables();

std::uint32_t load_le32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

// `c` is the running register (the CRC inverted).
[[gnu::always_inline]] inline std::uint32_t update_tables(std::uint32_t c, const unsigned char* p,
                                                          std::size_t n) {
  const auto& t = table;
  for (; n >= 8; n -= 8, p += 8) {
    const std::uint32_t lo = c ^ load_le32(p);
    const std::uint32_t hi = load_le32(p + 4);
    c = t[7][lo & 0xFFU] ^ t[6][(lo >> 8) & 0xFFU] ^ t[5][(lo >> 16) & 0xFFU] ^ t[4][lo >> 24] ^
        t[3][hi & 0xFFU] ^ t[2][(hi >> 8) & 0xFFU] ^ t[1][(hi >> 16) & 0xFFU] ^ t[0][hi >> 24];
  }
  if (n >= 4) {
    const std::uint32_t x = c ^ load_le32(p);
    c = t[3][x & 0xFFU] ^ t[2][(x >> 8) & 0xFFU] ^ t[1][(x >> 16) & 0xFFU] ^ t[0][x >> 24];
    n -= 4;
    p += 4;
  }
  for (; n > 0; --n, ++p) c = (c >> 8) ^ t[0][(c ^ *p) & 0xFFU];
  return c;
}

#if VIGIL_CRC32_CLMUL
// ---- carry-less multiplication: sixteen bytes a step ----
//
// The folding method of Gopal et al., "Fast CRC Computation for Generic Polynomials Using
// PCLMULQDQ Instruction" (Intel, 2009), with that paper's bit-reflected constants for this
// polynomial: the 128-bit remainder so far is multiplied by x^(128+64) and x^128 (mod P) and
// added to the next 16 bytes; at the end 128 bits are folded to 64, then to 32, and a Barrett
// reduction leaves the CRC register. `n` is a multiple of 16, at least 16.
__attribute__((target("pclmul"))) std::uint32_t update_clmul(std::uint32_t c,
                                                             const unsigned char* p,
                                                             std::size_t n) {
  const __m128i fold_16 = _mm_set_epi64x(0x0ccaa009e, 0x1751997d0);  // hi k4, lo k3
  const __m128i fold_32 = _mm_set_epi64x(0, 0x163cd6124);            // k5
  const __m128i barrett = _mm_set_epi64x(0x1f7011641, 0x1db710641);  // hi mu, lo P'
  const __m128i low_32s = _mm_setr_epi32(-1, 0, -1, 0);

  __m128i x = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)),
                            _mm_cvtsi32_si128(static_cast<int>(c)));
  for (p += 16, n -= 16; n >= 16; p += 16, n -= 16) {
    const __m128i lo = _mm_clmulepi64_si128(x, fold_16, 0x00);
    const __m128i hi = _mm_clmulepi64_si128(x, fold_16, 0x11);
    x = _mm_xor_si128(_mm_xor_si128(lo, hi), _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  // 128 -> 64 bits.
  x = _mm_xor_si128(_mm_srli_si128(x, 8), _mm_clmulepi64_si128(x, fold_16, 0x10));
  // 64 -> 32 bits.
  x = _mm_xor_si128(_mm_srli_si128(x, 4),
                    _mm_clmulepi64_si128(_mm_and_si128(x, low_32s), fold_32, 0x00));
  // Barrett reduction.
  __m128i q = _mm_clmulepi64_si128(_mm_and_si128(x, low_32s), barrett, 0x10);
  q = _mm_clmulepi64_si128(_mm_and_si128(q, low_32s), barrett, 0x00);
  x = _mm_xor_si128(x, q);
  return static_cast<std::uint32_t>(_mm_cvtsi128_si32(_mm_srli_si128(x, 4)));
}

bool have_clmul() { return __builtin_cpu_supports("pclmul"); }
#endif

}  // namespace

std::uint32_t crc32_update(std::uint32_t crc, const void* data, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint32_t c = ~crc;
#if VIGIL_CRC32_CLMUL
  if (n >= 16 && have_clmul()) {
    const std::size_t blocks = n & ~std::size_t{15};
    c = update_clmul(c, p, blocks);
    p += blocks;
    n -= blocks;
  }
#endif
  return ~update_tables(c, p, n);
}

std::uint32_t crc32_update_tables(std::uint32_t crc, const void* data, std::size_t n) {
  return ~update_tables(~crc, static_cast<const unsigned char*>(data), n);
}

}  // namespace vigil::io
