// One bed's state as bytes and back: the BedState record (bed_state.proto) the store keeps per
// bed. Deterministic: the same state gives the same bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/bed_state.hpp"

namespace vigil::store {

std::string encode_bed(const core::bed_state& bed);
// The bed, or nullopt with `error` saying why (undecodable, a value out of range, an unknown
// condition name).
std::optional<core::bed_state> decode_bed(std::string_view bytes, std::string& error);

}  // namespace vigil::store
