#include "app/history_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <climits>
#include <exception>
#include <utility>

#include "codec/history.hpp"
#include "codec/topics.hpp"

namespace vigil::app {

namespace asio = boost::asio;

history_service::history_service(asio::io_context& loop, store::store_thread& store,
                                 std::string prefix, publisher publish)
    : loop_(loop),
      store_(store),
      prefix_(std::move(prefix)),
      request_topic_(codec::history_request_topic(prefix_)),
      response_root_(codec::history_response_root(prefix_)),
      publish_(std::move(publish)) {}

void history_service::answer(const io::inbound_message& m, std::string payload) {
  publish_(codec::outgoing{m.response_topic, std::move(payload), false, 1, 0, m.correlation});
}

void history_service::refuse(const io::inbound_message& m, std::string why, core::time_ms now) {
  ++counters_.refused;
  if (log_.admit("refused", std::chrono::steady_clock::now())) {
    spdlog::warn("history: request for {} refused: {}", m.response_topic, why);
  }
  codec::history_response r;
  r.error = std::move(why);
  r.at_ms = now;
  answer(m, codec::encode(r));
}

void history_service::handle(const io::inbound_message& m, core::time_ms now) {
  const std::string_view reply(m.response_topic);
  if (!reply.starts_with(response_root_) || reply.size() == response_root_.size() ||
      reply.find_first_of("+#") != std::string_view::npos) {
    ++counters_.ignored;
    if (log_.admit("ignored", std::chrono::steady_clock::now())) {
      spdlog::warn(
          "history: a request without a response topic under {} ('{}') cannot be answered; "
          "ignored",
          response_root_, m.response_topic);
    }
    return;
  }
  auto decoded = codec::decode_history_request(m.payload);
  if (!decoded) return refuse(m, decoded.error(), now);
  const auto req = std::move(decoded).value();
  if (req.trend && req.bed_id.empty()) return refuse(m, "a trend needs bed_id", now);
  if (pending_ >= max_pending) {
    return refuse(m, "busy: " + std::to_string(max_pending) + " requests are being read; ask again",
                  now);
  }
  store::record_filter f;
  f.bed_id = req.bed_id;
  f.session_id = req.session_id;
  f.since_ms = req.since_ms != 0 ? req.since_ms : INT64_MIN;
  f.until_ms = req.until_ms != 0 ? req.until_ms : now;
  if (f.until_ms < f.since_ms) return refuse(m, "until_ms is before since_ms", now);
  f.limit = req.limit == 0 ? codec::max_history_rows
                           : std::min<std::uint32_t>(req.limit, codec::max_history_rows);
  ++pending_;
  store_.post([this, f, trend = req.trend, m, now](store::store& s) {
    codec::history_response r;
    r.at_ms = now;
    try {
      auto events = s.history(f);
      r.events = std::move(events.rows);
      r.truncated = events.truncated;
      r.sessions = s.sessions(f).rows;
      if (trend) {
        auto points = s.trend(f);
        r.trend = std::move(points.rows);
        r.truncated = r.truncated || points.truncated;
      }
    } catch (const std::exception& e) {
      r = {};
      r.at_ms = now;
      r.error = std::string("the store could not be read: ") + e.what();
    }
    asio::post(loop_, [this, m, r = std::move(r)]() mutable {
      --pending_;
      if (r.error.empty()) {
        ++counters_.answered;
      } else {
        ++counters_.refused;
        spdlog::error("history: {}", r.error);
      }
      answer(m, codec::encode(r));
    });
  });
}

}  // namespace vigil::app
