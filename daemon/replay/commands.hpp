// vigil-replay's subcommands, each returning the process exit code: 0 ok, 1 bad input (an
// unreadable recording, a malformed CSV, an unreachable broker). Usage errors (2) are found by
// the command-line parser in main.cpp before any of these runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "settings/settings.hpp"

namespace vigil::replay {

inline constexpr int exit_ok = 0;
inline constexpr int exit_bad_input = 1;
inline constexpr int exit_usage = 2;

struct import_args {
  std::string csv;
  std::string out;
  std::string bed;
  std::int64_t start_ms = 0;
  std::string prefix = "clinic";
};
int run_import(const import_args& a);

struct offline_args {
  std::string recording;
  std::optional<std::string> config;  // daemon configuration: engine limits and the prefix
  std::optional<std::string> prefix;  // overrides the configuration's
  bool strict = false;                // a cut-off final frame is an error too
};
int run_offline(const offline_args& a);

struct offline_options;
// The engine's limits and the prefix from a vigild configuration file (errors printed on
// stderr; false when it has any), then the --prefix override.
bool configure(const std::optional<std::string>& config, const std::optional<std::string>& prefix,
               offline_options& opts);

struct report_args {
  std::string recording;
  std::optional<std::string> config;  // as offline_args
  std::optional<std::string> prefix;
  std::string out_dir = ".";
};
// The record of every session in the recording (README "The record"), through the same engine
// and record keeper as vigild: {out_dir}/{bed}_{session}.pdf and .fhir.json each.
int run_report(const report_args& a);

// Reads a recording strictly and summarises it; every fault is an error.
int run_check(const std::string& recording);

struct publish_args {
  std::string recording;
  // broker_uri, and the login and TLS files of a locked-down broker (vigild's [mqtt] keys).
  settings::mqtt_settings broker;
  double speed = 1;
  std::string prefix = "clinic";
};
int run_publish(const publish_args& a);

struct record_args {
  settings::mqtt_settings broker;  // as publish_args::broker
  std::string out;
  std::string prefix = "clinic";
  std::optional<double> duration_s;
};
int run_record(const record_args& a);

}  // namespace vigil::replay
