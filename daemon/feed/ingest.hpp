// One received MQTT message -> the engine. Parses the topic, bounds and decodes the payload,
// checks what the engine cannot (device_id), limits each bed's rate per input kind, and calls
// the engine's on_*. Every drop is counted by reason and described in one line for a
// rate-limited log. Never throws.
// Not thread-safe: lives on the loop thread with the engine.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "codec/topics.hpp"
#include "core/engine.hpp"

namespace vigil::feed {

enum class ingest_drop : std::uint8_t {
  bad_topic,  // not under the prefix, or not one of the five input topics
  bad_bed_id,
  oversized,  // payload over max_payload_bytes
  undecodable_heart_rate,
  undecodable_blood_pressure,
  undecodable_monitor_status,
  undecodable_infusion,
  undecodable_ack,
  missing_device_id,  // HeartRate, BloodPressure, MonitorStatus without device_id
  rate_limited,       // valid, but over its bed's rate_limit for that input kind
  count
};
std::string_view to_string(ingest_drop d);  // the enumerator's name

struct ingest_diagnostic {
  ingest_drop reason;
  std::string detail;  // one printable line naming the topic (shortened) and the cause
};

// A token bucket per bed and input kind: `burst` messages at once, refilled at `per_second`.
// Only messages that would reach the engine take a token, so garbage on a bed's topic never
// crowds out its monitor's valid readings. Real monitors send at most a few messages per second
// per kind (HR 1 Hz, arterial BP 1 Hz or per beat); the defaults leave 20x headroom and absorb
// a 40-second backlog at 1 Hz. What they cap: every accepted reading can be an alarm transition
// that vigild logs, saves and publishes to every dashboard, ahead of other beds' alarms (one
// bed flapping NIBP at 5,000/s, unlimited, made vigild publish 37,695 messages in 20 s and
// other beds' alarms late by up to 2.1 s). Values below 1 count as 1.
struct rate_limit {
  std::uint32_t per_second = 20;
  std::uint32_t burst = 40;
};

class ingest {
 public:
  static constexpr std::size_t max_payload_bytes = 64 * 1024;

  // `engine` must outlive this object.
  ingest(core::engine& engine, std::string prefix, rate_limit limit = {});

  // Handles one message received at `now`; what the engine emits is appended to `out`.
  // Returns the diagnostic when the message was dropped here (the engine's own drops are in
  // out.diagnostics).
  std::optional<ingest_diagnostic> handle(std::string_view topic, std::string_view payload,
                                          core::time_ms now, core::engine_output& out);

  // Messages on one of the five input topics of a valid bed, by kind, before any other check.
  std::uint64_t received(codec::input_kind k) const {
    return received_[static_cast<std::size_t>(k)];
  }
  std::uint64_t accepted() const { return accepted_; }  // handed to the engine
  std::uint64_t dropped(ingest_drop d) const { return dropped_[static_cast<std::size_t>(d)]; }
  std::uint64_t dropped_total() const;
  // Every counter by name, zeros included, "accepted" first then each ingest_drop in order.
  std::vector<std::pair<std::string_view, std::uint64_t>> counters() const;

 private:
  ingest_diagnostic drop(ingest_drop reason, std::string_view topic, std::string_view cause);
  bool take_token(std::size_t slot, std::size_t kind, core::time_ms now);

  core::engine& engine_;
  std::string prefix_;
  std::int64_t interval_us_;   // one token's worth of time
  std::int64_t tolerance_us_;  // (burst - 1) tokens' worth
  // Per bed (indexed by the engine's bed_slot, so no second hash of the id) and input kind, when
  // its bucket is full again (GCRA: one number per bucket; 0 is full). As many as the engine
  // has beds: 40 bytes each.
  using buckets = std::array<std::int64_t, std::size(codec::all_input_kinds)>;
  std::vector<buckets> full_at_us_;
  std::array<std::uint64_t, std::size(codec::all_input_kinds)> received_{};
  std::uint64_t accepted_ = 0;
  std::array<std::uint64_t, static_cast<std::size_t>(ingest_drop::count)> dropped_{};
};

}  // namespace vigil::feed
