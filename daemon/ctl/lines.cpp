#include "ctl/lines.hpp"

#include <ctime>

#include "core/text.hpp"

namespace vigil::ctl {
namespace {

std::string local_time(core::time_ms t, const char* format) {
  const std::time_t seconds = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  localtime_r(&seconds, &tm);
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return {buf, n};
}

std::string padded(std::string_view s, std::size_t width) {
  std::string out(s);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

// "3 s", "4 min", "2 h": how long ago a heartbeat was, at a glance.
std::string age(core::time_ms ms) {
  const core::time_ms s = ms / 1000;
  if (s < 120) return std::to_string(s) + " s";
  if (s < 2 * 3600) return std::to_string(s / 60) + " min";
  return std::to_string(s / 3600) + " h";
}

}  // namespace

std::string_view word(codec::daemon_state s) {
  switch (s) {
    case codec::daemon_state::online: return "ONLINE";
    case codec::daemon_state::offline: return "OFFLINE";
    case codec::daemon_state::unspecified: break;
  }
  return "?";
}

std::string local_clock(core::time_ms t) { return local_time(t, "%H:%M:%S"); }
std::string local_date_time(core::time_ms t) { return local_time(t, "%Y-%m-%d %H:%M:%S"); }

std::string event_line(const core::alarm_event& e) {
  // Priority and transition padded to their longest word so conditions line up in a stream.
  std::string line = local_clock(e.at_ms);
  line.append(" ").append(e.bed_id);
  line.append(" ").append(padded(word(e.priority), 6));
  line.append(" ").append(padded(word(e.transition), 12));
  line.append(" ").append(e.condition);
  if (!e.text.empty()) line.append(" ").append(e.text);
  line.append(" [").append(e.alarm_id).append("]");
  return line;
}

std::string phase_summary(const core::session_state& s, core::time_ms now) {
  std::string out(word(s.phase));
  if (s.phase == core::phase::infusion) {
    out.append(" ").append(core::text::clock(now - s.infusion_started_at_ms));
    if (s.planned_minutes > 0)
      out.append(" of ").append(std::to_string(s.planned_minutes) + " min");
    if (s.paused) out.append(", paused");
  } else if (s.phase == core::phase::recovery) {
    out.append(" ").append(core::text::clock(now - s.infusion_stopped_at_ms));
    out.append(" after infusion");
  }
  return out;
}

std::string session_line(const core::session_state& s) {
  return local_clock(s.at_ms) + " " + s.bed_id + " session: " + phase_summary(s, s.at_ms);
}

std::string bed_line(std::string_view bed, const bed_view& v, core::time_ms now) {
  std::string line = "bed ";
  line.append(bed).append(": ");
  if (v.session) line.append(phase_summary(*v.session, now)).append(", ");
  const std::size_t open = v.active ? v.active->alarms.size() : 0;
  if (open == 0) return line.append("no open alarms");
  line.append(std::to_string(open)).append(open == 1 ? " open alarm: " : " open alarms: ");
  const char* sep = "";
  for (const auto& a : v.active->alarms) {
    line.append(sep).append(word(a.priority)).append(" ").append(a.condition);
    if (a.state != core::alarm_state::active) line.append(" ").append(word(a.state));
    line.append(" [").append(a.alarm_id).append("]");
    sep = ", ";
  }
  return line;
}

std::string status_line(const codec::daemon_status& s, core::time_ms now) {
  std::string line = s.instance;
  line.append(": ").append(word(s.state));
  if (s.role == codec::daemon_role::leader) line.append(", leader");
  if (s.role == codec::daemon_role::standby) line.append(", standby");
  if (!s.version.empty()) line.append(", version ").append(s.version);
  if (s.started_at_ms > 0) line.append(", started ").append(local_date_time(s.started_at_ms));
  const core::time_ms since = now - s.at_ms;
  // Another host's clock may be ahead of ours; say so rather than print a negative age.
  line.append(", last heartbeat ")
      .append(since >= 0 ? age(since) + " ago" : age(-since) + " ahead of this clock");
  return line;
}

}  // namespace vigil::ctl
