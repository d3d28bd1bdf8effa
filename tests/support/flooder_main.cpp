// vigil_test_flooder BROKER_URI PREFIX BED RATE SECONDS VICTIM_ALARM: a broken or hostile device.
// Publishes RATE messages/s at QoS 0 for SECONDS, cycling through what vigild must shrug off
// without slowing other beds down: valid heart rates far faster than any monitor sends them,
// NIBP readings flapping between 186/95 and 120/80 (each one an alarm transition to publish),
// payloads that do not decode or lack a device_id, payloads over 64 KiB, topics whose bed id
// breaks the contract, acks on its own topic naming another bed's alarm (VICTIM_ALARM, e.g.
// "ward-007:HR_HIGH:1"), and infusion events that are out of order for an idle bed. Prints one
// line per kind with what it published, then "published N in S s".
// A separate process, like a real device, so its publishing has its own connection and CPU.
#include <mqtt/async_client.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "mqtt_test_client.hpp"

namespace {

using vigil::codec::input_kind;
using vigil::codec::input_topic_name;
using vigil::test::wall_ms;

struct shape {
  std::string name;
  std::string topic;
  std::string payload;
  int weight;  // of 32 messages
  std::uint64_t sent = 0;
};

std::vector<shape> shapes(const std::string& prefix, const std::string& bed,
                          const std::string& victim) {
  namespace core = vigil::core;
  using vigil::codec::encode;
  const auto topic = [&](input_kind k) { return input_topic_name(prefix, bed, k); };
  const auto now = wall_ms();
  const core::heart_rate hr{"flooder", now, 1, 80, core::validity::valid};
  const core::blood_pressure bp{
      "flooder", now, 1, 120, 80, std::nullopt, core::bp_source::nibp, core::validity::valid};
  core::blood_pressure bp_high = bp;  // alternating with bp: SBP_HIGH raised, latched, again...
  bp_high.systolic_mmhg = 186;
  bp_high.diastolic_mmhg = 95;
  core::heart_rate no_device = hr;
  no_device.device_id.clear();
  const auto beds = [&](const std::string& id) { return prefix + "/beds/" + id; };
  return {
      {"heart_rate", topic(input_kind::heart_rate), encode(hr), 10},
      {"nibp_high", topic(input_kind::blood_pressure), encode(bp_high), 3},
      {"nibp_normal", topic(input_kind::blood_pressure), encode(bp), 3},
      {"garbage", topic(input_kind::heart_rate), "\xff\xfe not protobuf", 3},
      {"missing_device_id", topic(input_kind::heart_rate), encode(no_device), 2},
      {"oversized", topic(input_kind::blood_pressure), std::string(70 * 1024, 'x'), 1},
      {"bed_id_too_long", beds(std::string(65, 'b')) + "/vitals/heart_rate", encode(hr), 2},
      {"bed_id_bad_chars", beds("bed 7;rm -rf") + "/vitals/blood_pressure", encode(bp), 2},
      {"bed_id_unicode",
       beds("b\xc3\xa9"
            "d-7") +
           "/infusion",
       encode(hr), 1},
      {"ack_other_bed", topic(input_kind::ack), encode(core::alarm_ack{victim, "flooder", now}), 3},
      {"infusion_out_of_order", topic(input_kind::infusion),
       encode(core::infusion_event{core::infusion_kind::stopped, now, "x", 0, "ketamine",
                                   std::nullopt, "flooder", "", ""}),
       2},
  };
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::cerr << "usage: vigil_test_flooder BROKER_URI PREFIX BED RATE SECONDS VICTIM_ALARM\n";
    return 2;
  }
  const std::string uri = argv[1], prefix = argv[2], bed = argv[3], victim = argv[6];
  const double rate = std::stod(argv[4]), seconds = std::stod(argv[5]);
  auto all = shapes(prefix, bed, victim);
  std::vector<shape*> cycle;  // 32 slots, each shape as often as its weight, interleaved
  for (int round = 0; cycle.size() < 32; ++round) {
    for (auto& s : all) {
      if (round < s.weight) cycle.push_back(&s);
    }
  }
  try {
    // Paho refuses a publish once 100 wait unsent: a flood is exactly that, so let it buffer.
    mqtt::async_client client(uri, "vigil-test-flooder-" + std::to_string(getpid()),
                              mqtt::create_options(MQTTVERSION_5, 1'000'000));
    auto opts =
        mqtt::connect_options_builder().mqtt_version(MQTTVERSION_5).clean_start(true).finalize();
    client.connect(opts)->wait();
    std::cout << "connected" << std::endl;
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    const auto end = start + std::chrono::duration<double>(seconds);
    std::uint64_t published = 0;
    // At most this many publishes wait in Paho: past what the connection carries, the flood
    // runs at the connection's pace instead of piling up in this process and running on after
    // SECONDS. (A QoS 0 token completes once the message is written to the socket.)
    constexpr std::size_t max_unsent = 500;
    std::deque<mqtt::delivery_token_ptr> unsent;
    for (auto now = start; now < end; now = clock::now()) {
      while (!unsent.empty() && unsent.front()->is_complete()) unsent.pop_front();
      const auto due =
          static_cast<std::uint64_t>(rate * std::chrono::duration<double>(now - start).count());
      if (published >= due || unsent.size() >= max_unsent) {
        std::this_thread::sleep_for(std::chrono::microseconds(500));
        continue;
      }
      for (; published < due && unsent.size() < max_unsent; ++published) {
        auto& s = *cycle[published % cycle.size()];
        unsent.push_back(client.publish(s.topic, s.payload.data(), s.payload.size(), 0, false));
        ++s.sent;
      }
    }
    client.disconnect(10'000)->wait();  // after everything buffered has gone out
    const double took = std::chrono::duration<double>(clock::now() - start).count();
    for (const auto& s : all) std::printf("%s %llu\n", s.name.c_str(), (unsigned long long)s.sent);
    std::printf("published %llu in %.2f s\n", (unsigned long long)published, took);
  } catch (const mqtt::exception& e) {
    std::cerr << "vigil_test_flooder: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
