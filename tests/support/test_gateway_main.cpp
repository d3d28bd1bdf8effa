// vigil_test_gateway BROKER_URI PREFIX BED: a bedside-monitor gateway reduced to its presence.
// Connects with the Last Will "MonitorStatus OFFLINE" (retained) on the bed's monitor/status,
// publishes ONLINE there (retained), then waits to be killed. A test kills it with SIGKILL so
// the broker sees a connection drop without DISCONNECT and publishes the will, as it would for
// a gateway that lost power. A separate process, because a second Paho client in the test
// process takes seconds to connect.
#include <mqtt/async_client.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "mqtt_test_client.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: vigil_test_gateway BROKER_URI PREFIX BED\n";
    return 2;
  }
  const std::string uri = argv[1], prefix = argv[2], bed = argv[3];
  const auto topic =
      vigil::codec::input_topic_name(prefix, bed, vigil::codec::input_kind::monitor_status);
  auto status = [&](vigil::core::monitor_state s) {
    return vigil::codec::encode(
        vigil::core::monitor_status{"gateway-" + bed, s, vigil::test::wall_ms()});
  };
  try {
    mqtt::async_client client(uri, "vigil-test-gateway-" + bed);
    const auto will = status(vigil::core::monitor_state::offline);
    auto opts = mqtt::connect_options_builder()
                    .clean_session(true)
                    .will(mqtt::message(topic, will, 1, true))
                    .finalize();
    client.connect(opts)->wait();
    client.publish(topic, status(vigil::core::monitor_state::online), 1, true)->wait();
    std::cout << "online" << std::endl;
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));  // until killed
  } catch (const mqtt::exception& e) {
    std::cerr << "vigil_test_gateway: " << e.what() << '\n';
    return 1;
  }
}
