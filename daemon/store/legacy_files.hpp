// The per-bed state files of vigild 0.1 ({state_dir}/beds/bed-{id}.state), read once at the
// first start of a later version to import them into the store, then moved aside.
//
// Format 1: a record: magic "VIGILST1", u32 length, u32 CRC-32, the BedState bytes.
// Format 2: a 4 KiB header page (magic "VIGILST2", u32 slot size, u32 CRC-32 of those 12 bytes)
// and two slots, each a u64 sequence number, a u32 CRC-32 of that number and the record, and a
// format-1 record; the intact slot with the higher number holds the bed's state.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/bed_state.hpp"
#include "store/store.hpp"

namespace vigil::store::legacy {

// A whole file of either format. `warning` is set when the newer slot is torn and the bed
// comes from the older one (a save cut off by a crash, before what it caused was published).
std::optional<core::bed_state> parse_file(const std::string& bytes, std::string& error,
                                          std::string& warning);

struct migration_report {
  std::size_t files = 0;     // bed files found
  std::size_t imported = 0;  // beds added to the store
  std::size_t kept = 0;      // beds the store already had (a migration cut off after its commit)
  std::vector<std::string> problems;  // one line per file set aside in {state_dir}/corrupt/
  std::vector<std::string> warnings;  // one line per file restored from its older slot
  std::filesystem::path moved_to;     // where {state_dir}/beds went; empty if there was none
};

// If {state_dir}/beds exists: reads every bed file, imports the beds into `into` in one
// transaction (a bed the store already holds is left as it is), then renames the directory to
// beds.migrated-{UTC time} and syncs state_dir. A corrupt file is moved to {state_dir}/corrupt/
// and reported; it does not stop the others. Throws store_error (naming the path) when the
// import or the rename fails: the files then stay where they are for the next start.
migration_report migrate(const std::filesystem::path& state_dir, store& into);

}  // namespace vigil::store::legacy
