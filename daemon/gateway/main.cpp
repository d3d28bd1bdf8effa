// vigil-gateway: IHE PCD-01 (HL7 v2 ORU^R01 over MLLP) from bedside-monitor gateways in,
// Vigil's contract messages out on the broker. --config FILE, --check-config,
// --version, and --broker/--prefix/--instance over the file as for vigild.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "codec/codec.hpp"
#include "gateway/gateway_daemon.hpp"
#include "io/logging.hpp"

int main(int argc, char** argv) {
  CLI::App cli{"vigil-gateway: IHE PCD-01 over MLLP in, Vigil's readings out over MQTT"};
  std::string config;
  bool check = false;
  cli.set_version_flag("--version", VIGIL_VERSION);
  cli.add_option("--config", config, "configuration file (TOML)")->required();
  cli.add_flag("--check-config", check,
               "validate the configuration, print it as in effect, and exit");
  std::string broker, prefix, instance;
  auto* broker_opt = cli.add_option("--broker", broker, "broker URI, overrides mqtt.broker_uri");
  auto* prefix_opt = cli.add_option("--prefix", prefix, "topic prefix, overrides mqtt.prefix");
  auto* instance_opt =
      cli.add_option("--instance", instance, "instance name, overrides mqtt.instance");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 1;
  }
  auto loaded = vigil::settings::load_gateway_file(config);
  if (loaded.settings) {
    vigil::settings::overrides o;
    if (*broker_opt) o.broker_uri = broker;
    if (*prefix_opt) o.prefix = prefix;
    if (*instance_opt) o.instance = instance;
    auto flag_errors = vigil::settings::apply_overrides(loaded.settings->mqtt, o);
    if (!flag_errors.empty()) {
      loaded.errors = std::move(flag_errors);
      loaded.settings.reset();
    }
  }
  if (!loaded.settings) {
    for (const auto& e : loaded.errors) std::cerr << e.to_string() << '\n';
    std::cerr << "vigil-gateway: " << loaded.errors.size() << " configuration error(s)\n";
    return 1;
  }
  if (check) {
    std::cout << vigil::settings::describe(*loaded.settings);
    return 0;
  }
  vigil::io::init_logging(vigil::io::to_spdlog(loaded.settings->log_level));
  vigil::codec::silence_protobuf_log();
  try {
    vigil::gateway::gateway_daemon daemon(std::move(*loaded.settings));
    return daemon.run();
  } catch (const std::exception& e) {
    spdlog::critical("vigil-gateway: {}", e.what());
    return 1;
  }
}
