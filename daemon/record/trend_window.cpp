#include "record/trend_window.hpp"

#include <algorithm>

namespace vigil::record {

void trend_window::session(const session_info& s, core::time_ms now) {
  if (s.ended_ms == 0) {
    // A new session starts empty: what came before it (IDLE, a baseline cuff of the same
    // millisecond) is not the session's.
    if (!in_session_ || session_id_ != s.session_id) points_.clear();
    in_session_ = true;
    session_id_ = s.session_id;
    from_ms_ = s.started_ms;
  } else {
    in_session_ = false;
    session_id_.clear();
  }
  trim(now);
}

namespace {
bool is_nibp(series s) {
  return s == series::nibp_sys || s == series::nibp_dia || s == series::nibp_mean;
}
std::uint16_t saturated(std::uint64_t n) {
  return static_cast<std::uint16_t>(std::min<std::uint64_t>(n, 65535));
}
}  // namespace

std::vector<trend_point> trend_window::points() const {
  std::vector<trend_point> out;
  out.reserve(points_.size());
  for (const auto& p : points_) out.push_back({p.at_ms, p.series, p.n, p.lo, p.mean, p.hi});
  return out;
}

void trend_window::add(const trend_point& p, const std::string& session_id) {
  if (in_session_ && session_id != session_id_) return;
  const packed q{p.at_ms,
                 static_cast<float>(p.lo),
                 static_cast<float>(p.mean),
                 static_cast<float>(p.hi),
                 saturated(p.n),
                 p.series};
  if (is_nibp(p.series)) {
    points_.push_back(q);
  } else {
    const core::time_ms minute =
        p.at_ms - ((p.at_ms % resolution_ms) + resolution_ms) % resolution_ms;
    // The minute's point of this series is among the last few (a minute holds six buckets of
    // at most four series, and NIBP points between them).
    const auto stop = points_.size() > 32 ? points_.end() - 32 : points_.begin();
    auto it =
        std::find_if(points_.rbegin(), std::make_reverse_iterator(stop),
                     [&](const packed& k) { return k.series == p.series && k.at_ms == minute; });
    if (it == std::make_reverse_iterator(stop)) {
      points_.push_back(q);
      points_.back().at_ms = minute;
    } else {
      const double n = static_cast<double>(it->n) + q.n;
      it->mean = static_cast<float>(
          (static_cast<double>(it->mean) * it->n + static_cast<double>(q.mean) * q.n) / n);
      it->n = saturated(static_cast<std::uint64_t>(it->n) + q.n);
      it->lo = std::min(it->lo, q.lo);
      it->hi = std::max(it->hi, q.hi);
    }
  }
  // Rows come in time order but for a bucket written late (NIBP before the HR bucket that
  // started earlier): keep the order by time.
  for (std::size_t i = points_.size() - 1; i > 0 && points_[i].at_ms < points_[i - 1].at_ms; --i)
    std::swap(points_[i], points_[i - 1]);
  if (points_.size() > max_points) points_.erase(points_.begin());
}

void trend_window::trim(core::time_ms now) {
  if (!in_session_) from_ms_ = now - idle_window_ms;
  // A minute's point stays while part of its minute is in the window.
  std::erase_if(points_, [&](const packed& p) {
    return is_nibp(p.series) ? p.at_ms < from_ms_ : p.at_ms + resolution_ms <= from_ms_;
  });
}

}  // namespace vigil::record
