// A test's HL7 sender: one MLLP connection to vigil-gateway (or the gateway's Alert Manager
// stand-in's peer), sending a message and reading the ACK that comes back, with timeouts.
//
//   vigil::test::mllp_sender s(port);
//   auto ack = s.send("MSH|^~\\&|...\rPID|...\r...");   // the ACK, unframed, or nullopt
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::test {

class mllp_sender {
 public:
  explicit mllp_sender(int port);  // connects to 127.0.0.1:port; throws when it cannot
  ~mllp_sender();
  mllp_sender(const mllp_sender&) = delete;
  mllp_sender& operator=(const mllp_sender&) = delete;

  // Frames and sends `message` (segments ended with \r), then waits for one whole frame back.
  std::optional<std::string> send(std::string_view message,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Sends bytes as they are (bad framing, half frames).
  void send_raw(std::string_view bytes);
  // Waits for one whole frame (nullopt after `timeout`, or when the peer closed).
  std::optional<std::string> receive(std::chrono::milliseconds timeout);
  // True when the peer has closed the connection (waits up to `timeout` for it).
  bool closed_by_peer(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string pending_;
};

}  // namespace vigil::test
