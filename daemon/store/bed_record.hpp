// One bed's state as bytes and back: the BedState record (bed_state.proto) the store keeps per
// bed. Deterministic: the same state gives the same bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/bed_state.hpp"

namespace vigil::store {

std::string encode_bed(const core::bed_state& bed);
// The bed, or nullopt with `error` saying why (undecodable, a value out of range, an unknown
// condition name).
std::optional<core::bed_state> decode_bed(std::string_view bytes, std::string& error);

// A bed row read back by a store's load(): its decoded bed goes to `beds`; a row that does not
// decode, or holds another bed than its id says, goes to `corrupt` as (id, why).
using corrupt_rows = std::vector<std::pair<std::string, std::string>>;
void take_bed_row(const std::string& id, std::string_view state, std::vector<core::bed_state>& beds,
                  corrupt_rows& corrupt);

}  // namespace vigil::store
