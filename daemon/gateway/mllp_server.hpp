// vigil-gateway's MLLP listener on the loop's io_context: any number of senders (up to
// max_connections at once; more are closed at accept), plain TCP or TLS. Each connection's
// bytes go through hl7::mllp_reader; every whole frame is handed to the handler, whose answer
// (the ACK, now or later) goes back framed on the same connection, in the order of the frames.
// Bounded so a sender cannot hurt the gateway: frames over max_frame_bytes are refused (the reader
// resyncs on the next frame), a frame begun and not finished within frame_timeout closes the
// connection, and so does a connection that says nothing for idle_timeout. Framing errors are
// logged and counted; the connection stays open (one bad frame never costs a sender its link). Not
// thread-safe: the loop thread owns it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "io/asio.hpp"
#include "settings/gateway_settings.hpp"

namespace vigil::gateway {

struct mllp_counters {
  std::uint64_t connections = 0;     // accepted, ever
  std::uint64_t refused = 0;         // closed at accept: max_connections reached
  std::uint64_t open = 0;            // now
  std::uint64_t frames = 0;          // whole frames handed to the handler
  std::uint64_t framing_errors = 0;  // bytes outside a frame, a bad end, a frame too large
  std::uint64_t timeouts = 0;        // connections closed: a frame left half-read, or idle
  std::uint64_t tls_failures = 0;    // handshakes that failed
};

// The handler's answer to one message: the ACK, unframed, or "" to close the connection (the
// sender keeps the message and sends it again). May be called later (once the broker has the
// message's readings), at most once, on the loop thread; answers go out in the order the
// messages came, whatever order they are given in. Calling it after the connection closed
// does nothing.
using mllp_reply = std::function<void(std::string ack)>;
using mllp_handler =
    std::function<void(std::string_view message, const std::string& peer, mllp_reply reply)>;

class mllp_server {
 public:
  mllp_server(boost::asio::io_context& loop, const settings::mllp_settings& s, mllp_handler h);
  ~mllp_server();
  mllp_server(const mllp_server&) = delete;
  mllp_server& operator=(const mllp_server&) = delete;

  // Binds s.listen (port 0: a free one) and accepts. Throws std::runtime_error naming the
  // address (or the TLS file) when it cannot.
  void start();
  // Stops accepting and closes every connection.
  void stop();
  std::uint16_t port() const;
  const mllp_counters& counters() const;

  struct state;  // shared with the open connections, which may outlive this object

 private:
  std::shared_ptr<state> state_;
};

}  // namespace vigil::gateway
