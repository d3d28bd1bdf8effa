// Crash-safe persistence of the engine's beds (alarms.md section 8): one file per bed.
//
// A bed's file (format 2) is a 4 KiB header and two slots of equal size. A save writes the
// slot that does not hold the newest state, in place, and fdatasyncs it: the blocks were
// written when the file was made, so no metadata changes and one data sync is the whole cost
// (a quarter of write-temporary-file + fsync + rename + directory fsync). Each slot carries a
// sequence number and a CRC-32 over it and the record; load takes the intact slot with the
// higher number, so a kill -9 or power cut in the middle of a save leaves the previous state,
// never a torn one. A file is made (or remade with bigger slots when a record outgrows its
// slot) the classic way: temporary file, fsync, rename, directory fsync.
//
// A record is the format-1 file: magic "VIGILST1", length, CRC-32, protobuf. Format-1 files
// (written by earlier versions) still load, and are replaced by format 2 at their next save.
//
// Not thread-safe: load_all() and save_all() may run on different threads, never at once.
#pragma once

#include <filesystem>
#include <optional>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/bed_state.hpp"

namespace vigil::store {

struct load_report {
  std::vector<core::bed_state> beds;
  // One line per file that could not be restored: path, reason, and where it was moved.
  std::vector<std::string> problems;
  // One line per file restored from its older slot because the newer one is not intact (a save
  // cut off by a crash, before anything it caused was published).
  std::vector<std::string> warnings;
};

// One bed's file contents, made by serialize() on the thread that owns the engine.
struct serialized_bed {
  std::string id;
  std::string bytes;
};

class state_store {
 public:
  // Creates `dir` and dir/beds if needed; throws std::filesystem::filesystem_error if it can't.
  explicit state_store(std::filesystem::path dir);

  // Reads every bed file. A corrupt or unreadable file is moved to dir/corrupt/ and reported.
  load_report load_all();

  // Atomically replaces the bed's file. Returns an error text on failure (disk full, ...).
  std::optional<std::string> save(const core::bed_state& bed);
  // Atomically replaces each bed's file (ids distinct), syncing the directory once for all.
  // Returns one error text per failure; the others are saved. Safe to call from one thread
  // other than the one calling load_all(), as long as they do not overlap.
  std::vector<std::string> save_all(const std::vector<serialized_bed>& group);

  const std::filesystem::path& dir() const { return dir_; }

  // The record format (a whole format-1 file), exposed for tests and fuzzing.
  static std::string serialize(const core::bed_state& bed);
  // A whole file of either format: error text, or the bed.
  static std::optional<core::bed_state> parse(const std::string& bytes, std::string& error);

 private:
  // Where a bed's format-2 file stands: learnt at load or at the save that made it.
  struct slots {
    std::uint32_t slot_size = 0;
    int newest = 0;          // the slot holding the newest state
    std::uint64_t seq = 0;   // its sequence number
  };

  std::filesystem::path bed_path(const std::string& id) const;
  std::filesystem::path tmp_path(const std::string& id) const;
  // Overwrites the older slot of the bed's file and fdatasyncs it; error text on failure.
  std::optional<std::string> save_in_place(const serialized_bed& bed, slots& where);

  std::filesystem::path dir_;
  std::filesystem::path beds_;
  std::unordered_map<std::string, slots> slots_;
};

}  // namespace vigil::store
