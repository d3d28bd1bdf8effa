// A session's record put together from the record's rows (README "The record"): vigild from
// its store when the session ends, vigil-replay report from a recording's rows in memory
// (record::book), both through assemble(), so the two give the same record.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/config.hpp"
#include "record/rows.hpp"
#include "record/session_record.hpp"

namespace vigil::record {

// The infusion phase's limits, as the chart draws them: HR high and low, SBP high and low and
// DBP high, MEDIUM and (where there is one) HIGH.
std::vector<limit_line> limits_of(const core::engine_config& cfg);

// The record of `info`'s session: the trend points of its bed from the infusion start to
// `until_ms`, the session's events by event_seq. `trend` and `events` may hold more (other
// times, other sessions): assemble() keeps what belongs.
session_record assemble(const session_info& info, std::vector<trend_point> trend,
                        std::vector<core::alarm_event> events, std::vector<limit_line> limits,
                        core::time_ms until_ms, std::string generator);

// "{bed}_{session}": the base name of a session's record files; characters a file name should
// not hold (in a session id: anything but A-Z a-z 0-9 _ . -) become '_'.
std::string file_stem(const session_info& info);

// The rows of a whole replay, in memory, and every session's record from them.
class book {
 public:
  void add(rows&& r);
  // Each session seen, in the order it started; a session not ended by the end of the
  // recording covers up to `end_ms`.
  std::vector<session_record> records(const std::vector<limit_line>& limits, core::time_ms end_ms,
                                      const std::string& generator) const;

 private:
  std::map<std::string, std::vector<trend_point>> trend_;  // by bed
  std::vector<core::alarm_event> events_;
  std::vector<session_info> sessions_;  // latest facts of each, in start order
};

}  // namespace vigil::record
