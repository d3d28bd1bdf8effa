#include "app/live_loop.hpp"

#include <algorithm>
#include <chrono>

#include "codec/topics.hpp"
#include "io/recorder_thread.hpp"

namespace vigil::app {

live_loop::live_loop(boost::asio::io_context& loop, ward& w, durable_outbox& outbox,
                     io::recorder_thread* recorder, std::string prefix)
    : ward_(w),
      outbox_(outbox),
      recorder_(recorder),
      prefix_(std::move(prefix)),
      deadline_timer_(loop) {}

core::time_ms live_loop::begin_turn() {
  const auto t = ward_.begin_turn();
  if (t.stepped) armed_for_.reset();  // armed in the old time
  return t.now;
}

void live_loop::end_turn(core::time_ms now) {
  auto c = ward_.take();
  if (on_record_ && !c.record.empty()) on_record_(c.record, now);
  outbox_.submit(std::move(c.beds), std::move(c.messages), std::move(c.record), now);
  arm_deadline(now);
}

void live_loop::on_messages(std::span<io::inbound_message> batch) {
  if (stopped_) return;
  const core::time_ms now = begin_turn();  // one receive time for the batch
  ward_.handle(batch, now);
  // Recorded as received, dropped inputs too (a replay must see what vigild saw); only a
  // topic with no bed in it has no file to go to.
  if (recorder_) {
    for (auto& m : batch) {
      if (auto t = codec::parse_input_topic(prefix_, m.topic)) {
        recorder_->record(std::move(t).value().bed, now, std::move(m.topic), std::move(m.payload));
      }
    }
  }
  end_turn(now);
}

void live_loop::on_deadline() {
  if (stopped_) return;
  const core::time_ms now = begin_turn();
  ward_.advance(now);
  end_turn(now);
}

void live_loop::reconfigure(const core::engine_config& cfg) {
  ward_.reconfigure(cfg);
  armed_for_.reset();
  arm_deadline(begin_turn());  // the time now: the last turn's may be long past
}

void live_loop::stop() {
  stopped_ = true;
  deadline_timer_.cancel();
}

void live_loop::arm_deadline(core::time_ms now) {
  const auto deadline = ward_.next_deadline();
  if (!deadline) {
    if (armed_for_) deadline_timer_.cancel();
    armed_for_.reset();
    return;
  }
  // A later deadline than the one armed needs nothing: the timer fires early, the engine has
  // nothing to do, and it is armed again then. So a heart rate pushing its bed's timer back
  // costs no system call.
  if (armed_for_ && *armed_for_ <= *deadline) return;
  armed_for_ = *deadline;
  // The deadline is in wall time, the timer's clock is steady: wait for the difference. A
  // wall-clock step before it fires is caught by the next turn's reading, which rebases.
  deadline_timer_.expires_after(
      std::chrono::milliseconds(std::max<core::time_ms>(0, *deadline - now)));
  deadline_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    armed_for_.reset();
    on_deadline();
  });
}

}  // namespace vigil::app
