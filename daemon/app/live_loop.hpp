// One turn of vigild's loop, for a batch of received messages or a deadline: the ward reads the
// time once from the loop's clock and handles the turn at that time, what it changed goes
// to durable_outbox (committed, then published), every received message goes to the recorder,
// and one steady_timer is armed for the engine's next deadline.
// Not thread-safe: the loop thread owns it.
#pragma once

#include <functional>
#include <optional>
#include <span>

#include "app/durable_outbox.hpp"
#include "app/ward.hpp"
#include "io/asio.hpp"
#include "io/mqtt_link.hpp"
#include "io/recorder_thread.hpp"

namespace vigil::app {

class live_loop {
 public:
  // Every reference must outlive this object; `recorder` may be null.
  live_loop(boost::asio::io_context& loop, ward& w, durable_outbox& outbox,
            io::recorder_thread* recorder, std::string prefix);

  // The turn that restores the saved beds: their snapshots go to `publish_bulk`, behind
  // anything new; what fell due while vigild was down fires now.
  template <typename Publish>
  void restore(std::vector<core::bed_state> beds, Publish publish_bulk) {
    const auto now = begin_turn();
    for (auto& msg : ward_.restore(std::move(beds), now)) publish_bulk(std::move(msg));
    end_turn(now);
  }
  void on_messages(std::span<io::inbound_message> batch);
  // The engine's configuration changed: deadlines may now be earlier or later.
  void reconfigure(const core::engine_config& cfg);
  // No more turns: the deadline timer is cancelled and later batches are ignored.
  void stop();
  // Gets each turn's record rows (the trend, the sessions), before they are submitted.
  using record_reader = std::function<void(const record::rows&, core::time_ms now)>;
  void on_record(record_reader f) { on_record_ = std::move(f); }

 private:
  core::time_ms begin_turn();
  void end_turn(core::time_ms now);
  void on_deadline();
  void arm_deadline(core::time_ms now);

  ward& ward_;
  durable_outbox& outbox_;
  io::recorder_thread* recorder_;
  const std::string prefix_;
  boost::asio::steady_timer deadline_timer_;
  std::optional<core::time_ms> armed_for_;  // the deadline the timer waits for
  bool stopped_ = false;
  record_reader on_record_;
};

}  // namespace vigil::app
