// vigilctl: watch, ack and status for the people on shift (issue 3 item 5). Only the command
// line lives here (CLI11 costs ~7 s of compile time per file that includes it).
#include <CLI/CLI.hpp>
#include <functional>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "ctl/commands.hpp"

namespace {

using namespace vigil::ctl;

const CLI::Validator bed_id{[](std::string& s) {
                              return vigil::codec::valid_bed_id(s)
                                         ? std::string{}
                                         : "bed id must be 1-64 characters of [A-Za-z0-9_.-]";
                            },
                            "BED"};

// The options of every subcommand: which broker, how to log in, and the topic prefix.
void add_common_options(CLI::App& app, common_args& common) {
  app.add_option("--broker", common.broker.broker_uri, "Broker URI")->capture_default_str();
  // A locked-down broker (config/mosquitto-secure.conf): as vigild's [mqtt] keys.
  app.add_option("--credentials-file", common.broker.credentials_file,
                 "File: broker user name on line 1, password on line 2 (chmod 600)");
  app.add_option("--tls-ca-file", common.broker.tls_ca_file,
                 "CA certificate(s) of the broker (ssl:// URIs; default: the system's)");
  app.add_option("--tls-cert-file", common.broker.tls_cert_file,
                 "Client certificate, for a broker that requires one");
  app.add_option("--tls-key-file", common.broker.tls_key_file, "Private key of --tls-cert-file");
  app.add_option("--prefix", common.prefix, "Topic prefix")->capture_default_str();
}

const CLI::Validator time_text{[](std::string& s) {
                                 return parse_time(s, 0) ? std::string{}
                                                         : "not a time: use 7d, 12h, 30m, "
                                                           "2026-12-01, 2026-12-01T08:30:00Z "
                                                           "or Unix ms";
                               },
                               "TIME"};
const CLI::Validator format_text{[](std::string& s) {
                                   return parse_format(s) ? std::string{}
                                                          : "format must be table, csv or json";
                                 },
                                 "FORMAT"};

std::optional<vigil::core::time_ms> time_of(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return parse_time(*text, wall_ms());
}

}  // namespace

int main(int argc, char** argv) {
  // A payload with invalid UTF-8 is an error the caller reports; protobuf's own line for each
  // would repeat it unbounded.
  vigil::codec::silence_protobuf_log();
  CLI::App app{"vigilctl: follow Vigil's alarms, acknowledge them, check the daemons"};
  app.set_version_flag("--version", VIGIL_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // the common options may also follow the subcommand
  common_args common;
  add_common_options(app, common);
  std::function<int()> command;

  watch_args watch;
  auto* watch_cmd = app.add_subcommand(
      "watch", "Print every bed's state, then each alarm event, until interrupted");
  watch_cmd->add_option("--bed", watch.bed, "Only this bed")->check(bed_id);
  watch_cmd->callback([&] { command = [&] { return run_watch(common, watch); }; });

  ack_args ack;
  auto* ack_cmd = app.add_subcommand("ack", "Acknowledge an alarm");
  ack_cmd->add_option("alarm_id", ack.alarm_id, "Alarm id, e.g. chair-1:SBP_HIGH:1")->required();
  ack_cmd->add_option("--by", ack.by, "Who acknowledges (nurse or station)")
      ->required()
      ->check(CLI::Validator([](std::string& s) { return s.empty() ? "must not be empty" : ""; },
                             "NAME"));
  ack_cmd->add_flag("--wait", ack.wait, "Wait up to 5 s for vigild's ACKNOWLEDGED or ENDED event");
  ack_cmd->callback([&] { command = [&] { return run_ack(common, ack); }; });

  status_args status;
  auto* status_cmd = app.add_subcommand("status", "Show each vigild instance's status");
  status_cmd->add_option("--timeout", status.timeout_s, "Seconds to collect statuses")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  status_cmd->callback([&] { command = [&] { return run_status(common, status); }; });

  history_args history;
  std::optional<std::string> since, until;
  std::string format = "table";
  auto* history_cmd =
      app.add_subcommand("history", "Print the alarm events vigild kept, oldest first");
  history_cmd->add_option("--bed", history.bed, "Only this bed")->check(bed_id);
  history_cmd->add_option("--session", history.session, "Only this session");
  history_cmd->add_option("--since", since, "From (7d, 12h, 2026-12-01, ...; UTC)")
      ->check(time_text);
  history_cmd->add_option("--until", until, "Until (default: now)")->check(time_text);
  history_cmd->add_option("--format", format, "table, csv or json")
      ->check(format_text)
      ->capture_default_str();
  history_cmd->add_option("--timeout", history.timeout_s, "Seconds to wait for vigild's answer")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  history_cmd->callback([&] {
    history.since_ms = time_of(since);
    history.until_ms = time_of(until);
    history.format = *parse_format(format);
    command = [&] { return run_history(common, history); };
  });

  burden_args burden;
  std::string burden_since = "7d";
  std::optional<std::string> burden_until;
  std::string burden_format = "table";
  auto* burden_cmd = app.add_subcommand(
      "burden", "The alarm burden: alarms per bed-hour, acknowledged, nuisance, time in alarm");
  burden_cmd->add_option("--since", burden_since, "From (7d, 12h, 2026-12-01, ...; UTC)")
      ->check(time_text)
      ->capture_default_str();
  burden_cmd->add_option("--until", burden_until, "Until (default: now)")->check(time_text);
  burden_cmd->add_option("--bed", burden.bed, "Only this bed")->check(bed_id);
  burden_cmd->add_option("--format", burden_format, "table, csv or json")
      ->check(format_text)
      ->capture_default_str();
  burden_cmd->add_option("--timeout", burden.timeout_s, "Seconds to wait for vigild's answer")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  burden_cmd->callback([&] {
    burden.since_ms = *time_of(burden_since);
    burden.until_ms = time_of(burden_until);
    burden.format = *parse_format(burden_format);
    command = [&] { return run_burden(common, burden); };
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_usage;
  }
  if (const auto errors = vigil::settings::check_client_flags(common.broker); !errors.empty()) {
    for (const auto& e : errors) print_error(e.to_string());
    return exit_usage;
  }
  try {
    return command();
  } catch (const std::exception& e) {  // ctl_error, or anything Paho let through
    print_error(e.what());
    return exit_error;
  }
}
