#include "app/metrics_endpoint.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <stdexcept>

#include "settings/settings.hpp"

namespace vigil::app {

namespace {

constexpr auto lag_interval = std::chrono::milliseconds(250);
// Prometheus' text exposition format, version 0.0.4.
constexpr const char* exposition_type = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace

metrics_endpoint::metrics_endpoint(boost::asio::io_context& loop, render_fn render,
                                   readiness_fn readiness)
    : server_(loop, {{"/metrics",
                      [render] {
                        return io::http_response{200, exposition_type, render()};
                      }},
                     {"/ready",
                      [readiness] {
                        if (auto why = readiness())
                          return io::http_response{503, "text/plain", *why + "\n"};
                        return io::http_response{200, "text/plain", "ready\n"};
                      }}}),
      lag_timer_(loop) {}

void metrics_endpoint::start(const std::string& listen) {
  if (!listen.empty()) {
    const auto address = settings::parse_listen_address(listen);
    if (!address) throw std::runtime_error("metrics: not an address to listen on: " + listen);
    server_.start(address->host, address->port);
    spdlog::info("metrics: serving http://{}/metrics and /ready", server_.address());
  }
  lag_due_ = std::chrono::steady_clock::now() + lag_interval;
  sample_lag();
}

void metrics_endpoint::sample_lag() {
  lag_timer_.expires_at(lag_due_);
  lag_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    const auto now = std::chrono::steady_clock::now();
    lag_.observe(std::chrono::duration<double>(now - lag_due_).count());
    lag_due_ = now + lag_interval;
    sample_lag();
  });
}

void metrics_endpoint::stop() {
  stopped_ = true;
  lag_timer_.cancel();
  server_.stop();
}

}  // namespace vigil::app
