// A member of a pair that does not lead (README "Running a pair"): it waits for the leader's
// lock on the shared PostgreSQL, trying it every lock_poll, and meanwhile says so on its own
// MQTT connection: DaemonStatus {ONLINE, STANDBY} on {prefix}/daemon/{instance}/status (Last
// Will OFFLINE), with a client id of its own (settings::standby_client_id), so the leader's
// session stays the leader's. It subscribes to nothing and publishes nothing else. /metrics
// says vigil_leader 0; systemd hears READY=1 and a STATUS naming the database.
//
// Threads: one, its own Asio loop; wait() returns on it.
#pragma once

#include <chrono>
#include <memory>

#include "settings/settings.hpp"
#include "store/pg_store.hpp"

namespace vigil::app {

// The connection options the settings give: the URL, and user and password from
// store.credentials_file. Throws std::runtime_error naming the file when it cannot be used.
store::pg_options pg_options_of(const settings::store_settings& s);

class standby {
 public:
  static constexpr auto lock_poll = std::chrono::milliseconds(500);
  // Between attempts to reach a database that is down.
  static constexpr auto reconnect_after = std::chrono::seconds(2);

  // Catches SIGINT, SIGTERM and SIGHUP from here on (before wait()), so that no signal falls
  // between two phases: construct the next standby before the live daemon it follows ends,
  // and the live daemon before this standby ends. `s` must outlive this object.
  explicit standby(const settings::daemon_settings& s);
  ~standby();
  standby(const standby&) = delete;
  standby& operator=(const standby&) = delete;

  // Returns the connection that now holds the lock, or null on SIGINT/SIGTERM (also one that
  // came before wait(), while a live daemon led). Once.
  std::unique_ptr<store::pg_lease> wait();
  // After wait() returned a lease: whether SIGINT or SIGTERM came meanwhile (the live daemon
  // that takes over must stop at once).
  bool stop_requested();

 private:
  class waiting;
  std::unique_ptr<waiting> w_;
};

}  // namespace vigil::app
