// What PCD-04 out costs: building one ORU^R40, one durable enqueue + removal in the alert
// queue (SQLite WAL, synchronous=FULL: an fsync each, so this measures the disk), and the
// sender's round trip over loopback to the tests' AM stand-in (send, ACK, remove, next).
#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "alerts/alert_sender.hpp"
#include "am_stand_in.hpp"
#include "hl7/pcd04.hpp"

namespace vigil {
namespace {

core::alarm_event sbp_high(std::uint64_t seq) {
  core::alarm_event e;
  e.alarm_id = "chair-3:SBP_HIGH:1";
  e.event_seq = seq;
  e.bed_id = "chair-3";
  e.condition = "SBP_HIGH";
  e.kind = core::alarm_kind::physiological;
  e.priority = core::priority::high;
  e.state = core::alarm_state::active;
  e.transition = core::transition::raised;
  e.value = 186;
  e.limit = 180;
  e.onset_ms = e.at_ms = 1796121680000;
  e.text = "SBP 186 mmHg \xe2\x89\xa5 180 at 41:20 into infusion";
  return e;
}

hl7::pcd04_context context(const core::alarm_event& e) {
  hl7::pcd04_context ctx;
  ctx.bed_location = hl7::location::from_text("3 WEST ICU^3001^1");
  ctx.control_id = hl7::control_id_for(e);
  ctx.packaging_ms = e.at_ms;
  return ctx;
}

std::filesystem::path scratch(const char* name) {
  auto dir = std::filesystem::temp_directory_path() /
             (std::string("vigil-alerts-bench-") + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

void build_oru_r40(benchmark::State& state) {
  const auto e = sbp_high(12);
  const auto ctx = context(e);
  for (auto _ : state) benchmark::DoNotOptimize(hl7::build_oru_r40(e, ctx));
}
BENCHMARK(build_oru_r40);

void queue_enqueue_and_remove(benchmark::State& state) {
  const auto dir = scratch("queue");
  {
    alerts::alert_queue q(dir / "alerts.db");
    const auto message = hl7::build_oru_r40(sbp_high(1), context(sbp_high(1)));
    std::uint64_t seq = 0;
    for (auto _ : state) {
      q.enqueue(message, "chair-3:SBP_HIGH:1", ++seq, 0);
      q.remove(q.head()->id, alerts::outcome::acked, 0);
    }
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(queue_enqueue_and_remove)->Unit(benchmark::kMicrosecond);

// Messages per second through the sender to an AM that ACKs at once, queue writes included.
void sender_round_trip(benchmark::State& state) {
  spdlog::set_level(spdlog::level::warn);
  const auto dir = scratch("sender");
  {
    boost::asio::io_context loop;
    alerts::alert_queue q(dir / "alerts.db");
    test::am_stand_in am(loop, [](const test::am_received& r, std::size_t) {
      return std::vector<std::string>{test::am_ack("CA", r.control_id)};
    });
    alerts::sender_settings s;
    s.host = "127.0.0.1";
    s.port = am.port();
    alerts::alert_sender sender(loop, q, s);
    sender.start();
    std::uint64_t seq = 0;
    for (auto _ : state) {
      const auto e = sbp_high(++seq);
      q.enqueue(hl7::build_oru_r40(e, context(e)), e.alarm_id, e.event_seq, 0);
      sender.wake();
      while (q.depth() > 0) loop.run_one_for(std::chrono::milliseconds(100));
    }
    state.counters["acked"] = static_cast<double>(sender.counters().acked);
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(sender_round_trip)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace vigil
