// The alarm burden for people and for spreadsheets: a terminal table, CSV (RFC 4180) and JSON.
// Deterministic: no locale, no clock. Absent figures (a rate without bed-hours, a median
// without acknowledgements) print as "-" in the table, an empty field in CSV, null in JSON;
// never inf or NaN.
#pragma once

#include <string>

#include "core/types.hpp"
#include "record/burden.hpp"

namespace vigil::record {

// "2024-03-04T08:00:00Z"; with ".250" before the Z when the time has milliseconds.
std::string iso_utc(core::time_ms t);

// A header line (the window in UTC, the bed, bed-hours and sessions), then aligned columns: a
// row per condition x priority, per condition, per priority and in all; then escalations by
// level. Ends with a newline.
std::string format_table(const burden_report& r);

// A header row, a row per condition x priority, and a totals row (condition and priority
// "ALL"). Columns: window_start, window_end, bed (empty: every bed), bed_hours, condition,
// priority, then the figures (escalations_level_0 ... _N, N at least 3). CRLF line ends;
// fields with a comma, quote, CR or LF are quoted, quotes doubled.
std::string format_csv(const burden_report& r);

// One JSON object on one line, keys in a fixed order, ending with a newline.
std::string format_json(const burden_report& r);

}  // namespace vigil::record
