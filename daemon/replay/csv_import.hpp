// vigil-replay import-csv: a session CSV -> a recording of the messages it describes, encoded
// as a gateway, pump and dashboard would have published them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "replay/session_csv.hpp"

namespace vigil::replay {

struct import_options {
  std::string bed;  // must be a valid bed id (codec::valid_bed_id)
  core::time_ms start_ms = 0;
  std::string prefix = "clinic";
  std::string source;  // the header's source text
};

struct import_result {
  std::vector<csv_error> errors;  // the CSV's, all of them
  std::string io_error;           // reading the CSV or writing the recording failed
  std::size_t frames = 0;
  bool ok() const { return errors.empty() && io_error.empty(); }
};

// Writes `out` only when the whole CSV is valid, through a temporary file renamed into place,
// so neither a bad CSV nor a crash leaves a partial recording at `out`.
import_result import_csv(const std::filesystem::path& csv, const std::filesystem::path& out,
                         const import_options& opts);

}  // namespace vigil::replay
