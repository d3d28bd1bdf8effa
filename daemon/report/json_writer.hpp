// A tiny JSON writer for the FHIR bundle: objects, arrays, strings (quotes, backslashes and
// control characters escaped; other UTF-8 passed through), integers, and decimals rounded to a
// fixed precision so the same record always gives the same bytes. Compact, no whitespace.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "record/json_quote.hpp"

namespace vigil::report {

class json_writer {
 public:
  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();
  json_writer& key(std::string_view k);  // inside an object, before its value
  json_writer& string(std::string_view s);
  json_writer& integer(std::int64_t v);
  // Rounded to `decimals` places, trailing zeros (and a bare point) dropped: 82.40 -> 82.4,
  // 186.0 -> 186. Not finite: null.
  json_writer& decimal(double v, int decimals = 1);

  // "key": "value" and "key": {... in one call, the common case.
  json_writer& field(std::string_view k, std::string_view s) { return key(k).string(s); }

  const std::string& str() const { return out_; }

 private:
  void before_value();
  std::string out_;
  std::vector<bool> first_;  // per open container: no member written yet
  bool after_key_ = false;
};

// `s` as a JSON string literal, quotes included.
using record::json_quote;  // record/json_quote.hpp

}  // namespace vigil::report
