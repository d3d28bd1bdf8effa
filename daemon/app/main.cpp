// vigild: parse the command line, load and validate the settings (fatal, every error at once),
// set up logging, build the daemon, run it.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "app/live_daemon.hpp"
#include "io/logging.hpp"
#include "settings/settings.hpp"

namespace {

spdlog::level::level_enum to_spdlog(vigil::settings::log_level l) {
  using vigil::settings::log_level;
  switch (l) {
    case log_level::trace:
      return spdlog::level::trace;
    case log_level::debug:
      return spdlog::level::debug;
    case log_level::info:
      return spdlog::level::info;
    case log_level::warn:
      return spdlog::level::warn;
    case log_level::error:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

}  // namespace

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
  CLI11_PARSE(cli, argc, argv);

  auto loaded = vigil::settings::load_file(config_path);
  auto errors = std::move(loaded.errors);
  if (loaded.settings) {
    vigil::settings::overrides o;
    if (*broker_opt) o.broker_uri = broker;
    if (*prefix_opt) o.prefix = prefix;
    if (*instance_opt) o.instance = instance;
    auto flag_errors = vigil::settings::apply_overrides(*loaded.settings, o);
    errors.insert(errors.end(), flag_errors.begin(), flag_errors.end());
  }
  if (!errors.empty()) {
    for (const auto& e : errors) std::cerr << e.to_string() << '\n';
    std::cerr << "vigild: " << errors.size() << " configuration error(s)\n";
    return 1;
  }
  if (check_config) {
    std::cout << vigil::settings::describe(*loaded.settings);
    return 0;
  }

  vigil::io::init_logging(to_spdlog(loaded.settings->log_level));
  try {
    vigil::app::live_daemon daemon(std::move(*loaded.settings));
    return daemon.run();
  } catch (const std::exception& e) {
    spdlog::critical("vigild: {}", e.what());
    return 1;
  }
}
