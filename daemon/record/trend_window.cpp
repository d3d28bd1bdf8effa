#include "record/trend_window.hpp"

#include <algorithm>

namespace vigil::record {

void trend_window::session(const session_info& s, core::time_ms now) {
  if (s.ended_ms == 0) {
    in_session_ = true;
    session_id_ = s.session_id;
    from_ms_ = s.started_ms;
  } else {
    in_session_ = false;
    session_id_.clear();
  }
  trim(now);
}

void trend_window::add(const trend_point& p) {
  if (p.series == series::nibp_sys || p.series == series::nibp_dia ||
      p.series == series::nibp_mean) {
    points_.push_back(p);
  } else {
    const core::time_ms minute =
        p.at_ms - ((p.at_ms % resolution_ms) + resolution_ms) % resolution_ms;
    // The minute's point of this series is among the last few (a minute holds six buckets of
    // at most four series, and NIBP points between them).
    const auto stop = points_.size() > 32 ? points_.end() - 32 : points_.begin();
    auto it = std::find_if(
        points_.rbegin(), std::make_reverse_iterator(stop),
        [&](const trend_point& q) { return q.series == p.series && q.at_ms == minute; });
    if (it == std::make_reverse_iterator(stop)) {
      trend_point q = p;
      q.at_ms = minute;
      points_.push_back(q);
    } else {
      const double n = static_cast<double>(it->n) + p.n;
      it->mean = (it->mean * it->n + p.mean * p.n) / n;
      it->n += p.n;
      it->lo = std::min(it->lo, p.lo);
      it->hi = std::max(it->hi, p.hi);
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
  std::erase_if(points_, [&](const trend_point& p) {
    const bool nibp = p.series == series::nibp_sys || p.series == series::nibp_dia ||
                      p.series == series::nibp_mean;
    return nibp ? p.at_ms < from_ms_ : p.at_ms + resolution_ms <= from_ms_;
  });
}

}  // namespace vigil::record
