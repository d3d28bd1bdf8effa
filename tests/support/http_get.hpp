// A plain HTTP/1.1 GET to 127.0.0.1 for tests (vigild's /metrics and /ready, Prometheus' API):
// one request, Connection: close, the reply read to the end.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace vigil::test {

struct http_reply {
  int status = 0;
  std::string body;
};

// nullopt when nothing answers on `port` or the reply is not HTTP.
std::optional<http_reply> http_get(int port, const std::string& target);

// `text` with every byte outside [A-Za-z0-9-._~] percent-encoded, for a query string.
std::string url_encode(const std::string& text);

}  // namespace vigil::test
