// The store on PostgreSQL (a database shared by several vigild instances, several wards): the
// same tables as on SQLite (schema.hpp), a row per prefix, and a lease that makes one instance
// per prefix the leader. The lease is a session-level advisory lock held by one connection;
// every commit runs on that connection, so a leader whose connection (and with it the lock) is
// gone can commit nothing more: the store throws fenced_error instead.
//
//   auto lease = pg_lease::connect({.url = "postgresql://db:5432/vigil"}, "clinic");
//   while (!lease->try_lead()) wait();      // another instance leads this prefix
//   auto s = open_postgres_store(std::move(lease));
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "store/store.hpp"

namespace vigil::store {

struct pg_options {
  std::string url;                      // libpq URI: "postgresql://host:port/db?sslmode=..."
  std::optional<std::string> user;      // from a credentials file; overrides the URL's
  std::optional<std::string> password;  // from a credentials file; never in logs or describe()
};

namespace pg {
class session;  // the connection (libpqxx), private to daemon/store
}

// One connection to the shared database for one topic prefix.
class pg_lease {
 public:
  // Connects (throws store_error naming the URL without its password, and libpq's cause) with
  // TCP keepalives on both sides, so that the server ends a vanished client's session, and the
  // lock with it, within seconds; creates the schema if needed and checks its version; gives
  // the prefix its lock number.
  static std::unique_ptr<pg_lease> connect(const pg_options& o, std::string prefix);
  ~pg_lease();
  pg_lease(const pg_lease&) = delete;
  pg_lease& operator=(const pg_lease&) = delete;

  // True when this connection's session holds the prefix's lock (then until the connection
  // closes). Throws fenced_error when the connection is gone.
  bool try_lead();
  bool leading() const { return leading_; }
  const std::string& prefix() const { return prefix_; }
  std::string describe() const;  // "postgresql://user@host:port/db": never the password
  pg::session& session() { return *session_; }

 private:
  pg_lease(std::unique_ptr<pg::session> s, std::string prefix, int lock_id);

  std::unique_ptr<pg::session> session_;
  std::string prefix_;
  int lock_id_ = 0;
  bool leading_ = false;
};

// The store on the lease's connection; the lease must hold the lock (try_lead() returned true),
// else this throws store_error. Every commit runs on that connection.
std::unique_ptr<store> open_postgres_store(std::unique_ptr<pg_lease> lease);

}  // namespace vigil::store
