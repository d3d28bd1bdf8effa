// vigil_min_subscriber: the floor this stack sets for receiving. Subscribes to the five
// filters vigild subscribes to (codec::subscription_filters), as vigild does (Paho MQTT C++
// async_client, MQTT 5, QoS 1), and its message callback only counts: no decoding, no engine,
// no disk, no re-publishing (the re-publishing floor doubles the broker's work, so it cannot
// say what receiving alone costs). Announces itself (retained) once subscribed; on SIGINT or
// SIGTERM prints "min-subscriber: N received" and exits.
#include <mqtt/async_client.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>

#include "e2e_common.hpp"
#include "floor_client.hpp"

namespace {

using namespace vigil::bench;

class counter : public mqtt::callback {
 public:
  void message_arrived(mqtt::const_message_ptr) override {
    received_.fetch_add(1, std::memory_order_relaxed);
  }
  std::uint64_t received() const { return received_.load(); }

 private:
  std::atomic<std::uint64_t> received_{0};
};

}  // namespace

int main(int argc, char** argv) {
  std::string broker;
  std::string prefix = "clinic";
  CLI::App app{"vigil_min_subscriber: receives what vigild would receive and only counts it"};
  app.add_option("--broker", broker)->required();
  app.add_option("--prefix", prefix);
  CLI11_PARSE(app, argc, argv);

  const sigset_t stop = block_stop_signals();
  try {
    auto client = make_floor_client(broker, "vigil-min-subscriber");
    counter handler;
    run_floor(client, handler, prefix, min_subscriber_ready_topic, stop);
    std::printf("min-subscriber: %llu received\n",
                static_cast<unsigned long long>(handler.received()));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil_min_subscriber: %s\n", e.what());
    return 1;
  }
  return 0;
}
