// vigild's durable state (alarms.md section 8) behind one interface: each bed's state, and the
// transactional outbox of what vigild is going to publish. An implementation commits a
// change_set atomically and durably (all or nothing, on stable storage when commit() returns),
// so a message written in the same change as the bed state that caused it is never lost and
// never published for a state a crash could take back.
//
// The tables (the same on every implementation; a row belongs to one topic prefix, so several
// wards can share one database):
//   beds   (prefix, bed_id, state, event_seq, updated_at_ms)   state: a BedState record
//   outbox (prefix, id, topic, payload, qos, retained, created_at_ms)   ids rise in publish order
//   vigil_meta (key, value)                                      schema_version
//
// Threads: an implementation is used by one thread at a time (vigild's store_thread).
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "codec/outbox.hpp"
#include "core/bed_state.hpp"
#include "core/types.hpp"

namespace vigil::store {

// A store that cannot be opened, read or written; what() names the database and the cause.
class store_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct bed_row {
  std::string id;
  std::string state;  // encode_bed()
  std::uint64_t event_seq = 0;
};

// One transaction's worth: applied in this order, all or nothing.
struct change_set {
  std::vector<bed_row> beds;             // inserted or replaced
  std::vector<codec::outgoing> outbox;   // added (each with its outbox_id)
  std::vector<std::uint64_t> published;  // outbox ids the broker acknowledged: removed
  core::time_ms at_ms = 0;               // updated_at_ms / created_at_ms
  bool empty() const { return beds.empty() && outbox.empty() && published.empty(); }
};

struct loaded_state {
  std::vector<core::bed_state> beds;    // sorted by id
  std::vector<codec::outgoing> outbox;  // not yet acknowledged, in id (publish) order
  std::uint64_t next_outbox_id = 1;     // above every id ever used under this prefix
  // Rows that could not be decoded: reported, moved out of `beds` (into `beds_corrupt`), and
  // the bed starts afresh. And beds under other prefixes, which this instance leaves alone.
  std::vector<std::string> problems;
  std::size_t other_prefix_beds = 0;
};

class store {
 public:
  virtual ~store() = default;
  // Everything under this store's prefix. Throws store_error.
  virtual loaded_state load() = 0;
  // Applies the changes, in order, in one durable transaction. Throws store_error (nothing
  // applied). A transaction that only removes acknowledged messages may skip the sync to
  // stable storage (it survives a crash of the process, not necessarily a power cut, which
  // at worst publishes those messages once more).
  virtual void commit(const std::vector<const change_set*>& changes) = 0;
  void commit(const change_set& c) { commit(std::vector<const change_set*>{&c}); }
  // Adds the beds this store does not hold yet, in one transaction; returns how many.
  virtual std::size_t import(const std::vector<bed_row>& beds) = 0;
  // For the log and errors: e.g. "sqlite:///var/lib/vigil/vigil.db".
  virtual std::string describe() const = 0;
};

bed_row make_row(const core::bed_state& bed);

}  // namespace vigil::store
