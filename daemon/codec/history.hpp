// The record's request/response messages (proto/vigil/v1/history.proto) <-> plain values:
// what vigilctl and the dashboard ask vigild, and what vigild answers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codec/codec.hpp"
#include "record/session_record.hpp"

namespace vigil::codec {

struct history_request {
  std::string bed_id;          // "": every bed
  std::string session_id;      // "": every session
  core::time_ms since_ms = 0;  // 0: from the oldest kept
  core::time_ms until_ms = 0;  // 0: now
  std::uint32_t limit = 0;     // 0: max_history_rows
  bool trend = false;          // the trend too (one bed)
  friend bool operator==(const history_request&, const history_request&) = default;
};
inline constexpr std::uint32_t max_history_rows = 5000;

struct history_response {
  std::vector<core::alarm_event> events;
  std::vector<record::session_info> sessions;
  std::vector<record::trend_point> trend;
  bool truncated = false;
  std::string error;
  core::time_ms at_ms = 0;
  friend bool operator==(const history_response&, const history_response&) = default;
};

// BedTrend: a bed's retained trend (record::trend_window).
struct bed_trend {
  std::string bed_id;
  std::string session_id;
  core::time_ms from_ms = 0;
  core::time_ms at_ms = 0;
  core::time_ms resolution_ms = 0;
  std::vector<record::trend_point> points;
  friend bool operator==(const bed_trend&, const bed_trend&) = default;
};

decoded<history_request> decode_history_request(std::string_view bytes);
decoded<bed_trend> decode_bed_trend(std::string_view bytes);
std::string encode(const bed_trend& m);
decoded<history_response> decode_history_response(std::string_view bytes);
std::string encode(const history_request& m);
std::string encode(const history_response& m);

}  // namespace vigil::codec
