// An Alert Manager stand-in for the alert sender's tests: an MLLP listener on 127.0.0.1 at a
// free port, on the test's io_context, that records every message it receives and answers what
// the test's script says. It can stop (closing its connections, as a crashing AM does) and
// listen again on the same port.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "io/asio.hpp"

namespace vigil::test {

struct am_received {
  std::string control_id;  // MSH-10
  std::string type;        // MSH-9, e.g. "ORU^R40^ORU_R40", "ACK"
  std::string msa;         // MSA-1 "|" MSA-2 of an ACK, e.g. "CA|2df8"
  std::string text;        // the message
};

// An ACK as an AM writes it (hand-written here, not by the code under test).
std::string am_ack(std::string_view code, std::string_view control_id,
                   std::string_view error_text = "");

class am_stand_in {
 public:
  // What to send back on a message, given how often its MSH-10 has come (1 the first time):
  // the messages to send (framed here), none to say nothing. ACKs are recorded, not answered.
  using script = std::function<std::vector<std::string>(const am_received&, std::size_t nth)>;

  am_stand_in(boost::asio::io_context& loop, script answer);
  ~am_stand_in();
  am_stand_in(const am_stand_in&) = delete;
  am_stand_in& operator=(const am_stand_in&) = delete;

  std::uint16_t port() const { return port_; }
  const std::vector<am_received>& received() const;
  std::size_t connections() const;  // accepted so far
  // Sends a message (framed here) on every open connection.
  void send(const std::string& message);
  // Closes the listener and every connection.
  void stop();
  // Listens again on the same port.
  void restart();

  struct state;

 private:
  std::shared_ptr<state> state_;
  std::uint16_t port_ = 0;
};

}  // namespace vigil::test
