// Answers the record's MQTT 5 requests (codec/history.hpp; README "The record"): a
// HistoryRequest on {prefix}/history/request, with a Response Topic under
// {prefix}/history/response/ and the asker's Correlation Data, gets one HistoryResponse there
// with the same Correlation Data. The store is read on its own thread, between commits, so the
// loop never waits; at most max_pending requests are being read at once (more are answered
// "busy"), and each answer holds at most codec::max_history_rows events and as many trend
// points. Who may ask, and read the answers, is the broker's ACL's to decide.
// Threads: the loop thread; the store job posts its answer back to the loop.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "codec/outbox.hpp"
#include "io/asio.hpp"
#include "io/inbound_batcher.hpp"
#include "io/logging.hpp"
#include "store/store_thread.hpp"

namespace vigil::app {

struct history_counters {
  std::uint64_t answered = 0;  // with the rows asked for
  std::uint64_t refused = 0;   // answered with an error (undecodable, bad filter, busy, failed)
  std::uint64_t ignored = 0;   // no usable response topic: nowhere to answer
};

class history_service {
 public:
  using publisher = std::function<void(codec::outgoing)>;
  static constexpr std::size_t max_pending = 8;

  // `loop` and `store` must outlive this object.
  history_service(boost::asio::io_context& loop, store::store_thread& store, std::string prefix,
                  publisher publish);

  bool is_request(const io::inbound_message& m) const { return m.topic == request_topic_; }
  // A message is_request() said yes to, received at `now`.
  void handle(const io::inbound_message& m, core::time_ms now);

  const history_counters& counters() const { return counters_; }

 private:
  void answer(const io::inbound_message& m, std::string payload);
  void refuse(const io::inbound_message& m, std::string why, core::time_ms now);

  boost::asio::io_context& loop_;
  store::store_thread& store_;
  const std::string prefix_;
  const std::string request_topic_;
  const std::string response_root_;
  publisher publish_;
  std::size_t pending_ = 0;
  history_counters counters_;
  io::log_limiter log_{20, std::chrono::minutes(1)};
};

}  // namespace vigil::app
