// The engine's beds: lookup by id, their lifecycle (added at their first message, never
// removed, so a bed's slot is stable) and which of them changed since the state was last saved.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bed_index.hpp"
#include "core/bed_state.hpp"

namespace vigil::core::detail {

class bed_table {
 public:
  bed_state* find(std::string_view id);
  const bed_state* find(std::string_view id) const;
  // The bed, added if new. The bed found last first, inline: messages for one bed come in
  // pairs (the shell's bed_slot, then on_*), then the index.
  bed_state& get(std::string_view id) {
    if (last_slot_ < beds_.size() && same_id(beds_[last_slot_].id, id)) return beds_[last_slot_];
    return look_up(id);
  }
  std::size_t slot_of(const bed_state& b) const {
    return static_cast<std::size_t>(&b - beds_.data());
  }
  bed_state& at(std::size_t slot) { return beds_[slot]; }
  const bed_state& at(std::size_t slot) const { return beds_.at(slot); }
  std::size_t size() const { return beds_.size(); }
  std::vector<bed_state>& all() { return beds_; }
  const std::vector<bed_state>& all() const { return beds_; }

  // Something a restart must keep changed: take_dirty() will hand the bed out.
  void touch(bed_state& b) {
    if (b.dirty) return;
    b.dirty = true;
    dirty_.push_back(slot_of(b));
  }
  // The ids of the beds touched since the last call, each once.
  std::vector<std::string> take_dirty();

 private:
  std::optional<std::size_t> lookup(std::string_view id, std::size_t h) const;
  [[gnu::noinline]] bed_state& look_up(std::string_view id);

  std::vector<bed_state> beds_;
  bed_index by_id_;
  std::vector<std::size_t> dirty_;  // slots of the beds with dirty set, each once
  std::size_t last_slot_ = 0;       // the bed found last
};

}  // namespace vigil::core::detail
