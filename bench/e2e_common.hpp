// What the end-to-end benchmark's processes agree on: one clock, the floor's topics, and the
// lines the load generator prints for the orchestrator.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

namespace vigil::bench {

// Wall-clock Unix microseconds: every process on the machine reads the same clock, so a
// publish time taken in the load generator and a receive time taken in the dashboard compare.
inline std::int64_t wall_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline void sleep_until_us(std::int64_t t_us) {
  std::this_thread::sleep_until(
      std::chrono::system_clock::time_point(std::chrono::microseconds(t_us)));
}

// The re-publishing floor puts every message it receives on echo_prefix + its topic, and
// announces (retained) on ready_topic once its subscriptions are in place.
inline const std::string echo_prefix = "bench/echo/";
inline const std::string republisher_ready_topic = "bench/republisher/ready";
// The minimal subscriber announces itself (retained) here once subscribed.
inline const std::string min_subscriber_ready_topic = "bench/min-subscriber/ready";

// Load generator output, one per line:
//   probe nibp <bed> <publish_us>     an alarm-causing cuff reading (SBP_HIGH at once)
//   probe hr <bed> <publish_us>       one of a run of alarm-causing heart rates (HR 160)
//   sent <messages>                   everything it published, set-up included
//   window_sent <messages>            of those, the ones due after the warm-up
//   failed <n>                        publishes Paho refused
//   first_failure <text>              why the first of them was refused
//   late_us <max>                     the furthest behind its schedule it ever was
inline constexpr const char* probe_nibp_tag = "nibp";
inline constexpr const char* probe_hr_tag = "hr";

}  // namespace vigil::bench
