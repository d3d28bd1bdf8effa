// vigild: parse the command line, load and validate the settings (fatal, every error at once),
// set up logging, build the daemon, run it. On a shared PostgreSQL store (README "Running a
// pair") it first stands by until it holds the leader's lock, and stands by again whenever it
// loses it.
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <thread>

#include "app/command_line.hpp"
#include "app/live_daemon.hpp"
#include "app/standby.hpp"
#include "codec/codec.hpp"
#include "io/logging.hpp"

namespace {

// Signals are caught by the phase that runs, and no signal may fall between two phases (it would
// kill the process, or be lost in the ending phase's queue): each phase's catcher is in place
// before the previous one's goes, and a stop that came during a handover is passed on.
int lead_or_stand_by(const vigil::settings::daemon_settings& s,
                     const vigil::app::settings_loader& load) {
  using vigil::app::standby;
  auto waiting = std::make_unique<standby>(s);
  for (;;) {
    auto lease = waiting->wait();
    if (!lease) return 0;  // a signal while standing by
    if (const char* hook = std::getenv("VIGILD_TEST_HANDOVER_DELAY_MS")) {
      spdlog::warn("test hook: {} ms between taking the lock and leading", hook);
      std::this_thread::sleep_for(std::chrono::milliseconds(std::atoi(hook)));
    }
    auto held = std::make_shared<std::unique_ptr<vigil::store::pg_lease>>(std::move(lease));
    std::unique_ptr<vigil::app::live_daemon> daemon;
    try {
      daemon = std::make_unique<vigil::app::live_daemon>(
          s, load, vigil::io::sd_notifier::from_environment(), vigil::io::read_system_clocks,
          [held] { return vigil::store::open_postgres_store(std::move(*held)); });
    } catch (const std::exception& e) {
      // The database went away while taking over: stand by again (the lock went with it).
      spdlog::error("vigild: cannot take over: {}; standing by again", e.what());
    }
    const bool stop = waiting->stop_requested();
    waiting = std::make_unique<standby>(s);  // for a step-down: catching signals from now on
    if (!daemon) {
      if (stop) return 0;
      continue;
    }
    if (stop) daemon->stop_at_once();
    const int code = daemon->run();
    if (!daemon->stepped_down()) return code;
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
    if (loaded.settings->store.shared()) {
      return lead_or_stand_by(*loaded.settings, load);
    }
    vigil::app::live_daemon daemon(std::move(*loaded.settings), load);
    return daemon.run();
  } catch (const std::exception& e) {
    spdlog::critical("vigild: {}", e.what());
    return 1;
  }
}
