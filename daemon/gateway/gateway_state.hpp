// What vigil-gateway must remember across restarts, in SQLite ({state_dir}/gateway.db):
// - each device's reading sequence, so `seq` keeps rising after a restart. Numbers are taken in
//   blocks of 1,000 written ahead, so a report costs no write; a restart skips the rest of a
//   block (a gap, never a repeat);
// - each device's latest NIBP time per source, so the NIBP a sender repeats in every periodic
//   report is published once, also after a restart (a repeat would look fresh to vigild, whose
//   clock is the receive time, and would hide NIBP_OVERDUE);
// - each bed's sender and device, so a bed whose sender never comes back after a restart still
//   goes OFFLINE.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace vigil::store::sqlite {
class db;
class statement;
}  // namespace vigil::store::sqlite

namespace vigil::gateway {

struct known_bed {
  std::string bed;
  std::string sender;
  std::string device;
};

class gateway_state {
 public:
  // Opens or creates the file; throws store::store_error naming the file and the cause (not a
  // database, damaged, another gateway holding it).
  explicit gateway_state(const std::filesystem::path& file);
  ~gateway_state();
  gateway_state(const gateway_state&) = delete;
  gateway_state& operator=(const gateway_state&) = delete;

  // The next reading sequence number of a device (1, 2, ...).
  std::uint64_t next_seq(std::string_view device);
  // True when `measured_at_ms` is later than the latest NIBP of (device, source) published, and
  // then remembers it; false for a repeat or an older reading.
  bool newer_nibp(std::string_view device, core::bp_source source, core::time_ms measured_at_ms);
  // The latest NIBP time of (device, source) remembered, if any.
  std::optional<core::time_ms> last_nibp(std::string_view device, core::bp_source source) const;
  // Undoes newer_nibp(device, source, measured_at_ms) when that is still the latest: back to
  // `previous` (none: forgotten). For a report whose NIBP the broker may never have received.
  void undo_nibp(std::string_view device, core::bp_source source, core::time_ms measured_at_ms,
                 std::optional<core::time_ms> previous);
  // Remembers which sender and device report for a bed (written when it changes).
  void remember_bed(const known_bed& b);
  const std::vector<known_bed>& beds() const { return beds_; }

 private:
  struct seq_block {
    std::uint64_t next = 1;
    std::uint64_t reserved = 0;  // written: numbers below it may have been used
  };
  std::unique_ptr<store::sqlite::db> db_;
  std::unique_ptr<store::sqlite::statement> put_seq_, put_nibp_, put_bed_, drop_nibp_;
  std::map<std::string, seq_block, std::less<>> seq_;
  std::map<std::pair<std::string, int>, core::time_ms> nibp_;
  std::vector<known_bed> beds_;
};

}  // namespace vigil::gateway
