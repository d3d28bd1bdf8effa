#include "gateway/gateway_state.hpp"

#include <algorithm>

#include "store/sqlite_db.hpp"

namespace vigil::gateway {
namespace {

constexpr std::uint64_t seq_block_size = 1000;

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS device_seq (device TEXT PRIMARY KEY, reserved INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS nibp_last (
  device TEXT NOT NULL,
  source INTEGER NOT NULL,
  measured_at_ms INTEGER NOT NULL,
  PRIMARY KEY (device, source));
CREATE TABLE IF NOT EXISTS beds (bed TEXT PRIMARY KEY, sender TEXT NOT NULL, device TEXT NOT NULL);
)sql";

using store::sqlite::db;

}  // namespace

gateway_state::gateway_state(const std::filesystem::path& file) : db_(std::make_unique<db>(file)) {
  db_->open_exclusive([this] { db_->exec(schema, "cannot create the tables in"); });
  {
    store::sqlite::statement q(*db_, "SELECT device, reserved FROM device_seq");
    while (db_->step(q.get(), "cannot read the sequences of") == SQLITE_ROW) {
      const auto reserved = static_cast<std::uint64_t>(db::column_int(q.get(), 1));
      seq_[db::column_text(q.get(), 0)] = {reserved, reserved};
    }
  }
  {
    store::sqlite::statement q(*db_, "SELECT device, source, measured_at_ms FROM nibp_last");
    while (db_->step(q.get(), "cannot read the NIBP times of") == SQLITE_ROW)
      nibp_[{db::column_text(q.get(), 0), static_cast<int>(db::column_int(q.get(), 1))}] =
          db::column_int(q.get(), 2);
  }
  {
    store::sqlite::statement q(*db_, "SELECT bed, sender, device FROM beds ORDER BY bed");
    while (db_->step(q.get(), "cannot read the beds of") == SQLITE_ROW)
      beds_.push_back(
          {db::column_text(q.get(), 0), db::column_text(q.get(), 1), db::column_text(q.get(), 2)});
  }
  put_seq_ = db_->prepare(
      "INSERT INTO device_seq (device, reserved) VALUES (?1, ?2) "
      "ON CONFLICT (device) DO UPDATE SET reserved = excluded.reserved");
  put_nibp_ = db_->prepare(
      "INSERT INTO nibp_last (device, source, measured_at_ms) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (device, source) DO UPDATE SET measured_at_ms = excluded.measured_at_ms");
  drop_nibp_ = db_->prepare("DELETE FROM nibp_last WHERE device = ?1 AND source = ?2");
  put_bed_ = db_->prepare(
      "INSERT INTO beds (bed, sender, device) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (bed) DO UPDATE SET sender = excluded.sender, device = excluded.device");
}

gateway_state::~gateway_state() = default;

std::uint64_t gateway_state::next_seq(std::string_view device) {
  auto it = seq_.find(device);
  if (it == seq_.end()) it = seq_.emplace(std::string(device), seq_block{}).first;
  auto& s = it->second;
  if (s.next >= s.reserved) {
    const std::uint64_t reserved = s.next + seq_block_size;
    db::bind_text(put_seq_->get(), 1, device);
    db::bind_int(put_seq_->get(), 2, static_cast<std::int64_t>(reserved));
    db_->run(put_seq_->get(), "cannot write a sequence to");
    s.reserved = reserved;
  }
  return s.next++;
}

bool gateway_state::newer_nibp(std::string_view device, core::bp_source source,
                               core::time_ms measured_at_ms) {
  const std::pair<std::string, int> key{std::string(device), static_cast<int>(source)};
  const auto it = nibp_.find(key);
  if (it != nibp_.end() && measured_at_ms <= it->second) return false;
  db::bind_text(put_nibp_->get(), 1, device);
  db::bind_int(put_nibp_->get(), 2, key.second);
  db::bind_int(put_nibp_->get(), 3, measured_at_ms);
  db_->run(put_nibp_->get(), "cannot write an NIBP time to");
  nibp_[key] = measured_at_ms;
  return true;
}

std::optional<core::time_ms> gateway_state::last_nibp(std::string_view device,
                                                      core::bp_source source) const {
  const auto it = nibp_.find({std::string(device), static_cast<int>(source)});
  if (it == nibp_.end()) return std::nullopt;
  return it->second;
}

void gateway_state::undo_nibp(std::string_view device, core::bp_source source,
                              core::time_ms measured_at_ms, std::optional<core::time_ms> previous) {
  const std::pair<std::string, int> key{std::string(device), static_cast<int>(source)};
  const auto it = nibp_.find(key);
  if (it == nibp_.end() || it->second != measured_at_ms) return;  // a later one since
  if (previous) {
    db::bind_text(put_nibp_->get(), 1, device);
    db::bind_int(put_nibp_->get(), 2, key.second);
    db::bind_int(put_nibp_->get(), 3, *previous);
    db_->run(put_nibp_->get(), "cannot write an NIBP time to");
    it->second = *previous;
  } else {
    db::bind_text(drop_nibp_->get(), 1, device);
    db::bind_int(drop_nibp_->get(), 2, key.second);
    db_->run(drop_nibp_->get(), "cannot forget an NIBP time in");
    nibp_.erase(it);
  }
}

void gateway_state::remember_bed(const known_bed& b) {
  for (auto& known : beds_) {
    if (known.bed != b.bed) continue;
    if (known.sender == b.sender && known.device == b.device) return;
    known = b;
    break;
  }
  if (std::none_of(beds_.begin(), beds_.end(), [&](const auto& k) { return k.bed == b.bed; }))
    beds_.push_back(b);
  db::bind_text(put_bed_->get(), 1, b.bed);
  db::bind_text(put_bed_->get(), 2, b.sender);
  db::bind_text(put_bed_->get(), 3, b.device);
  db_->run(put_bed_->get(), "cannot write a bed to");
}

}  // namespace vigil::gateway
