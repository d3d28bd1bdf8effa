// Protobuf bytes <-> core value types: the decoders (but the readings' fast path, in
// fast_decode.cpp) and the encoders of every message of contract.md.
#include "codec/codec.hpp"

#include <google/protobuf/stubs/logging.h>

#include <atomic>
#include <cstdio>
#include <string>

#include "codec/wire.hpp"

namespace vigil::codec {

using detail::decode_as;
using detail::encode_as;
namespace pb = vigil::v1;

decoded<core::monitor_status> decode_monitor_status(std::string_view b) {
  return decode_as<pb::MonitorStatus>(b);
}
decoded<core::infusion_event> decode_infusion_event(std::string_view b) {
  return decode_as<pb::InfusionEvent>(b);
}
decoded<core::alarm_ack> decode_alarm_ack(std::string_view b) { return decode_as<pb::AlarmAck>(b); }
decoded<core::alarm_event> decode_alarm_event(std::string_view b) {
  return decode_as<pb::AlarmEvent>(b);
}
decoded<core::active_alarms> decode_active_alarms(std::string_view b) {
  return decode_as<pb::ActiveAlarms>(b);
}
decoded<core::session_state> decode_session_state(std::string_view b) {
  return decode_as<pb::SessionState>(b);
}
decoded<daemon_status> decode_daemon_status(std::string_view b) {
  return decode_as<pb::DaemonStatus>(b);
}

std::string encode(const core::heart_rate& m) { return encode_as<pb::HeartRate>(m); }
std::string encode(const core::blood_pressure& m) { return encode_as<pb::BloodPressure>(m); }
std::string encode(const core::monitor_status& m) { return encode_as<pb::MonitorStatus>(m); }
std::string encode(const core::infusion_event& m) { return encode_as<pb::InfusionEvent>(m); }
std::string encode(const core::alarm_ack& m) { return encode_as<pb::AlarmAck>(m); }
std::string encode(const core::alarm_event& m) { return encode_as<pb::AlarmEvent>(m); }
std::string encode(const core::active_alarms& m) { return encode_as<pb::ActiveAlarms>(m); }
std::string encode(const core::session_state& m) { return encode_as<pb::SessionState>(m); }
std::string encode(const daemon_status& m) { return encode_as<pb::DaemonStatus>(m); }

namespace {
std::atomic<std::uint64_t> protobuf_lines{0};  // protobuf may log from any thread
}  // namespace

void silence_protobuf_log() {
  google::protobuf::SetLogHandler(
      [](google::protobuf::LogLevel level, const char* file, int line, const std::string& message) {
        protobuf_lines.fetch_add(1, std::memory_order_relaxed);
        // FATAL aborts right after this; say why first.
        if (level == google::protobuf::LOGLEVEL_FATAL) {
          std::fprintf(stderr, "[libprotobuf FATAL %s:%d] %s\n", file, line, message.c_str());
        }
      });
}

std::uint64_t protobuf_log_lines() { return protobuf_lines.load(std::memory_order_relaxed); }

}  // namespace vigil::codec
