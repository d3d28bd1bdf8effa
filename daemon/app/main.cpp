// vigild: parse the command line, load and validate the settings (fatal, every error at once),
// set up logging, build the daemon, run it.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "app/live_daemon.hpp"
#include "codec/codec.hpp"
#include "io/logging.hpp"
#include "settings/settings.hpp"

int main(int argc, char** argv) {
  CLI::App cli{"vigild: alarms for patients during ketamine infusions, over MQTT"};
  std::string config_path;
  std::string broker, prefix, instance;
  bool check_config = false;
  cli.set_version_flag("--version", VIGIL_VERSION);
  cli.add_option("--config", config_path, "configuration file (TOML)")->required();
  cli.add_flag("--check-config", check_config,
               "validate the configuration, print it as in effect, and exit");
  auto* broker_opt = cli.add_option("--broker", broker, "broker URI, overrides mqtt.broker_uri");
  auto* prefix_opt = cli.add_option("--prefix", prefix, "topic prefix, overrides mqtt.prefix");
  auto* instance_opt =
      cli.add_option("--instance", instance, "instance name, overrides mqtt.instance");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; any usage error is a configuration error: exit 1, as
    // contract.md says (CLI11's own codes, e.g. 106, mean nothing to systemd or an operator).
    return cli.exit(e) == 0 ? 0 : 1;
  }

  vigil::settings::overrides o;
  if (*broker_opt) o.broker_uri = broker;
  if (*prefix_opt) o.prefix = prefix;
  if (*instance_opt) o.instance = instance;
  // The same file and flags again on SIGHUP.
  auto load = [config_path, o] {
    auto loaded = vigil::settings::load_file(config_path);
    if (loaded.settings) {
      auto flag_errors = vigil::settings::apply_overrides(*loaded.settings, o);
      if (!flag_errors.empty()) {
        loaded.errors.insert(loaded.errors.end(), flag_errors.begin(), flag_errors.end());
        loaded.settings.reset();
      }
    }
    return loaded;
  };
  auto loaded = load();
  if (!loaded.settings) {
    for (const auto& e : loaded.errors) std::cerr << e.to_string() << '\n';
    std::cerr << "vigild: " << loaded.errors.size() << " configuration error(s)\n";
    return 1;
  }
  if (check_config) {
    std::cout << vigil::settings::describe(*loaded.settings);
    return 0;
  }

  vigil::io::init_logging(vigil::app::to_spdlog(loaded.settings->log_level));
  // Protobuf would write a line for every payload with invalid UTF-8 a sender can make up;
  // ingest already counts and logs those, rate-limited.
  vigil::codec::silence_protobuf_log();
  try {
    vigil::app::live_daemon daemon(std::move(*loaded.settings), load);
    return daemon.run();
  } catch (const std::exception& e) {
    spdlog::critical("vigild: {}", e.what());
    return 1;
  }
}
