// Publishes each bed's retained trend (BedTrend on {prefix}/beds/{bed}/trend, README "Topics")
// for central stations: fed with the record's rows of every turn (record::trend_window per
// bed), it publishes a bed whose trend changed at the next tick (every tick_interval), at most
// every min_interval a bed unless an NIBP reading or a session change came in (where a
// pressure is heading is what a station looks for). Bulk priority: after alarms, and a newer
// trend replaces one not yet sent. Not in the outbox: after a restart the trend of a bed in a
// session is read back from the store (seed()).
// Threads: the loop thread.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "codec/outbox.hpp"
#include "io/asio.hpp"
#include "record/rows.hpp"
#include "record/trend_window.hpp"

namespace vigil::app {

class trend_publisher {
 public:
  using publisher = std::function<void(codec::outgoing)>;
  using clock = std::function<core::time_ms()>;
  static constexpr std::chrono::seconds tick_interval{5};
  static constexpr core::time_ms min_interval_ms = 30'000;

  trend_publisher(boost::asio::io_context& loop, std::string prefix, publisher publish, clock now);

  void start();  // the ticks
  void stop();
  // One turn's rows.
  void add(const record::rows& r, core::time_ms now);
  // A bed's session and trend as the store kept them (a restart).
  void seed(const record::session_info& s, const std::vector<record::trend_point>& points,
            core::time_ms now);
  // Publishes what is due now (the tick; public for tests).
  void tick();

 private:
  struct bed {
    record::trend_window window;
    bool changed = false;
    bool urgent = false;  // an NIBP reading or a session change
    core::time_ms published_at = INT64_MIN / 2;
  };
  bed& at(const std::string& id);
  void arm();

  const std::string prefix_;
  publisher publish_;
  clock now_;
  std::unordered_map<std::string, bed> beds_;
  std::vector<std::string> changed_;  // beds with changed set, each once
  boost::asio::steady_timer timer_;
  bool stopped_ = false;
};

}  // namespace vigil::app
