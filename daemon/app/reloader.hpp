// SIGHUP: re-read the configuration (the same file and command-line flags) and hand what
// changed to the daemon to apply; keys that need a restart (settings' key table says which)
// are named in a warning and left as they are. A file with errors changes nothing.
// Not thread-safe: the loop thread owns it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/service_face.hpp"
#include "io/asio.hpp"
#include "settings/settings.hpp"

namespace vigil::app {

// Re-reads the configuration (file and command-line overrides) for SIGHUP.
using settings_loader = std::function<settings::load_result()>;

class reloader {
 public:
  // Applies `next` to the running daemon; returns what it applied, for the log.
  using apply_fn = std::function<std::vector<std::string>(const settings::daemon_settings& next)>;

  // Without a loader SIGHUP only says it cannot reload. `running` and `face` must outlive this.
  reloader(boost::asio::io_context& loop, settings_loader load,
           const settings::daemon_settings& running, apply_fn apply, service_face& face,
           std::function<bool()> connected);

  void start();  // waits for SIGHUP, again after each
  void stop() { hangup_.cancel(); }

 private:
  void reload();

  boost::asio::signal_set hangup_;
  const settings_loader load_;
  const settings::daemon_settings& running_;
  const apply_fn apply_;
  service_face& face_;
  const std::function<bool()> connected_;
};

}  // namespace vigil::app
