// vigild's command line (contract.md): --config FILE, --check-config, and the flags that
// override the file (--broker, --prefix, --instance).
#pragma once

#include <string>
#include <variant>

#include "app/reloader.hpp"
#include "settings/settings.hpp"

namespace vigil::app {

struct command_line {
  std::string config_path;
  settings::overrides overrides;
  bool check_config = false;
};

// The parsed command line, or the exit code once --help, --version or a usage error has been
// printed: 0 for the first two, 1 for an error (CLI11's own codes mean nothing to systemd).
std::variant<command_line, int> parse_command_line(int argc, char** argv);

// Loads the file and applies the flags, every error at once; the same again on SIGHUP.
settings_loader settings_loader_for(command_line c);

}  // namespace vigil::app
