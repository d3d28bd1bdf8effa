// A fake of Paho's mqtt::iasync_client: records what io::mqtt_link asks of it, and lets a
// test play Paho's side (connected, message arrived, connection lost, acknowledgements) by
// calling the callback and listeners the link registered. Single-threaded: the test thread
// stands in for Paho's thread.
#pragma once

#include <mqtt/iasync_client.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace vigil::test {

class fake_async_client : public mqtt::iasync_client {
 public:
  struct published {
    std::string topic;
    std::string payload;
    int qos = 0;
    bool retained = false;
    mqtt::iaction_listener* listener = nullptr;
    void* context = nullptr;  // the user context the link passed
    bool done = false;        // acknowledged, or dropped by forget()
  };

  // What the link did.
  mqtt::callback* callback = nullptr;
  int connect_calls = 0;
  mqtt::iaction_listener* connect_listener = nullptr;
  mqtt::connect_options last_connect_options;
  std::vector<std::string> subscriptions;
  std::vector<published> publishes;
  int disconnect_calls = 0;
  mqtt::iaction_listener* disconnect_listener = nullptr;

  // What Paho would say.
  bool connected = false;
  bool refuse_publish = false;  // publish() throws as Paho does for a bad request

  // Paho's side of the conversation.
  void connect_succeeds() {
    connected = true;
    callback->connected("");
  }
  void connect_fails() {
    auto tok = mqtt::token::create(mqtt::token::Type::CONNECT, *this);
    connect_listener->on_failure(*tok);
  }
  void lose_connection() {
    connected = false;
    callback->connection_lost("test");
  }
  void deliver(const std::string& topic, const std::string& payload) {
    callback->message_arrived(mqtt::make_message(topic, payload));
  }
  void acknowledge(std::size_t publish_index) {
    auto tok = mqtt::token::create(mqtt::token::Type::PUBLISH, *this);
    tok->set_user_context(publishes.at(publish_index).context);
    publishes.at(publish_index).done = true;
    publishes.at(publish_index).listener->on_success(*tok);
  }
  // Paho loses a publish without calling its listener (what the link must survive).
  void forget(std::size_t publish_index) { publishes.at(publish_index).done = true; }
  std::size_t pending() const {
    std::size_t n = 0;
    for (const auto& p : publishes) n += p.done ? 0 : 1;
    return n;
  }
  void disconnect_completes() {
    connected = false;
    auto tok = mqtt::token::create(mqtt::token::Type::DISCONNECT, *this);
    disconnect_listener->on_success(*tok);
  }

  // iasync_client: the calls mqtt_link makes.
  mqtt::token_ptr connect(mqtt::connect_options options, void*,
                          mqtt::iaction_listener& cb) override {
    ++connect_calls;
    connect_listener = &cb;
    last_connect_options = options;
    return mqtt::token::create(mqtt::token::Type::CONNECT, *this);
  }
  mqtt::token_ptr disconnect(int, void*, mqtt::iaction_listener& cb) override {
    ++disconnect_calls;
    disconnect_listener = &cb;
    return mqtt::token::create(mqtt::token::Type::DISCONNECT, *this);
  }
  bool is_connected() const override { return connected; }
  mqtt::string get_client_id() const override { return "fake"; }
  mqtt::string get_server_uri() const override { return "tcp://fake:1883"; }
  mqtt::delivery_token_ptr publish(mqtt::string_ref topic, const void* payload, size_t n, int qos,
                                   bool retained, void* context,
                                   mqtt::iaction_listener& cb) override {
    if (!connected) throw mqtt::exception(MQTTASYNC_DISCONNECTED);
    if (refuse_publish) throw mqtt::exception(MQTTASYNC_BAD_UTF8_STRING);
    publishes.push_back({topic.str(), std::string(static_cast<const char*>(payload), n), qos,
                         retained, &cb, context});
    return mqtt::delivery_token::create(*this);
  }
  void set_callback(mqtt::callback& cb) override { callback = &cb; }
  void disable_callbacks() override { callback = nullptr; }
  mqtt::token_ptr subscribe(const mqtt::string& filter, int, const mqtt::subscribe_options&,
                            const mqtt::properties&) override {
    subscriptions.push_back(filter);
    return mqtt::token::create(mqtt::token::Type::SUBSCRIBE, *this);
  }

  // The rest of the interface: mqtt_link does not use it.
  mqtt::token_ptr connect() override { unused(); }
  mqtt::token_ptr connect(mqtt::connect_options) override { unused(); }
  mqtt::token_ptr connect(void*, mqtt::iaction_listener&) override { unused(); }
  mqtt::token_ptr reconnect() override { unused(); }
  mqtt::token_ptr disconnect() override { unused(); }
  mqtt::token_ptr disconnect(mqtt::disconnect_options) override { unused(); }
  mqtt::token_ptr disconnect(int) override { unused(); }
  mqtt::token_ptr disconnect(void*, mqtt::iaction_listener&) override { unused(); }
  mqtt::delivery_token_ptr get_pending_delivery_token(int) const override { unused(); }
  std::vector<mqtt::delivery_token_ptr> get_pending_delivery_tokens() const override {
    std::vector<mqtt::delivery_token_ptr> held;
    for (std::size_t i = 0; i < pending(); ++i) {
      held.push_back(mqtt::delivery_token::create(const_cast<fake_async_client&>(*this)));
    }
    return held;
  }
  mqtt::delivery_token_ptr publish(mqtt::string_ref, const void*, size_t, int, bool) override {
    unused();
  }
  mqtt::delivery_token_ptr publish(mqtt::string_ref, const void*, size_t) override { unused(); }
  mqtt::delivery_token_ptr publish(mqtt::string_ref, mqtt::binary_ref, int, bool) override {
    unused();
  }
  mqtt::delivery_token_ptr publish(mqtt::string_ref, mqtt::binary_ref) override { unused(); }
  mqtt::delivery_token_ptr publish(mqtt::const_message_ptr) override { unused(); }
  mqtt::delivery_token_ptr publish(mqtt::const_message_ptr, void*,
                                   mqtt::iaction_listener&) override {
    unused();
  }
  mqtt::token_ptr subscribe(const mqtt::string&, int, void*, mqtt::iaction_listener&,
                            const mqtt::subscribe_options&, const mqtt::properties&) override {
    unused();
  }
  mqtt::token_ptr subscribe(mqtt::const_string_collection_ptr, const qos_collection&,
                            const std::vector<mqtt::subscribe_options>&,
                            const mqtt::properties&) override {
    unused();
  }
  mqtt::token_ptr subscribe(mqtt::const_string_collection_ptr, const qos_collection&, void*,
                            mqtt::iaction_listener&, const std::vector<mqtt::subscribe_options>&,
                            const mqtt::properties&) override {
    unused();
  }
  mqtt::token_ptr unsubscribe(const mqtt::string&, const mqtt::properties&) override { unused(); }
  mqtt::token_ptr unsubscribe(mqtt::const_string_collection_ptr, const mqtt::properties&) override {
    unused();
  }
  mqtt::token_ptr unsubscribe(mqtt::const_string_collection_ptr, void*, mqtt::iaction_listener&,
                              const mqtt::properties&) override {
    unused();
  }
  mqtt::token_ptr unsubscribe(const mqtt::string&, void*, mqtt::iaction_listener&,
                              const mqtt::properties&) override {
    unused();
  }

 private:
  void remove_token(mqtt::token*) override {}
  [[noreturn]] static void unused() {
    throw std::logic_error("fake_async_client: call not used by mqtt_link");
  }
};

}  // namespace vigil::test
