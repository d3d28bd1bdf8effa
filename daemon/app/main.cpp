// vigild: parse the command line, load and validate the settings (fatal, every error at once),
// set up logging, build the daemon, run it. On a shared PostgreSQL store (README "Running a
// pair") it first stands by until it holds the leader's lock, and stands by again whenever it
// loses it.
#include <spdlog/spdlog.h>

#include <exception>
#include <iostream>
#include <memory>

#include "app/command_line.hpp"
#include "app/live_daemon.hpp"
#include "app/standby.hpp"
#include "codec/codec.hpp"
#include "io/logging.hpp"

namespace {

int lead_or_stand_by(const vigil::settings::daemon_settings& s,
                     const vigil::app::settings_loader& load) {
  for (;;) {
    auto lease = vigil::app::standby(s).wait();
    if (!lease) return 0;  // a signal while standing by
    auto held = std::make_shared<std::unique_ptr<vigil::store::pg_lease>>(std::move(lease));
    try {
      vigil::app::live_daemon daemon(
          s, load, vigil::io::sd_notifier::from_environment(), vigil::io::read_system_clocks,
          [held] { return vigil::store::open_postgres_store(std::move(*held)); });
      const int code = daemon.run();
      if (!daemon.stepped_down()) return code;
    } catch (const std::exception& e) {
      // The database went away while taking over: stand by again (the lock went with it).
      spdlog::error("vigild: cannot take over: {}; standing by again", e.what());
    }
  }
}

}  // namespace

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
    if (vigil::settings::is_postgres_url(loaded.settings->store.url.value_or(""))) {
      return lead_or_stand_by(*loaded.settings, load);
    }
    vigil::app::live_daemon daemon(std::move(*loaded.settings), load);
    return daemon.run();
  } catch (const std::exception& e) {
    spdlog::critical("vigild: {}", e.what());
    return 1;
  }
}
