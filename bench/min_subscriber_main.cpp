// vigil_min_subscriber: the floor this stack sets for receiving. Subscribes to the five
// filters vigild subscribes to (codec::subscription_filters), as vigild does (Paho MQTT C++
// async_client, MQTT 5, QoS 1), and its message callback only counts: no decoding, no engine,
// no disk, no re-publishing (the re-publishing floor doubles the broker's work, so it cannot
// say what receiving alone costs). Announces itself (retained) once subscribed; on SIGINT or
// SIGTERM prints "min-subscriber: N received" and exits.
#include <mqtt/async_client.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>

#include "codec/topics.hpp"
#include "e2e_common.hpp"

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

  // Blocked before Paho starts its threads, so only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  try {
    // The same client options as vigild (live_daemon.cpp): MQTT 5 and room for a million
    // unsent messages, so that nothing but the receive path differs.
    mqtt::async_client client(broker, "vigil-min-subscriber-" + std::to_string(getpid()),
                              mqtt::create_options(MQTTVERSION_5, 1'000'000));
    counter handler;
    client.set_callback(handler);
    client
        .connect(mqtt::connect_options_builder()
                     .mqtt_version(MQTTVERSION_5)
                     .clean_start(true)
                     .keep_alive_interval(std::chrono::seconds(10))
                     .finalize())
        ->wait();
    for (const auto& filter : vigil::codec::subscription_filters(prefix)) {
      client.subscribe(filter, 1)->wait();
    }
    client.publish(min_subscriber_ready_topic, "ready", 1, true)->wait();
    int sig = 0;
    sigwait(&stop_signals, &sig);
    client.disable_callbacks();
    client.disconnect(2'000)->wait();
    std::printf("min-subscriber: %llu received\n",
                static_cast<unsigned long long>(handler.received()));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil_min_subscriber: %s\n", e.what());
    return 1;
  }
  return 0;
}
