// What the record keeps, as rows for the store (README "The record"): every alarm event with
// its session (the alarm history), the vitals trend, and each session's facts. The keeper
// makes them from the engine's output; the store commits them with the change that caused
// them; vigil-replay collects them in memory instead.
#pragma once

#include <string>
#include <vector>

#include "core/types.hpp"
#include "record/session_record.hpp"

namespace vigil::record {

struct trend_row {
  std::string bed_id;
  std::string session_id;  // empty in IDLE
  trend_point point;
  friend bool operator==(const trend_row&, const trend_row&) = default;
};

struct rows {
  std::vector<core::alarm_event> history;  // in emission order
  std::vector<trend_row> trend;            // closed buckets and NIBP readings
  // A session's facts, inserted or replaced (keyed by bed and session id); ended_ms set once
  // it ended, which is when its record is due.
  std::vector<session_info> sessions;
  bool empty() const { return history.empty() && trend.empty() && sessions.empty(); }
  std::size_t size() const { return history.size() + trend.size() + sessions.size(); }
  void append(rows&& o);
};

}  // namespace vigil::record
