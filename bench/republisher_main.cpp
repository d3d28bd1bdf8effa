// vigil_republisher: the floor that the broker and the client library set. Subscribes to the
// topics vigild subscribes to, as vigild does (MQTT 5, QoS 1), and re-publishes every message,
// unchanged and at the QoS it arrived with, on bench/echo/{topic}, straight from Paho's
// callback: no decoding, no engine, no disk. Announces itself (retained) once subscribed; on
// SIGINT or SIGTERM prints "received N" and exits.
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

class echo : public mqtt::callback {
 public:
  explicit echo(mqtt::async_client& client) : client_(client) {}
  void message_arrived(mqtt::const_message_ptr msg) override {
    received_.fetch_add(1, std::memory_order_relaxed);
    try {
      client_.publish(echo_prefix + msg->get_topic(), msg->get_payload(), msg->get_qos(), false);
    } catch (const mqtt::exception&) {
      failed_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  std::uint64_t received() const { return received_.load(); }
  std::uint64_t failed() const { return failed_.load(); }

 private:
  mqtt::async_client& client_;
  std::atomic<std::uint64_t> received_{0};
  std::atomic<std::uint64_t> failed_{0};
};

}  // namespace

int main(int argc, char** argv) {
  std::string broker;
  std::string prefix = "clinic";
  CLI::App app{"vigil_republisher: re-publishes everything vigild would receive"};
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
    // Room for bursts: by default Paho refuses a publish (-12) once 100 wait unsent.
    mqtt::async_client client(broker, "vigil-republisher-" + std::to_string(getpid()),
                              mqtt::create_options(MQTTVERSION_5, 1'000'000));
    echo handler(client);
    client.set_callback(handler);
    client
        .connect(mqtt::connect_options_builder()
                     .mqtt_version(MQTTVERSION_5)
                     .clean_start(true)
                     .finalize())
        ->wait();
    for (const auto& filter : vigil::codec::subscription_filters(prefix)) {
      client.subscribe(filter, 1)->wait();
    }
    client.publish(republisher_ready_topic, "ready", 1, true)->wait();
    int sig = 0;
    sigwait(&stop_signals, &sig);
    client.disconnect(2'000)->wait();
    client.disable_callbacks();
    std::printf("received %llu\nfailed %llu\n", static_cast<unsigned long long>(handler.received()),
                static_cast<unsigned long long>(handler.failed()));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil_republisher: %s\n", e.what());
    return 1;
  }
  return 0;
}
