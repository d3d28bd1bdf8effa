// vigild's live recording: one recording per bed per UTC day under a directory,
//   {dir}/{YYYY-MM-DD}/{bed}.rec
// A restart on the same day never appends to (and so never buries a cut-off frame inside) an
// earlier file: it starts the next part, {bed}+1.rec, {bed}+2.rec ... ('+' is not allowed in a
// bed id, so the names cannot collide). Days follow the frames' receive times, not a clock.
// Not thread-safe: give it its own thread (disk writes block) and post frames to it.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <system_error>

#include "io/recording.hpp"

namespace vigil::io {

class daily_recorder {
 public:
  // `source` goes into every file's header, e.g. "vigild instance ward-3".
  daily_recorder(std::filesystem::path dir, std::string source);
  ~daily_recorder();  // closes every file without an end frame, as a crash would

  // Appends to the bed's file for the UTC day of `time`; on a new day closes the bed's previous
  // file with an end frame at that day's last millisecond. Fails with invalid_argument for a
  // bed that breaks the bed-id rule (it becomes a file name).
  [[nodiscard]] std::error_code append(std::string_view bed, core::time_ms time,
                                       std::string_view topic, std::string_view payload);
  // fdatasync every open file: call it now and then (e.g. every second) to bound what a power
  // loss can take; a process crash loses nothing that append() accepted.
  [[nodiscard]] std::error_code sync();
  // Closes every file with an end frame at `now` (a clean stop).
  [[nodiscard]] std::error_code close_all(core::time_ms now);

  // The first-part path of a bed's recording for the UTC day of `time`.
  static std::filesystem::path path_for(const std::filesystem::path& dir, std::string_view bed,
                                        core::time_ms time);

 private:
  struct open_file {
    std::int64_t day = 0;  // days since the epoch, UTC
    recording_writer writer;
  };
  std::error_code open_for(const std::string& bed, std::int64_t day, core::time_ms time,
                           open_file& f);

  std::filesystem::path dir_;
  std::string source_;
  std::map<std::string, open_file, std::less<>> files_;
};

}  // namespace vigil::io
