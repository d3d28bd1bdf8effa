// A real /usr/sbin/mosquitto on 127.0.0.1 at a free port, owned by one test.
//
//   vigil::test::mosquitto_broker broker;     // started and accepting connections
//   client.connect(broker.uri());
//   broker.stop(); ...; broker.start();       // same port, e.g. to test reconnects
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "child_process.hpp"
#include "temp_dir.hpp"

namespace vigil::test {

class mosquitto_broker {
 public:
  struct options {
    // Keep retained messages and sessions across stop()/start() (mosquitto writes its
    // database on a clean stop).
    bool persistence = false;
    // A locked-down broker: its own configuration for the port (listeners, TLS, passwords,
    // ACL) instead of the anonymous listener; the log and `user` lines are added to it.
    // (`= {}` lets designated initializers leave it out under -Wmissing-field-initializers.)
    std::function<std::string(int port)> config = {};
    std::string scheme = "tcp";  // of uri(): "ssl" for a TLS listener
  };

  mosquitto_broker();  // starts at once; throws when no broker comes up
  explicit mosquitto_broker(options opts);
  ~mosquitto_broker();
  mosquitto_broker(const mosquitto_broker&) = delete;
  mosquitto_broker& operator=(const mosquitto_broker&) = delete;

  int port() const { return port_; }
  std::string uri() const;  // "tcp://127.0.0.1:PORT" (or the options' scheme)

  void start();  // on the same port as before (a fresh one the first time)
  void stop();   // SIGTERM, waits for the exit
  void kill();   // SIGKILL: no clean shutdown
  bool running();
  std::string log() const;  // everything mosquitto printed so far

 private:
  bool try_start();

  options opts_;
  temp_dir dir_;
  int port_ = 0;
  std::unique_ptr<child_process> process_;
};

// A port on 127.0.0.1 that was free a moment ago.
int free_tcp_port();
// True once something accepts TCP connections on 127.0.0.1:port.
bool tcp_port_open(int port);

}  // namespace vigil::test
