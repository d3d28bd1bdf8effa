// vigil-replay: import-csv, offline, check, publish, record (contract.md "Command lines").
// Only the command line lives here; each subcommand is a run_* function of commands.hpp.
#include <CLI/CLI.hpp>
#include <cmath>
#include <functional>
#include <iostream>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "replay/commands.hpp"

namespace {

using namespace vigil::replay;

const CLI::Validator bed_id{[](std::string& s) {
                              return vigil::codec::valid_bed_id(s)
                                         ? std::string{}
                                         : "bed id must be 1-64 characters of [A-Za-z0-9_.-]";
                            },
                            "BED"};

// --broker, and the login and TLS files of a locked-down broker (vigild's [mqtt] keys).
void add_broker_options(CLI::App* cmd, vigil::settings::mqtt_settings& broker) {
  cmd->add_option("--broker", broker.broker_uri, "Broker URI, e.g. tcp://127.0.0.1:1883")
      ->required();
  cmd->add_option("--credentials-file", broker.credentials_file,
                  "File: broker user name on line 1, password on line 2 (chmod 600)");
  cmd->add_option("--tls-ca-file", broker.tls_ca_file,
                  "CA certificate(s) of the broker (ssl:// URIs; default: the system's)");
  cmd->add_option("--tls-cert-file", broker.tls_cert_file,
                  "Client certificate, for a broker that requires one");
  cmd->add_option("--tls-key-file", broker.tls_key_file, "Private key of --tls-cert-file");
}

// Checked as vigild checks the same keys; each error on stderr. A usage error, like CLI11's.
bool broker_options_ok(const vigil::settings::mqtt_settings& broker) {
  const auto errors = vigil::settings::check_client_flags(broker);
  for (const auto& e : errors) std::cerr << "vigil-replay: " << e.to_string() << '\n';
  return errors.empty();
}

// Every subcommand's arguments, and the command the chosen one sets: they outlive parsing.
struct arguments {
  import_args imp;
  offline_args off;
  report_args rep;
  std::string check_file;
  publish_args pub;
  record_args rec;
  std::function<int()> command;
};

// The subcommands that work on files alone.
void add_file_commands(CLI::App& app, arguments& a) {
  auto* import_cmd = app.add_subcommand("import-csv", "Turn a session CSV into a recording");
  import_cmd->add_option("csv", a.imp.csv, "Session CSV (contract.md)")->required();
  import_cmd->add_option("--bed", a.imp.bed, "Bed id of the session")->required()->check(bed_id);
  import_cmd->add_option("--start-ms", a.imp.start_ms, "Receive time of time_s = 0, Unix ms");
  import_cmd->add_option("-o,--output", a.imp.out, "Recording to write")->required();
  import_cmd->add_option("--prefix", a.imp.prefix, "Topic prefix")->capture_default_str();
  import_cmd->callback([&a] { a.command = [&a] { return run_import(a.imp); }; });

  auto* offline_cmd = app.add_subcommand("offline", "Run the engine over a recording, no broker");
  offline_cmd->add_option("recording", a.off.recording, "Recording (.rec)")->required();
  offline_cmd->add_option("--config", a.off.config, "vigild configuration (engine limits, prefix)");
  offline_cmd->add_option("--prefix", a.off.prefix, "Topic prefix (default: the configuration's)");
  offline_cmd->add_flag("--strict", a.off.strict, "Refuse a recording with a cut-off final frame");
  offline_cmd->callback([&a] { a.command = [&a] { return run_offline(a.off); }; });

  auto* report_cmd = app.add_subcommand(
      "report",
      "Each session's record (PDF and FHIR bundle) from a recording, as vigild writes it");
  report_cmd->add_option("recording", a.rep.recording, "Recording (.rec)")->required();
  report_cmd->add_option("--config", a.rep.config, "vigild configuration (engine limits, prefix)");
  report_cmd->add_option("--prefix", a.rep.prefix, "Topic prefix (default: the configuration's)");
  report_cmd->add_option("-o,--out-dir", a.rep.out_dir, "Directory for the files")
      ->capture_default_str();
  report_cmd->callback([&a] { a.command = [&a] { return run_report(a.rep); }; });

  auto* check_cmd = app.add_subcommand("check", "Read a recording strictly and summarise it");
  check_cmd->add_option("recording", a.check_file, "Recording (.rec)")->required();
  check_cmd->callback([&a] { a.command = [&a] { return run_check(a.check_file); }; });
}

// The subcommands that reach a broker.
void add_broker_commands(CLI::App& app, arguments& a) {
  auto* publish_cmd = app.add_subcommand("publish", "Play a recording into a broker");
  publish_cmd->add_option("recording", a.pub.recording, "Recording (.rec)")->required();
  add_broker_options(publish_cmd, a.pub.broker);
  publish_cmd
      ->add_option("--speed", a.pub.speed, "Pace: the recording's times this (large: flat out)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  publish_cmd->add_option("--prefix", a.pub.prefix, "Topic prefix (to resolve imported acks)")
      ->capture_default_str();
  publish_cmd->callback([&a] {
    a.command = [&a] { return broker_options_ok(a.pub.broker) ? run_publish(a.pub) : exit_usage; };
  });

  auto* record_cmd = app.add_subcommand("record", "Record a broker's input topics");
  add_broker_options(record_cmd, a.rec.broker);
  record_cmd->add_option("-o,--output", a.rec.out, "Recording to write")->required();
  record_cmd->add_option("--prefix", a.rec.prefix, "Topic prefix")->capture_default_str();
  record_cmd
      ->add_option("--duration", a.rec.duration_s, "Seconds to record (default: until signal)")
      ->check(CLI::PositiveNumber);
  record_cmd->callback([&a] {
    a.command = [&a] { return broker_options_ok(a.rec.broker) ? run_record(a.rec) : exit_usage; };
  });
}

}  // namespace

int main(int argc, char** argv) {
  // A payload with invalid UTF-8 is an error the caller reports; protobuf's own line for each
  // would repeat it unbounded.
  vigil::codec::silence_protobuf_log();
  CLI::App app{"vigil-replay: record, import and replay Vigil recordings"};
  app.require_subcommand(1);
  arguments args;
  add_file_commands(app, args);
  add_broker_commands(app, args);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_usage;
  }
  return args.command();
}
