// What the two floors (vigil_republisher, vigil_min_subscriber) share: a Paho client set up as
// vigild sets up its own (MQTT 5, room for a million unsent messages, keep-alive 10 s, QoS 1
// on the five filters vigild subscribes to), an announcement once subscribed, and a run until
// SIGINT or SIGTERM. Each floor differs only in its message callback and what it prints.
#pragma once

#include <mqtt/async_client.h>
#include <unistd.h>

#include <csignal>
#include <string>

#include "codec/topics.hpp"

namespace vigil::bench {

// Blocks SIGINT and SIGTERM before Paho starts its threads, so only run_floor's sigwait sees
// them. Call first thing in main().
inline sigset_t block_stop_signals() {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  return stop;
}

inline mqtt::async_client make_floor_client(const std::string& broker, const std::string& name) {
  return mqtt::async_client(broker, name + "-" + std::to_string(getpid()),
                            mqtt::create_options(MQTTVERSION_5, 1'000'000));
}

// Connects, subscribes to what vigild subscribes to under `prefix`, announces itself
// (retained) on `ready_topic`, and returns once a stop signal arrives, disconnected.
inline void run_floor(mqtt::async_client& client, mqtt::callback& handler,
                      const std::string& prefix, const std::string& ready_topic,
                      const sigset_t& stop) {
  client.set_callback(handler);
  client
      .connect(mqtt::connect_options_builder()
                   .mqtt_version(MQTTVERSION_5)
                   .clean_start(true)
                   .keep_alive_interval(std::chrono::seconds(10))
                   .finalize())
      ->wait();
  for (const auto& filter : codec::subscription_filters(prefix))
    client.subscribe(filter, 1)->wait();
  client.publish(ready_topic, "ready", 1, true)->wait();
  int sig = 0;
  sigwait(&stop, &sig);
  client.disable_callbacks();
  client.disconnect(2'000)->wait();
}

}  // namespace vigil::bench
