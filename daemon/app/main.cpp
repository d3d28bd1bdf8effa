// vigild: parse the command line, load and validate the settings (fatal, every error at once),
// set up logging, build the daemon, run it.
#include <spdlog/spdlog.h>

#include <exception>
#include <iostream>

#include "app/command_line.hpp"
#include "app/live_daemon.hpp"
#include "codec/codec.hpp"
#include "io/logging.hpp"

int main(int argc, char** argv) {
  auto parsed = vigil::app::parse_command_line(argc, argv);
  if (const int* exit_code = std::get_if<int>(&parsed)) return *exit_code;
  const auto& command = std::get<vigil::app::command_line>(parsed);
  auto load = vigil::app::settings_loader_for(command);
  auto loaded = load();
  if (!loaded.settings) {
    for (const auto& e : loaded.errors) std::cerr << e.to_string() << '\n';
    std::cerr << "vigild: " << loaded.errors.size() << " configuration error(s)\n";
    return 1;
  }
  if (command.check_config) {
    std::cout << vigil::settings::describe(*loaded.settings);
    return 0;
  }
  vigil::io::init_logging(vigil::io::to_spdlog(loaded.settings->log_level));
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
