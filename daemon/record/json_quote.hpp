// A string as a JSON string literal: quotes, backslashes and control characters escaped (the
// short forms where JSON has them, \u00XX otherwise), other bytes (UTF-8) as they are. The one
// quoting of the record's JSON outputs (the burden's JSON, the FHIR bundle). The contract's
// JSON lines follow protobuf's own escaping instead (codec/json_line.cpp).
#pragma once

#include <string>
#include <string_view>

namespace vigil::record {

std::string json_quote(std::string_view s);

}  // namespace vigil::record
