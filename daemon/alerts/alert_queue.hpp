// The durable FIFO of PCD-04 ORU^R40 messages waiting for the Alert Manager's ACK: one SQLite
// file (WAL, synchronous=FULL), so a message enqueued before a kill -9 or a power cut is still
// there, in its place, when the gateway starts again.
//
// Order: one FIFO for every bed and alarm, so the events of one alarm reach the AM in the order
// vigild emitted them (a later message is never sent before an earlier one is ACKed or dropped).
//
// Idempotent: a message is known by (alarm_id, event_seq), an AlarmEvent's identity. MQTT QoS 1
// may deliver an event twice (a reconnect, a restart before the PUBACK); the second enqueue is
// refused, also after the first was sent and removed, for `keep_done_ms` after its removal.
//
// Table alert_queue (id, alarm_id, event_seq, message, enqueued_at_ms, done_at_ms, outcome):
// done_at_ms is NULL while the message waits; removal stamps it and the outcome ("acked",
// "rejected", "dropped"), and rows done longer than keep_done_ms ago are deleted.
//
// Threads: used by one thread at a time (the gateway's loop). Each call commits before it
// returns (one fsync per write).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vigil::alerts {

// The queue's file cannot be opened, is not a queue, is corrupt, or a write failed; what()
// names the file and SQLite's cause.
class queue_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct queued_alert {
  std::uint64_t id = 0;  // rises in enqueue order
  std::string message;   // the ORU^R40, unframed
  std::string alarm_id;
  std::uint64_t event_seq = 0;
  std::int64_t enqueued_at_ms = 0;
};

enum class outcome : std::uint8_t { acked, rejected, dropped };

class alert_queue {
 public:
  // A day: far longer than any MQTT redelivery, and a few thousand rows at most.
  static constexpr std::int64_t default_keep_done_ms = 24LL * 3600 * 1000;

  // Opens or creates the file (mode 0600). Throws queue_error when it cannot be opened, fails
  // its integrity check, or holds a newer schema.
  explicit alert_queue(const std::filesystem::path& file,
                       std::int64_t keep_done_ms = default_keep_done_ms);
  ~alert_queue();
  alert_queue(const alert_queue&) = delete;
  alert_queue& operator=(const alert_queue&) = delete;

  // Appends a message; false (and nothing written) when (alarm_id, event_seq) is already
  // known, waiting or done.
  bool enqueue(std::string_view message, std::string_view alarm_id, std::uint64_t event_seq,
               std::int64_t now_ms);
  // The oldest waiting message, if any.
  std::optional<queued_alert> head() const;
  // Removes a waiting message (normally the head) and prunes old done rows. False when `id`
  // is not waiting.
  bool remove(std::uint64_t id, outcome why, std::int64_t now_ms);
  // Messages waiting.
  std::size_t depth() const;
  // Messages removed with `why` still remembered (within keep_done_ms).
  std::size_t done(outcome why) const;

  const std::filesystem::path& file() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

std::string_view name(outcome o);

}  // namespace vigil::alerts
