#include "core/bed_table.hpp"

namespace vigil::core::detail {

std::optional<std::size_t> bed_table::lookup(std::string_view id, std::size_t h) const {
  return by_id_.find(id, h,
                     [this](std::size_t slot) -> std::string_view { return beds_[slot].id; });
}

bed_state* bed_table::find(std::string_view id) {
  const auto slot = lookup(id, bed_index::hash(id));
  return slot ? &beds_[*slot] : nullptr;
}

const bed_state* bed_table::find(std::string_view id) const {
  const auto slot = lookup(id, bed_index::hash(id));
  return slot ? &beds_[*slot] : nullptr;
}

bed_state& bed_table::look_up(std::string_view id) {
  const std::size_t h = bed_index::hash(id);
  if (const auto slot = lookup(id, h)) {
    last_slot_ = *slot;
  } else {
    last_slot_ = beds_.size();
    beds_.emplace_back().id = std::string(id);
    by_id_.insert(h, last_slot_);
  }
  return beds_[last_slot_];
}

std::vector<std::string> bed_table::take_dirty() {
  std::vector<std::string> ids;
  for (const auto slot : dirty_) {
    auto& b = beds_[slot];
    if (!b.dirty) continue;  // restored since
    b.dirty = false;
    ids.push_back(b.id);
  }
  dirty_.clear();
  return ids;
}

}  // namespace vigil::core::detail
