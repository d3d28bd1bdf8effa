#include "app/reloader.hpp"

#include <spdlog/spdlog.h>

#include <csignal>

namespace vigil::app {

reloader::reloader(boost::asio::io_context& loop, settings_loader load,
                   const settings::daemon_settings& running, apply_fn apply, service_face& face,
                   std::function<bool()> connected)
    : hangup_(loop, SIGHUP),
      load_(std::move(load)),
      running_(running),
      apply_(std::move(apply)),
      face_(face),
      connected_(std::move(connected)) {}

void reloader::start() {
  hangup_.async_wait([this](boost::system::error_code ec, int) {
    if (ec) return;
    reload();
    start();
  });
}

void reloader::reload() {
  // Logs go to stderr only (journald), so there is no log file to reopen.
  if (!load_) {
    spdlog::warn("SIGHUP: no configuration file to re-read; nothing changed");
    return;
  }
  face_.reloading();
  auto loaded = load_();
  if (!loaded.settings) {
    for (const auto& e : loaded.errors) spdlog::error("reload: {}", e.to_string());
    spdlog::error("reload: {} configuration error(s); the running configuration stays",
                  loaded.errors.size());
  } else {
    const auto& next = *loaded.settings;
    // Named before applying: apply_ updates the running settings.
    const auto restart = settings::keys_needing_restart(running_, next);
    const auto applied = apply_(next);
    for (const auto& key : restart) {
      spdlog::warn("reload: {} changed but needs a restart; not applied", key);
    }
    if (applied.empty()) spdlog::info("reload: nothing to apply");
    for (const auto& what : applied) spdlog::info("reload: applied {}", what);
  }
  face_.reloaded(connected_());
}

}  // namespace vigil::app
