// HL7 DTM: YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ] to Unix milliseconds. Pure apart from
// time zone lookup, which reads the system's TZif files (tz.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::hl7 {

struct dtm_value {
  std::int64_t unix_ms = 0;
  bool had_offset = false;  // false: the zone came from the sender's configuration
};

struct dtm_result {
  std::optional<dtm_value> value;
  std::string error;  // why not, when !value
};

// PCD needs at least a date and an hour (resolution of one second is asked for; shorter
// forms are read as the start of their period). An offset of -0000 is UTC. Without an offset
// the local time is read in `zone` (an IANA name, e.g. "Europe/Berlin"); a local time that a
// DST change skips or repeats is read with the offset before the change.
dtm_result parse_dtm(std::string_view text, std::string_view zone);

}  // namespace vigil::hl7
