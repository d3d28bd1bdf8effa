// vigil_republisher: the floor that the broker and the client library set. Subscribes to the
// topics vigild subscribes to, as vigild does (MQTT 5, QoS 1), and re-publishes every message,
// unchanged and at the QoS it arrived with, on bench/echo/{topic}, straight from Paho's
// callback: no decoding, no engine, no disk. Announces itself (retained) once subscribed; on
// SIGINT or SIGTERM prints "received N" and exits.
#include <mqtt/async_client.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>

#include "e2e_common.hpp"
#include "floor_client.hpp"

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

  const sigset_t stop = block_stop_signals();
  try {
    auto client = make_floor_client(broker, "vigil-republisher");
    echo handler(client);
    run_floor(client, handler, prefix, republisher_ready_topic, stop);
    std::printf("received %llu\nfailed %llu\n", static_cast<unsigned long long>(handler.received()),
                static_cast<unsigned long long>(handler.failed()));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil_republisher: %s\n", e.what());
    return 1;
  }
  return 0;
}
