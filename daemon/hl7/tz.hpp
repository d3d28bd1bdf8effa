// IANA time zones from the system's TZif files (/usr/share/zoneinfo, Debian's tzdata): the UTC
// offset in force at an instant, and the instant of a local time. Zones are read once and kept.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::hl7 {

class time_zone {
 public:
  // Parses TZif (RFC 8536) bytes: version 1 data, or the 64-bit data of version 2+ and its
  // POSIX TZ footer for instants after the last transition. nullopt when malformed.
  static std::optional<time_zone> from_tzif(std::string_view bytes);
  static time_zone utc();

  // Offset from UTC, in seconds, at a Unix instant (seconds).
  std::int32_t offset_at(std::int64_t unix_s) const;
  // The Unix instant (seconds) of a local time given as seconds since 1970-01-01 00:00 local.
  // A skipped (spring-forward) or repeated (fall-back) local time uses the offset in force
  // before the change.
  std::int64_t to_unix(std::int64_t local_s) const;

 private:
  struct rule;                             // the POSIX TZ footer
  std::vector<std::int64_t> transitions_;  // Unix seconds, ascending
  std::vector<std::int32_t> offsets_;      // offsets_[i]: in force from transitions_[i]
  std::int32_t initial_offset_ = 0;        // before the first transition
  std::shared_ptr<const rule> footer_;     // after the last transition (null: keep the last)
};

// The zone named `name` (IANA, e.g. "Europe/Berlin", "UTC"), read from `root` (default
// /usr/share/zoneinfo) once per process and cached; nullptr when unknown or unreadable. Names
// with "..", a leading '/' or characters outside [A-Za-z0-9_+-/] are refused.
std::shared_ptr<const time_zone> find_zone(std::string_view name);
std::shared_ptr<const time_zone> find_zone(std::string_view name, const std::string& root);

}  // namespace vigil::hl7
