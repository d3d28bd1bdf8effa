// Bed id -> the bed's slot in the engine's vector of beds. Open addressing with linear probing
// over (hash, slot) pairs, at most half full; the ids stay in the beds themselves, so nothing
// is stored twice. Beds are never removed, so there is no deletion.
//
// Why not std::unordered_map: a node per bed (and a copy of its id) is one more cache miss per
// message; perf put its lookup at 16 % of decode + engine at 5,000 beds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

namespace vigil::core::detail {

inline std::uint64_t load_u64(const char* p) {
  std::uint64_t w = 0;
  std::memcpy(&w, p, sizeof w);
  return w;
}
inline std::uint64_t load_u32(const char* p) {
  std::uint32_t w = 0;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// a == b for bed ids, which are short: ids of 4 to 16 bytes are compared as two overlapping
// words each, inline (every message compares its id a few times; memcmp is a call).
inline bool same_id(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  if (n >= 8 && n <= 16) {
    return load_u64(a.data()) == load_u64(b.data()) &&
           load_u64(a.data() + n - 8) == load_u64(b.data() + n - 8);
  }
  if (n >= 4 && n < 8) {
    return load_u32(a.data()) == load_u32(b.data()) &&
           load_u32(a.data() + n - 4) == load_u32(b.data() + n - 4);
  }
  return a == b;
}

class bed_index {
 public:
  // Inline and in 8-byte words (an id's last word overlapping the one before it, an id under 8
  // bytes read as two overlapping halves), multiplied and mixed so that the low bits the table
  // uses depend on every byte. Kept in memory only, never stored, so it may change.
  static std::size_t hash(std::string_view id) {
    const char* p = id.data();
    std::size_t n = id.size();
    std::uint64_t h = 0x9E3779B97F4A7C15ULL * (n + 1);
    const auto mix = [&h](std::uint64_t w) {
      h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
      h ^= h >> 29;
    };
    if (n >= 8) {
      for (; n > 8; n -= 8, p += 8) mix(load_u64(p));
      mix(load_u64(p + n - 8));
    } else if (n >= 4) {
      mix(load_u32(p) | (load_u32(p + n - 4) << 32));
    } else if (n > 0) {
      mix(static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) |
          static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
          static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16);
    }
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ULL;
    h ^= h >> 32;
    return static_cast<std::size_t>(h);
  }

  // `id_of(slot)` returns the id of the bed in `slot`.
  template <class IdOf>
  std::optional<std::size_t> find(std::string_view id, std::size_t h, IdOf id_of) const {
    if (table_.empty()) return std::nullopt;
    const std::size_t mask = table_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const entry& e = table_[i];
      if (e.slot == empty) return std::nullopt;
      if (e.hash == h && same_id(id_of(e.slot), id)) return e.slot;
    }
  }

  // `slot` is new; `h` is hash() of its id.
  void insert(std::size_t h, std::size_t slot) {
    if (2 * (size_ + 1) > table_.size()) grow();
    place({h, static_cast<std::uint32_t>(slot)});
    ++size_;
  }

  std::size_t size() const { return size_; }

 private:
  static constexpr std::uint32_t empty = std::numeric_limits<std::uint32_t>::max();
  struct entry {
    std::size_t hash = 0;
    std::uint32_t slot = empty;
  };

  void place(entry e) {
    const std::size_t mask = table_.size() - 1;
    std::size_t i = e.hash & mask;
    while (table_[i].slot != empty) i = (i + 1) & mask;
    table_[i] = e;
  }

  void grow() {
    std::vector<entry> old(table_.empty() ? 64 : 2 * table_.size());
    old.swap(table_);
    for (const entry& e : old) {
      if (e.slot != empty) place(e);
    }
  }

  std::vector<entry> table_;  // size a power of two
  std::size_t size_ = 0;
};

}  // namespace vigil::core::detail
