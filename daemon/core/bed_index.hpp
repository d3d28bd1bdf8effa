// Bed id -> the bed's slot in the engine's vector of beds. Open addressing with linear probing
// over (hash, slot) pairs, at most half full; the ids stay in the beds themselves, so nothing
// is stored twice. Beds are never removed, so there is no deletion.
//
// Why not std::unordered_map: a node per bed (and a copy of its id) is one more cache miss per
// message; perf put its lookup at 16 % of decode + engine at 5,000 beds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

namespace vigil::core::detail {

class bed_index {
 public:
  static std::size_t hash(std::string_view id) { return std::hash<std::string_view>{}(id); }

  // `id_of(slot)` returns the id of the bed in `slot`.
  template <class IdOf>
  std::optional<std::size_t> find(std::string_view id, std::size_t h, IdOf id_of) const {
    if (table_.empty()) return std::nullopt;
    const std::size_t mask = table_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const entry& e = table_[i];
      if (e.slot == empty) return std::nullopt;
      if (e.hash == h && id_of(e.slot) == id) return e.slot;
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
