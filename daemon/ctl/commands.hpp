// vigilctl's subcommands (issue 3 item 5). Each returns the process's exit code; failures a
// person must see throw ctl_error (mqtt_session.hpp), which main prints as one line.
#pragma once

#include <optional>
#include <string>

#include "core/types.hpp"
#include "ctl/parse.hpp"
#include "settings/settings.hpp"

namespace vigil::ctl {

inline constexpr int exit_ok = 0;
inline constexpr int exit_error = 1;  // broker unreachable, bad alarm id, nothing ONLINE
inline constexpr int exit_usage = 2;

struct common_args {
  // broker_uri, and the login and TLS files of a locked-down broker (vigild's [mqtt] keys);
  // the other fields are not used.
  settings::mqtt_settings broker;
  std::string prefix = "clinic";
};

struct watch_args {
  std::optional<std::string> bed;  // all beds when absent
};
// Prints every bed's retained state, then one line per alarm event until SIGINT or SIGTERM.
int run_watch(const common_args& c, const watch_args& a);

struct ack_args {
  std::string alarm_id;
  std::string by;
  bool wait = false;  // wait for vigild's ACKNOWLEDGED or ENDED event
};
int run_ack(const common_args& c, const ack_args& a);

struct status_args {
  double timeout_s = 2;  // how long to collect retained DaemonStatus messages
};
// Exit 0 when at least one instance is ONLINE.
int run_status(const common_args& c, const status_args& a);

struct history_args {
  std::optional<std::string> bed;
  std::optional<std::string> session;
  std::optional<core::time_ms> since_ms;  // none: from the oldest vigild keeps
  std::optional<core::time_ms> until_ms;  // none: now
  out_format format = out_format::table;
  double timeout_s = 10;  // for each of vigild's answers
};
// The alarm events vigild kept (README "The record"), oldest first.
int run_history(const common_args& c, const history_args& a);

struct burden_args {
  core::time_ms since_ms = 0;
  std::optional<core::time_ms> until_ms;
  std::optional<std::string> bed;
  out_format format = out_format::table;
  double timeout_s = 10;  // for each of vigild's answers
};
// The ward's alarm burden over the window (README "The alarm burden").
int run_burden(const common_args& c, const burden_args& a);

// One line on stdout, flushed at once: watch is read through pipes (the demo, tests).
void print_line(const std::string& line);
void print_error(const std::string& line);  // "vigilctl: <line>" on stderr
core::time_ms wall_ms();

}  // namespace vigil::ctl
