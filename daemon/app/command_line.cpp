#include "app/command_line.hpp"

#include <CLI/CLI.hpp>

namespace vigil::app {

std::variant<command_line, int> parse_command_line(int argc, char** argv) {
  CLI::App cli{"vigild: alarms for patients during ketamine infusions, over MQTT"};
  command_line c;
  std::string broker, prefix, instance;
  cli.set_version_flag("--version", VIGIL_VERSION);
  cli.add_option("--config", c.config_path, "configuration file (TOML)")->required();
  cli.add_flag("--check-config", c.check_config,
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
  if (*broker_opt) c.overrides.broker_uri = broker;
  if (*prefix_opt) c.overrides.prefix = prefix;
  if (*instance_opt) c.overrides.instance = instance;
  return c;
}

settings_loader settings_loader_for(command_line c) {
  return [c = std::move(c)] {
    auto loaded = settings::load_file(c.config_path);
    if (loaded.settings) {
      auto flag_errors = settings::apply_overrides(*loaded.settings, c.overrides);
      if (!flag_errors.empty()) {
        loaded.errors.insert(loaded.errors.end(), flag_errors.begin(), flag_errors.end());
        loaded.settings.reset();
      }
    }
    return loaded;
  };
}

}  // namespace vigil::app
