// vigild's /metrics and /ready ([metrics] listen), and the event-loop lag they report. The
// page is rendered on the loop thread when Prometheus asks (every 15 s or so), from counters
// the loop keeps anyway: a reading costs the metrics nothing but the increments of counters
// that existed before. The lag is sampled by a timer every 250 ms: how late it fired.
// Not thread-safe: the loop thread owns it.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "io/asio.hpp"
#include "io/http_server.hpp"
#include "metrics/histogram.hpp"

namespace vigil::app {

class metrics_endpoint {
 public:
  using render_fn = std::function<std::string()>;
  // nullopt when ready; else why not, for the 503's body.
  using readiness_fn = std::function<std::optional<std::string>()>;

  metrics_endpoint(boost::asio::io_context& loop, render_fn render, readiness_fn readiness);

  // Listens on `listen` ("host:port", settings-checked), logs where, and starts sampling the
  // loop's lag; "" starts only the sampling. Throws std::runtime_error when the address cannot be
  // bound.
  void start(const std::string& listen);
  void stop();

  const metrics::histogram& loop_lag() const { return lag_; }

 private:
  void sample_lag();

  io::http_server server_;
  boost::asio::steady_timer lag_timer_;
  std::chrono::steady_clock::time_point lag_due_;
  metrics::histogram lag_ = metrics::duration_histogram();
  bool stopped_ = false;
};

}  // namespace vigil::app
