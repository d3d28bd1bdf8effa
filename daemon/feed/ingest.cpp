#include "feed/ingest.hpp"

#include <algorithm>
#include <numeric>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "core/engine_books.hpp"

namespace vigil::feed {
namespace {

// A topic comes from the network: keep the log line short and printable.
std::string printable(std::string_view s) {
  constexpr std::size_t max_chars = 120;
  std::string out;
  for (const char c : s.substr(0, max_chars)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > max_chars) out += "...";
  return out;
}

ingest_drop undecodable(codec::input_kind k) {
  switch (k) {
    case codec::input_kind::heart_rate: return ingest_drop::undecodable_heart_rate;
    case codec::input_kind::blood_pressure: return ingest_drop::undecodable_blood_pressure;
    case codec::input_kind::monitor_status: return ingest_drop::undecodable_monitor_status;
    case codec::input_kind::infusion: return ingest_drop::undecodable_infusion;
    case codec::input_kind::ack: return ingest_drop::undecodable_ack;
  }
  return ingest_drop::bad_topic;
}

}  // namespace

std::string_view to_string(ingest_drop d) {
  switch (d) {
    case ingest_drop::bad_topic: return "bad_topic";
    case ingest_drop::bad_bed_id: return "bad_bed_id";
    case ingest_drop::oversized: return "oversized";
    case ingest_drop::undecodable_heart_rate: return "undecodable_heart_rate";
    case ingest_drop::undecodable_blood_pressure: return "undecodable_blood_pressure";
    case ingest_drop::undecodable_monitor_status: return "undecodable_monitor_status";
    case ingest_drop::undecodable_infusion: return "undecodable_infusion";
    case ingest_drop::undecodable_ack: return "undecodable_ack";
    case ingest_drop::missing_device_id: return "missing_device_id";
    case ingest_drop::rate_limited: return "rate_limited";
    case ingest_drop::count: break;
  }
  return "unknown";
}

ingest::ingest(core::engine& engine, std::string prefix, rate_limit limit)
    : engine_(engine),
      prefix_(std::move(prefix)),
      interval_us_(1'000'000 / std::max<std::int64_t>(1, limit.per_second)),
      tolerance_us_((std::max<std::int64_t>(1, limit.burst) - 1) * interval_us_) {}

bool ingest::take_token(std::size_t slot, std::size_t kind, core::time_ms now) {
  const std::int64_t now_us = now * 1000;
  if (slot >= full_at_us_.size()) full_at_us_.resize(slot + 1, buckets{});
  std::int64_t& full_at = full_at_us_[slot][kind];
  // Normally full_at <= now + burst tokens' worth. Beyond that the wall clock stepped back:
  // start the bucket full rather than silence the bed for as long as the step.
  if (full_at - now_us > tolerance_us_ + interval_us_) full_at = now_us;
  const std::int64_t from = std::max(full_at, now_us);
  if (from - now_us > tolerance_us_) return false;
  full_at = from + interval_us_;
  return true;
}

ingest_diagnostic ingest::drop(ingest_drop reason, std::string_view topic, std::string_view cause) {
  ++dropped_[static_cast<std::size_t>(reason)];
  return {reason, "dropped message on '" + printable(topic) + "': " + std::string(cause)};
}

std::optional<ingest_diagnostic> ingest::handle(std::string_view topic, std::string_view payload,
                                                core::time_ms now, core::engine_output& out) {
  const auto parsed = codec::parse_input_topic_ref(prefix_, topic);
  if (!parsed) {
    const auto e = parsed.error();
    return drop(
        e == codec::topic_error::bad_bed_id ? ingest_drop::bad_bed_id : ingest_drop::bad_topic,
        topic, to_string(e));
  }
  const std::string_view bed = parsed.value().bed;
  const codec::input_kind kind = parsed.value().kind;
  ++received_[static_cast<std::size_t>(kind)];
  if (payload.size() > max_payload_bytes) {
    return drop(ingest_drop::oversized, topic,
                "payload of " + std::to_string(payload.size()) + " bytes exceeds " +
                    std::to_string(max_payload_bytes));
  }

  // Decode, check what the engine cannot, hand over; any failure becomes the drop's cause.
  auto deliver = [&](auto msg, auto on_message) -> std::optional<ingest_diagnostic> {
    if (!msg) return drop(undecodable(kind), topic, msg.error());
    // The device-originated messages (HeartRate, BloodPressure, MonitorStatus) must say which
    // device sent them; they are exactly the ones with a device_id.
    if constexpr (requires { msg.value().device_id; }) {
      if (msg.value().device_id.empty()) {
        return drop(ingest_drop::missing_device_id, topic, "device_id is empty");
      }
    }
    if (!take_token(core::engine_books(engine_).bed_slot(bed), static_cast<std::size_t>(kind),
                    now)) {
      return drop(ingest_drop::rate_limited, topic,
                  "over " + std::to_string(1'000'000 / interval_us_) + " " +
                      std::string(to_string(kind)) + " messages/s for this bed");
    }
    ++accepted_;
    (engine_.*on_message)(bed, msg.value(), now, out);
    return std::nullopt;
  };
  switch (kind) {
    case codec::input_kind::heart_rate:
      return deliver(codec::decode_heart_rate(payload), &core::engine::on_heart_rate);
    case codec::input_kind::blood_pressure:
      return deliver(codec::decode_blood_pressure(payload), &core::engine::on_blood_pressure);
    case codec::input_kind::monitor_status:
      return deliver(codec::decode_monitor_status(payload), &core::engine::on_monitor_status);
    case codec::input_kind::infusion:
      return deliver(codec::decode_infusion_event(payload), &core::engine::on_infusion);
    case codec::input_kind::ack:
      return deliver(codec::decode_alarm_ack(payload), &core::engine::on_ack);
  }
  return drop(ingest_drop::bad_topic, topic, "unhandled input kind");
}

std::uint64_t ingest::dropped_total() const {
  return std::accumulate(dropped_.begin(), dropped_.end(), std::uint64_t{0});
}

std::vector<std::pair<std::string_view, std::uint64_t>> ingest::counters() const {
  std::vector<std::pair<std::string_view, std::uint64_t>> all{{"accepted", accepted_}};
  for (std::size_t i = 0; i < dropped_.size(); ++i) {
    all.emplace_back(to_string(static_cast<ingest_drop>(i)), dropped_[i]);
  }
  return all;
}

}  // namespace vigil::feed
