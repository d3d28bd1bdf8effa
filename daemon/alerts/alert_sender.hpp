// The MLLP client that empties the alert queue into the Alert Manager: one TCP connection, kept
// open (keepalive on), one message in flight at a time, so the queue's order is the AM's order.
//
//   - Sends the queue's head and waits for its ACK. An ACK whose MSA-2 is not the MSH-10 in
//     flight is stale (the answer to an earlier transmission, arriving late) and ignored:
//     matching it to the next message is the integration-engine bug ihe-pcd.md section 3 cites.
//   - AA/CA: the head is removed and the next one sent.
//   - AR/CR: logged with the ERR text, counted, and dropped at once. A reject says the AM will
//     never take this message; retrying it would block every later page behind it.
//   - AE/CE: logged and resent after the backoff, at most `error_retries` times, then dropped
//     the same way: an error may be passing (the AM's database busy), a lasting one is a reject.
//   - No ACK within `ack_timeout`: the connection is closed (its state is unknown), and after
//     the backoff a new one is made and the same message sent again, as often as it takes.
//   - Connection refused, lost or timed out: reconnect after a backoff that doubles from
//     `backoff_initial` to `backoff_max` and starts again after a connection that got an ACK.
//   - A PCD-05 ORA^R41 on this connection is logged and ACKed (AM vendors that answer on the
//     PCD-04 socket; the TF has the AM open its own connection, which the gateway's listener
//     takes). Other frames are logged and counted.
//
// A resend keeps its MSH-10, so the AM can drop a duplicate it already took ((MSH-3, MSH-10)).
// Threads: everything runs on the io_context's thread, which owns the queue too; call wake()
// after enqueueing there. Timeouts are settings, so tests run with milliseconds, never sleeps.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "alerts/alert_queue.hpp"
#include "hl7/pcd05.hpp"
#include "io/asio.hpp"

namespace vigil::alerts {

struct sender_settings {
  std::string host{};  // the AM: a name or an address
  std::uint16_t port = 0;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds ack_timeout{10000};
  std::chrono::milliseconds backoff_initial{500};
  std::chrono::milliseconds backoff_max{30000};
  std::uint32_t error_retries = 3;            // AE/CE resends before the message is dropped
  std::size_t max_frame_bytes = 1024 * 1024;  // a longer frame from the AM is an error
  std::string application = "VIGIL";          // our name in the ACKs we send (PCD-05)
};

// For metrics; all counts since start.
struct sender_counters {
  std::uint64_t sent = 0;              // transmissions, resends included
  std::uint64_t acked = 0;             // AA/CA: removed from the queue
  std::uint64_t rejected = 0;          // AR/CR: dropped
  std::uint64_t errors = 0;            // AE/CE answers
  std::uint64_t dropped = 0;           // dropped after error_retries AE/CE (or unsendable)
  std::uint64_t retries = 0;           // resends: after a timeout, a lost connection, an AE/CE
  std::uint64_t ack_timeouts = 0;      // no ACK in time
  std::uint64_t stale_acks = 0;        // MSA-2 not the message in flight: ignored
  std::uint64_t bad_frames = 0;        // not MLLP, not HL7, not an ACK or a PCD-05
  std::uint64_t status_reports = 0;    // PCD-05 received (and ACKed)
  std::uint64_t connects = 0;          // connections made
  std::uint64_t connect_failures = 0;  // attempts refused or timed out, connections lost
  bool connected = false;
};

class alert_sender {
 public:
  // Called with each PCD-05 read on the connection (after it is logged), on the loop thread.
  using status_handler = std::function<void(const hl7::pcd05_status&)>;
  // The wall clock for the ACKs' MSH-7 and the queue's stamps (Unix ms); tests pass their own.
  using wall_clock = std::function<std::int64_t()>;

  alert_sender(boost::asio::io_context& loop, alert_queue& queue, sender_settings settings,
               wall_clock now = {});
  ~alert_sender();
  alert_sender(const alert_sender&) = delete;
  alert_sender& operator=(const alert_sender&) = delete;

  void on_status(status_handler h);
  // Connects and starts sending. Call once.
  void start();
  // A message was enqueued: send it if the link is idle.
  void wake();
  // Closes the connection; queued messages stay queued for the next start (of a new sender).
  void stop();

  const sender_counters& counters() const;
  std::size_t queue_depth() const;

  struct state;  // shared with the pending handlers, which may outlive this object

 private:
  std::shared_ptr<state> state_;
};

}  // namespace vigil::alerts
