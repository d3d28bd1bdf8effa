// A bed's trend for a central station's tile (contract: BedTrend on {prefix}/beds/{bed}/trend):
// the session so far, or in IDLE the last idle_window_ms; HR and arterial per minute (the
// record's 10 s buckets merged: n summed, min of lows, max of highs, mean weighted by n), every
// NIBP reading as it is. Pure; fed with the record's rows as the keeper makes them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "record/rows.hpp"

namespace vigil::record {

class trend_window {
 public:
  static constexpr core::time_ms resolution_ms = 60'000;
  static constexpr core::time_ms idle_window_ms = 60 * 60'000;
  static constexpr std::size_t max_points = 4096;  // 4 h of HR and an arterial line

  // A session started (the window starts empty) or changed (ended_ms == 0), or ended (the
  // window becomes the last idle_window_ms, the session's points in it kept).
  void session(const session_info& s, core::time_ms now);
  // A trend row of this bed (10 s bucket or NIBP reading) and the session it was taken in ("":
  // none). In a session, a point of another (a baseline cuff before it) is not the session's.
  void add(const trend_point& p, const std::string& session_id);
  // Drops what fell out of the window by `now` (IDLE: older than idle_window_ms).
  void trim(core::time_ms now);

  const std::string& session_id() const { return session_id_; }
  core::time_ms from_ms() const { return from_ms_; }
  std::vector<trend_point> points() const;  // by at_ms
  std::size_t size() const { return points_.size(); }

 private:
  // A point in 24 bytes rather than 48: a ward of 20,000 beds keeps an hour of HR for each
  // (60 points, 1.4 KB a bed).
  struct packed {
    core::time_ms at_ms = 0;
    float lo = 0, mean = 0, hi = 0;
    std::uint16_t n = 0;  // saturates: a minute of readings at the rate limit is 1,200
    record::series series = series::hr;
  };
  static_assert(sizeof(packed) == 24);

  std::string session_id_;
  core::time_ms from_ms_ = 0;
  bool in_session_ = false;
  std::vector<packed> points_;  // by at_ms
};

}  // namespace vigil::record
