#include "vigil_client.hpp"

#include <stdexcept>

#include "codec/topics.hpp"

namespace vigil::test {

namespace {

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

template <class T>
std::optional<T> latest(const std::vector<received_message>& all, const std::string& topic,
                        codec::decoded<T> (*decode)(std::string_view)) {
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (it->topic != topic) continue;
    auto d = decode(it->payload);
    if (!d) throw std::runtime_error("undecodable message on " + topic + ": " + d.error());
    return std::move(d).value();
  }
  return std::nullopt;
}

}  // namespace

vigil_client::vigil_client(mqtt_test_client& client, std::string prefix)
    : client_(client), prefix_(std::move(prefix)) {}

std::int64_t vigil_client::send_bytes(const std::string& topic, const std::string& payload,
                                      bool retained) {
  const auto at = wall_ms();
  client_.publish(topic, payload, retained);
  return at;
}

std::int64_t vigil_client::send(const std::string& bed, const core::heart_rate& m) {
  return send_bytes(codec::input_topic_name(prefix_, bed, codec::input_kind::heart_rate),
                    codec::encode(m));
}
std::int64_t vigil_client::send(const std::string& bed, const core::blood_pressure& m) {
  return send_bytes(codec::input_topic_name(prefix_, bed, codec::input_kind::blood_pressure),
                    codec::encode(m));
}
std::int64_t vigil_client::send(const std::string& bed, const core::monitor_status& m) {
  return send_bytes(codec::input_topic_name(prefix_, bed, codec::input_kind::monitor_status),
                    codec::encode(m), true);
}
std::int64_t vigil_client::send(const std::string& bed, const core::infusion_event& m) {
  return send_bytes(codec::input_topic_name(prefix_, bed, codec::input_kind::infusion),
                    codec::encode(m));
}
std::int64_t vigil_client::send(const std::string& bed, const core::alarm_ack& m) {
  return send_bytes(codec::input_topic_name(prefix_, bed, codec::input_kind::ack),
                    codec::encode(m));
}

void vigil_client::watch_alarms() {
  client_.subscribe(prefix_ + "/beds/+/alarms/events");
  client_.subscribe(codec::escalations_topic(prefix_));
}

void vigil_client::watch_state() {
  client_.subscribe(prefix_ + "/beds/+/alarms/active");
  client_.subscribe(prefix_ + "/beds/+/session");
}

bool vigil_client::wait_online(const std::string& instance, std::chrono::milliseconds timeout,
                               std::int64_t started_after_ms) {
  const auto topic = codec::daemon_status_topic(prefix_, instance);
  client_.subscribe(topic);
  return client_
      .wait_for(
          [&](const received_message& m) {
            if (m.topic != topic) return false;
            auto s = codec::decode_daemon_status(m.payload);
            return s && s.value().state == codec::daemon_state::online &&
                   s.value().started_at_ms >= started_after_ms;
          },
          timeout)
      .has_value();
}

std::vector<timed_event> vigil_client::decode_events(
    const std::vector<received_message>& all) const {
  const auto escalations = codec::escalations_topic(prefix_);
  std::vector<timed_event> out;
  for (const auto& m : all) {
    if (!ends_with(m.topic, "/alarms/events") && m.topic != escalations) continue;
    auto e = codec::decode_alarm_event(m.payload);
    if (!e) throw std::runtime_error("undecodable AlarmEvent on " + m.topic + ": " + e.error());
    out.push_back({std::move(e).value(), m.topic, m.received_at_ms});
  }
  return out;
}

std::vector<timed_event> vigil_client::events() const { return decode_events(client_.messages()); }

std::optional<timed_event> vigil_client::wait_event(const event_predicate& match,
                                                    std::chrono::milliseconds timeout) {
  std::optional<timed_event> found;
  client_.wait_until(
      [&](const std::vector<received_message>& all) {
        for (auto& e : decode_events(all)) {
          if (match(e)) {
            found = std::move(e);
            return true;
          }
        }
        return false;
      },
      timeout);
  return found;
}

std::optional<core::active_alarms> vigil_client::latest_active(const std::string& bed) const {
  return latest(client_.messages(), codec::active_alarms_topic(prefix_, bed),
                &codec::decode_active_alarms);
}

std::optional<core::session_state> vigil_client::latest_session(const std::string& bed) const {
  return latest(client_.messages(), codec::session_topic(prefix_, bed),
                &codec::decode_session_state);
}

std::optional<codec::daemon_status> vigil_client::latest_status(const std::string& instance) const {
  return latest(client_.messages(), codec::daemon_status_topic(prefix_, instance),
                &codec::decode_daemon_status);
}

std::vector<core::session_state> vigil_client::sessions(const std::string& bed) const {
  const auto topic = codec::session_topic(prefix_, bed);
  std::vector<core::session_state> out;
  for (const auto& m : client_.messages()) {
    if (m.topic != topic) continue;
    auto d = codec::decode_session_state(m.payload);
    if (!d) throw std::runtime_error("undecodable SessionState on " + topic + ": " + d.error());
    out.push_back(std::move(d).value());
  }
  return out;
}

core::heart_rate heart_rate(double bpm, std::uint64_t seq) {
  core::heart_rate m;
  m.device_id = "monitor-1";
  m.measured_at_ms = wall_ms();
  m.seq = seq;
  m.bpm = bpm;
  m.validity = core::validity::valid;
  return m;
}

core::blood_pressure nibp(double systolic, double diastolic, std::uint64_t seq) {
  core::blood_pressure m;
  m.device_id = "monitor-1";
  m.measured_at_ms = wall_ms();
  m.seq = seq;
  m.systolic_mmhg = systolic;
  m.diastolic_mmhg = diastolic;
  m.source = core::bp_source::nibp;
  m.validity = core::validity::valid;
  return m;
}

core::infusion_event infusion(core::infusion_kind kind, std::string session_id,
                              std::uint32_t planned_minutes) {
  core::infusion_event m;
  m.kind = kind;
  m.at_ms = wall_ms();
  m.session_id = std::move(session_id);
  if (kind == core::infusion_kind::started) m.planned_minutes = planned_minutes;
  m.by = "integration-test";
  return m;
}

core::monitor_status monitor(core::monitor_state state) {
  core::monitor_status m;
  m.device_id = "monitor-1";
  m.state = state;
  m.at_ms = wall_ms();
  return m;
}

}  // namespace vigil::test
