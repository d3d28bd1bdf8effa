// The fixtures every broker test relies on: a broker at a free port that can be restarted, and
// a client that sees its own messages and reconnects.
#include <gtest/gtest.h>

#include "mosquitto_broker.hpp"
#include "mqtt_test_client.hpp"

namespace vigil::test {
namespace {

bool has_payload(const received_message& m, const std::string& p) { return m.payload == p; }

TEST(broker_fixture_test, client_receives_what_it_publishes) {
  mosquitto_broker broker;
  mqtt_test_client client(broker.uri());
  client.subscribe("t/#");
  client.publish("t/a", "hello");
  EXPECT_TRUE(client.wait_for([](const auto& m) { return has_payload(m, "hello"); }));
}

TEST(broker_fixture_test, restarted_broker_keeps_port_and_client_reconnects) {
  mosquitto_broker broker;
  const int port = broker.port();
  mqtt_test_client client(broker.uri());
  client.subscribe("t/#");
  broker.stop();
  EXPECT_FALSE(tcp_port_open(port));
  broker.start();
  EXPECT_EQ(broker.port(), port);
  ASSERT_TRUE(client.wait_connected(std::chrono::seconds(10)));
  client.publish("t/b", "again");
  EXPECT_TRUE(client.wait_for([](const auto& m) { return has_payload(m, "again"); }));
}

}  // namespace
}  // namespace vigil::test
