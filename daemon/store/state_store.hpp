// Crash-safe persistence of the engine's beds (alarms.md section 8): one file per bed, written
// to a temporary file, fsynced, renamed over the old one, and the directory fsynced, so a
// kill -9 or power cut leaves either the old or the new state, never a torn one. Each file has
// a magic, a length and a CRC-32, so corruption is detected rather than restored as nonsense.
// Not thread-safe: the loop thread owns it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/bed_state.hpp"

namespace vigil::store {

struct load_report {
  std::vector<core::bed_state> beds;
  // One line per file that could not be restored: path, reason, and where it was moved.
  std::vector<std::string> problems;
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

  // The file format, exposed for tests and fuzzing.
  static std::string serialize(const core::bed_state& bed);
  // Error text, or the bed.
  static std::optional<core::bed_state> parse(const std::string& bytes, std::string& error);

 private:
  std::filesystem::path bed_path(const std::string& id) const;
  std::filesystem::path tmp_path(const std::string& id) const;

  std::filesystem::path dir_;
  std::filesystem::path beds_;
};

}  // namespace vigil::store
