// vigilctl watch: the retained state of every bed, then each alarm event as it happens.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <deque>
#include <map>
#include "io/asio.hpp"

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "ctl/commands.hpp"
#include "ctl/lines.hpp"
#include "ctl/mqtt_session.hpp"
#include "ctl/parse.hpp"

namespace vigil::ctl {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Retained messages follow the SUBACK at once; the snapshot is printed when they have been
// quiet this long, or at the latest after settle_limit (a broker that never stops sending).
constexpr auto settle_quiet = 300ms;
constexpr auto settle_limit = 3s;
// An ESCALATED event arrives twice (bed events and escalations); a QoS 1 redelivery twice too.
constexpr std::size_t remembered_events = 64;

struct filters {
  std::string session, active, events, escalations;
};

class watcher {
 public:
  watcher(asio::io_context& loop, filters f, std::optional<std::string> bed)
      : f_(std::move(f)), bed_(std::move(bed)), settle_(loop) {}

  // Called once the subscriptions are acknowledged, and again when a reconnect has requested
  // them anew: the retained messages are on their way, and the beds are listed afresh.
  void start_settling() {
    beds_.clear();
    settled_ = false;
    settle_deadline_ = std::chrono::steady_clock::now() + settle_limit;
    arm_settle();
  }

  void on_message(const received& m) {
    if (m.payload.empty()) return;  // a retained topic being cleared: nothing to show
    if (topic_matches(f_.session, m.topic)) return on_session(m);
    if (topic_matches(f_.active, m.topic)) return on_active(m);
    if (topic_matches(f_.events, m.topic) || m.topic == f_.escalations) return on_event(m);
  }

 private:
  void arm_settle() {
    settle_.expires_at(std::min(std::chrono::steady_clock::now() + settle_quiet, settle_deadline_));
    settle_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) print_snapshot();
    });
  }

  void print_snapshot() {
    const core::time_ms now = wall_ms();
    if (beds_.empty()) print_line("no bed has a session or open alarms yet");
    for (const auto& [bed, view] : beds_) print_line(bed_line(bed, view, now));
    for (const auto& line : held_) print_line(line);
    held_.clear();
    settled_ = true;
  }

  template <class T>
  std::optional<T> decoded_or_warn(const received& m, codec::decoded<T> d) {
    if (d) return std::move(d).value();
    print_error(m.topic + ": undecodable message: " + d.error());
    return std::nullopt;
  }

  void on_session(const received& m) {
    auto s = decoded_or_warn(m, codec::decode_session_state(m.payload));
    if (!s) return;
    auto& known = beds_[s->bed_id].session;
    const bool changed = !known || known->phase != s->phase || known->paused != s->paused ||
                         known->session_id != s->session_id;
    known = *s;
    if (!settled_) return arm_settle();
    if (changed) print_line(session_line(*s));
  }

  void on_active(const received& m) {
    auto a = decoded_or_warn(m, codec::decode_active_alarms(m.payload));
    if (!a) return;
    beds_[a->bed_id].active = std::move(*a);
    if (!settled_) arm_settle();
  }

  void on_event(const received& m) {
    auto e = decoded_or_warn(m, codec::decode_alarm_event(m.payload));
    if (!e || (bed_ && e->bed_id != *bed_) || seen_before(*e)) return;
    auto line = event_line(*e);
    if (settled_) {
      print_line(line);
    } else {
      held_.push_back(std::move(line));  // after the snapshot, as people expect to read it
    }
  }

  bool seen_before(const core::alarm_event& e) {
    auto key = e.alarm_id + '#' + std::to_string(e.event_seq) + '#' + std::to_string(e.at_ms);
    if (std::find(recent_.begin(), recent_.end(), key) != recent_.end()) return true;
    recent_.push_back(std::move(key));
    if (recent_.size() > remembered_events) recent_.pop_front();
    return false;
  }

  filters f_;
  std::optional<std::string> bed_;
  asio::steady_timer settle_;
  std::chrono::steady_clock::time_point settle_deadline_;
  bool settled_ = false;
  std::map<std::string, bed_view> beds_;  // ordered: the snapshot lists beds by id
  std::vector<std::string> held_;
  std::deque<std::string> recent_;
};

}  // namespace

int run_watch(const common_args& c, const watch_args& a) {
  const std::string bed = a.bed.value_or("+");
  filters f{codec::session_topic(c.prefix, bed), codec::active_alarms_topic(c.prefix, bed),
            codec::alarm_events_topic(c.prefix, bed), codec::escalations_topic(c.prefix)};
  asio::io_context loop(1);
  asio::signal_set signals(loop, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) { loop.stop(); });
  watcher w(loop, f, a.bed);
  mqtt_session session(loop, c.broker, "watch", [&](const received& m) { w.on_message(m); });
  session.on_reconnected([&] { w.start_settling(); });
  session.connect();
  session.subscribe({f.session, f.active, f.events, f.escalations});
  w.start_settling();
  loop.run();
  return exit_ok;
}

}  // namespace vigil::ctl
