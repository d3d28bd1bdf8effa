#include "app/trend_publisher.hpp"

#include <utility>

#include "codec/history.hpp"
#include "codec/topics.hpp"

namespace vigil::app {

trend_publisher::trend_publisher(boost::asio::io_context& loop, std::string prefix,
                                 publisher publish, clock now)
    : prefix_(std::move(prefix)),
      publish_(std::move(publish)),
      now_(std::move(now)),
      timer_(loop) {}

void trend_publisher::start() { arm(); }

void trend_publisher::stop() {
  stopped_ = true;
  timer_.cancel();
}

void trend_publisher::arm() {
  if (stopped_) return;
  timer_.expires_after(tick_interval);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    tick();
    arm();
  });
}

trend_publisher::bed& trend_publisher::at(const std::string& id) {
  auto& b = beds_[id];
  if (!b.changed) {
    b.changed = true;
    changed_.push_back(id);
  }
  return b;
}

void trend_publisher::add(const record::rows& r, core::time_ms now) {
  for (const auto& s : r.sessions) {
    auto& b = at(s.bed_id);
    b.window.session(s, now);
    b.urgent = true;
  }
  for (const auto& t : r.trend) {
    auto& b = at(t.bed_id);
    b.window.add(t.point, t.session_id);
    if (t.point.series == record::series::nibp_sys) b.urgent = true;
  }
}

void trend_publisher::seed(const record::session_info& s,
                           const std::vector<record::trend_point>& points, core::time_ms now) {
  auto& b = at(s.bed_id);
  b.window = {};
  b.window.session(s, now);
  for (const auto& p : points) b.window.add(p, s.session_id);
  b.urgent = true;
}

void trend_publisher::tick() {
  const core::time_ms now = now_();
  std::vector<std::string> waiting;
  for (auto& id : changed_) {
    auto& b = beds_[id];
    if (!b.urgent && now - b.published_at < min_interval_ms) {
      waiting.push_back(std::move(id));
      continue;
    }
    b.window.trim(now);
    codec::bed_trend t{id,
                       b.window.session_id(),
                       b.window.from_ms(),
                       now,
                       record::trend_window::resolution_ms,
                       b.window.points()};
    codec::outgoing m{codec::trend_topic(prefix_, id), codec::encode(t), true, 1};
    publish_(std::move(m));
    b.changed = b.urgent = false;
    b.published_at = now;
  }
  changed_ = std::move(waiting);
}

}  // namespace vigil::app
