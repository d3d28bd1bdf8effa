// vigilctl ack and status, and the output helpers every command shares.
#include "ctl/commands.hpp"

#include <chrono>
#include <iostream>
#include <map>
#include <sstream>
#include "io/asio.hpp"

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "ctl/lines.hpp"
#include "ctl/mqtt_session.hpp"
#include "ctl/parse.hpp"

namespace vigil::ctl {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr auto ack_answer_timeout = 5s;

// Runs `loop` until something calls stop() or `timeout` has passed.
void run_for(asio::io_context& loop, std::chrono::steady_clock::duration timeout) {
  asio::steady_timer timer(loop, timeout);
  timer.async_wait([&](const boost::system::error_code& ec) {
    if (!ec) loop.stop();
  });
  loop.run();
}

std::string seconds_text(double s) {
  std::ostringstream out;
  out << s << " s";  // 2 -> "2 s", 0.5 -> "0.5 s"
  return out.str();
}

bool answers(const core::alarm_event& e, const std::string& alarm_id) {
  return e.alarm_id == alarm_id && (e.transition == core::transition::acknowledged ||
                                    e.transition == core::transition::ended);
}

}  // namespace

void print_line(const std::string& line) { std::cout << line << std::endl; }
void print_error(const std::string& line) { std::cerr << "vigilctl: " << line << std::endl; }

core::time_ms wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int run_ack(const common_args& c, const ack_args& a) {
  const auto bed = bed_of_alarm_id(a.alarm_id);
  if (!bed) {
    throw ctl_error("bad alarm id '" + a.alarm_id +
                    "': expected BED:CONDITION:N, as vigilctl watch shows it");
  }
  asio::io_context loop(1);
  std::optional<core::alarm_event> answer;
  mqtt_session session(loop, c.broker, "ack", [&](const received& m) {
    auto e = codec::decode_alarm_event(m.payload);
    if (e && answers(e.value(), a.alarm_id)) {
      answer = std::move(e).value();
      loop.stop();
    }
  });
  session.connect();
  // Subscribed before the ack goes out, so vigild's answer cannot come first.
  if (a.wait) session.subscribe({codec::alarm_events_topic(c.prefix, *bed)});

  const core::alarm_ack ack{a.alarm_id, a.by, wall_ms()};
  const auto topic = codec::input_topic_name(c.prefix, *bed, codec::input_kind::ack);
  session.publish(topic, codec::encode(ack));
  print_line("sent ack of " + ack.alarm_id + " by " + ack.by + " at " + local_clock(ack.at_ms) +
             " to " + topic);
  if (!a.wait) return exit_ok;

  run_for(loop, ack_answer_timeout);
  if (!answer) {
    throw ctl_error("vigild did not acknowledge or end " + a.alarm_id + " within " +
                    std::to_string(ack_answer_timeout.count()) +
                    " s (already acknowledged or ended, or not open?)");
  }
  print_line(event_line(*answer));
  return exit_ok;
}

int run_status(const common_args& c, const status_args& a) {
  asio::io_context loop(1);
  std::map<std::string, codec::daemon_status> instances;  // ordered: printed by name
  mqtt_session session(loop, c.broker, "status", [&](const received& m) {
    if (m.payload.empty()) return;  // a retained status being cleared
    auto s = codec::decode_daemon_status(m.payload);
    if (!s) return print_error(m.topic + ": undecodable message: " + s.error());
    auto status = std::move(s).value();
    instances[status.instance] = std::move(status);
  });
  const auto filter = codec::daemon_status_topic(c.prefix, "+");
  session.connect();
  session.subscribe({filter});
  run_for(loop, std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                    std::chrono::duration<double>(a.timeout_s)));

  if (instances.empty()) {
    throw ctl_error("no vigild status on " + filter + " within " + seconds_text(a.timeout_s));
  }
  const core::time_ms now = wall_ms();
  // A standby publishes nothing for the ward: only an ONLINE instance that leads (or a vigild
  // from before roles, which says none) is one that watches the beds.
  bool any_leading = false;
  for (const auto& [name, s] : instances) {
    print_line(status_line(s, now));
    any_leading = any_leading ||
                  (s.state == codec::daemon_state::online && s.role != codec::daemon_role::standby);
  }
  if (!any_leading) print_error("no vigild instance is ONLINE and leading");
  return any_leading ? exit_ok : exit_error;
}

}  // namespace vigil::ctl
