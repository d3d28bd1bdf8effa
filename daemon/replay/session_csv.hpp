// The session CSV of contract.md ("Session CSV") parsed into the messages a gateway, a pump
// and a dashboard would have published, each with its receive time. No I/O, no wire format:
// import.hpp turns the result into a recording.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/types.hpp"

namespace vigil::replay {

// `ack CONDITION` names no alarm id: the id of "that bed's newest open alarm of CONDITION" is
// only known when the recording is played, so the ack carries this placeholder and the players
// resolve it (ack_resolution.hpp).
inline constexpr std::string_view unresolved_ack_suffix = ":?";

struct csv_error {
  std::string file;
  std::size_t line = 0;    // 1-based; the header is line 1
  std::size_t column = 0;  // 1-based field number; 0 when the whole line is at fault
  std::string column_name;
  std::string message;
  // "a.csv:7:3: sbp_mmhg: \"12x\" is not a number"
  std::string to_string() const;
};

using csv_message = std::variant<core::heart_rate, core::blood_pressure, core::monitor_status,
                                 core::infusion_event, core::alarm_ack>;

struct csv_item {
  core::time_ms time = 0;  // start_ms + time_s x 1000
  csv_message message;
};

struct csv_options {
  std::string bed;  // already a valid bed id
  core::time_ms start_ms = 0;
};

struct csv_result {
  std::vector<csv_item> items;    // in receive order; empty when there are errors
  std::vector<csv_error> errors;  // every malformed cell and row, in file order
};

// `file_name` only labels the errors. Device ids are "csv:{bed}", seq counts from 1.
csv_result parse_session_csv(std::string_view text, std::string_view file_name,
                             const csv_options& opts);

}  // namespace vigil::replay
