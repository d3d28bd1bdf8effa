// A real PostgreSQL on 127.0.0.1 at a free port, owned by one test: initdb in a temp dir (the
// superuser "vigil" with password(), scram-sha-256 over TCP, trust on its Unix socket in the
// temp dir), a database "vigil", the server stopped by PID. PostgreSQL refuses to run as root:
// as root, initdb and postgres run as the system user postgres (setpriv, which execs, so the
// PID is the server's; the death signal set again after the change of user).
//
//   vigil::test::postgres_server pg;             // started and accepting connections
//   connect(pg.url(), pg.password());
//   pg.sql("SELECT pg_terminate_backend(...)");  // as the superuser
//   pg.stop(); ...; pg.start();                  // same port and data
#pragma once

#include <memory>
#include <string>

#include "child_process.hpp"
#include "temp_dir.hpp"

namespace vigil::test {

class postgres_server {
 public:
  struct options {
    // Tests run with fsync=off to be quick; a benchmark of commit latency needs the real
    // durability of a default server (fsync on, synchronous_commit on).
    bool fsync = false;
  };

  postgres_server();  // initdb, start, CREATE DATABASE vigil; throws when it cannot
  explicit postgres_server(options opts);
  ~postgres_server();
  postgres_server(const postgres_server&) = delete;
  postgres_server& operator=(const postgres_server&) = delete;

  int port() const { return port_; }
  // "postgresql://vigil@127.0.0.1:PORT/<database>" (no password: see password()).
  std::string url(const std::string& database = "vigil") const;
  std::string password() const { return "vigil-test-password"; }

  void start();  // on the same port and data as before
  void stop();   // SIGINT (fast shutdown), waits for the exit
  void kill();   // SIGKILL of the postmaster: no clean shutdown
  bool running();
  std::string log() const;

  // Runs `statement` as the superuser over the Unix socket; returns the first column of the
  // first row ("" when there is none). Throws std::runtime_error with the server's message.
  std::string sql(const std::string& statement, const std::string& database = "postgres");

 private:
  bool try_start();
  std::vector<std::string> as_postgres(std::vector<std::string> argv) const;

  options opts_;
  temp_dir dir_;
  std::string bin_;  // /usr/lib/postgresql/<highest>/bin
  int port_ = 0;
  std::unique_ptr<child_process> process_;
};

}  // namespace vigil::test
