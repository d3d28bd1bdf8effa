// A small HTTP/1.1 server on the loop's io_context, for /metrics and /ready: Boost.Beast (part
// of Boost, already a dependency through Asio) does the parsing, so there is no hand-written
// HTTP here. GET and HEAD only, one handler per exact path, called on the loop thread (so it
// may read the loop's state without locks). Bounded so that a client cannot hurt the loop: at
// most `max_connections` at once (more are closed at accept), request headers of at most 8 KiB
// and no body, 10 s to send a request, keep-alive honoured.
// Not thread-safe: the loop thread owns it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "io/asio.hpp"

namespace vigil::io {

struct http_response {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};
using http_handler = std::function<http_response()>;

class http_server {
 public:
  static constexpr std::size_t max_connections = 32;

  http_server(boost::asio::io_context& loop, std::map<std::string, http_handler> routes);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  // Binds `host` (an IP address) and `port` (0: a free one) and listens. Throws
  // std::runtime_error naming the address when it cannot.
  void start(const std::string& host, std::uint16_t port);
  // Stops accepting; open connections end after their current request.
  void stop();
  std::uint16_t port() const { return port_; }  // once started
  // "host:port" as bound (the port taken when 0 was asked), once started.
  const std::string& address() const { return address_; }

  struct state;  // shared with the open connections, which may outlive this object

 private:
  std::shared_ptr<state> state_;
  std::uint16_t port_ = 0;
  std::string address_;
};

}  // namespace vigil::io
