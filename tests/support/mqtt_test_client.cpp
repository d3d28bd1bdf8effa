#include "mqtt_test_client.hpp"

#include <mqtt/async_client.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>

namespace vigil::test {

namespace {

std::string unique_client_id() {
  static std::atomic<int> counter{0};
  return "vigil-test-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

}  // namespace

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Runs on Paho's thread: records and notifies, nothing that waits.
class mqtt_test_client::callbacks : public mqtt::callback {
 public:
  explicit callbacks(mqtt_test_client& owner) : owner_(owner) {}
  void connected(const std::string&) override { owner_.on_connected(); }
  void connection_lost(const std::string&) override {
    std::lock_guard lock(owner_.mutex_);
    owner_.connected_ = false;
  }
  void message_arrived(mqtt::const_message_ptr msg) override {
    const auto& props = msg->get_properties();
    const auto text = [&props](mqtt::property::code c) {
      return props.contains(c) ? mqtt::get<std::string>(props, c) : std::string();
    };
    owner_.on_message({.topic = msg->get_topic(),
                       .payload = msg->get_payload_str(),
                       .retained = msg->is_retained(),
                       .received_at_ms = wall_ms(),
                       .response_topic = text(mqtt::property::RESPONSE_TOPIC),
                       .correlation = text(mqtt::property::CORRELATION_DATA)});
  }

 private:
  mqtt_test_client& owner_;
};

mqtt_test_client::mqtt_test_client(const std::string& broker_uri)
    : mqtt_test_client(broker_uri, options{}) {}

mqtt_test_client::mqtt_test_client(const std::string& broker_uri, options opts)
    : client_id_(unique_client_id()),
      callbacks_(std::make_unique<callbacks>(*this)),
      client_(std::make_unique<mqtt::async_client>(broker_uri, client_id_,
                                                   mqtt::create_options(MQTTVERSION_5))) {
  client_->set_callback(*callbacks_);
  auto connect_opts = mqtt::connect_options_builder()
                          .mqtt_version(MQTTVERSION_5)
                          .clean_start(!opts.persistent_session)
                          .automatic_reconnect(std::chrono::seconds(1), std::chrono::seconds(2))
                          .finalize();
  if (opts.will) {
    const auto& w = *opts.will;
    connect_opts.set_will(
        mqtt::will_options(w.topic, w.payload.data(), w.payload.size(), 1, w.retained));
  }
  if (!opts.user.empty()) {
    connect_opts.set_user_name(opts.user);
    connect_opts.set_password(opts.password);
  }
  if (!opts.ca_file.empty()) {
    connect_opts.set_ssl(mqtt::ssl_options_builder()
                             .trust_store(opts.ca_file)
                             .key_store(opts.cert_file)
                             .private_key(opts.key_file)
                             .verify(true)
                             .finalize());
  }
  if (opts.persistent_session) {
    connect_opts.set_properties({{mqtt::property::SESSION_EXPIRY_INTERVAL, 600}});
  }
  // connect() copies the options; the copy's properties point into connect_opts, alive here.
  if (!client_->connect(connect_opts)->wait_for(default_timeout)) {
    throw std::runtime_error("test client could not connect to " + broker_uri);
  }
  if (!wait_connected()) throw std::runtime_error("test client: no connected callback");
}

mqtt_test_client::~mqtt_test_client() {
  try {
    client_->disable_callbacks();
    if (client_->is_connected()) client_->disconnect()->wait_for(default_timeout);
  } catch (const mqtt::exception&) {
    // The broker may already be gone; nothing to clean up then.
  }
  client_.reset();
  // Orders Paho's last callback (which held the lock) before the members' destruction.
  std::lock_guard lock(mutex_);
}

void mqtt_test_client::on_connected() {
  std::vector<std::string> filters;
  {
    std::lock_guard lock(mutex_);
    filters = filters_;
  }
  // A reconnect with clean start lost the subscriptions; renew them without waiting (this is
  // Paho's thread, which also has to process the SUBACK). They are queued before anything the
  // test publishes after wait_connected(), so the broker has them first.
  for (const auto& f : filters) client_->subscribe(f, 1);
  std::lock_guard lock(mutex_);
  connected_ = true;
  changed_.notify_all();
}

// Notifies under the lock: the destructor's final lock then also orders the notification
// before changed_ is destroyed.
void mqtt_test_client::on_message(received_message m) {
  std::lock_guard lock(mutex_);
  messages_.push_back(std::move(m));
  changed_.notify_all();
}

void mqtt_test_client::subscribe(const std::string& filter) {
  {
    std::lock_guard lock(mutex_);
    filters_.push_back(filter);
  }
  if (!client_->subscribe(filter, 1)->wait_for(default_timeout)) {
    throw std::runtime_error("no SUBACK for " + filter);
  }
}

void mqtt_test_client::publish(const std::string& topic, const std::string& payload,
                               bool retained) {
  auto tok = client_->publish(topic, payload.data(), payload.size(), 1, retained);
  if (!tok->wait_for(default_timeout)) throw std::runtime_error("no PUBACK on " + topic);
}

int mqtt_test_client::publish_reason_code(const std::string& topic, const std::string& payload,
                                          bool retained) {
  auto tok = client_->publish(topic, payload.data(), payload.size(), 1, retained);
  try {
    if (!tok->wait_for(default_timeout)) throw std::runtime_error("no PUBACK on " + topic);
  } catch (const mqtt::exception& e) {
    return e.get_reason_code();
  }
  return static_cast<int>(tok->get_reason_code());
}

int mqtt_test_client::publish_request(const std::string& topic, const std::string& payload,
                                      const std::string& response_topic,
                                      const std::string& correlation) {
  auto msg = mqtt::make_message(topic, payload, 1, false);
  mqtt::properties props{{mqtt::property::CORRELATION_DATA, correlation}};
  if (!response_topic.empty()) props.add({mqtt::property::RESPONSE_TOPIC, response_topic});
  msg->set_properties(props);
  auto tok = client_->publish(msg);
  try {
    if (!tok->wait_for(default_timeout)) throw std::runtime_error("no PUBACK on " + topic);
  } catch (const mqtt::exception& e) {
    return e.get_reason_code();
  }
  return static_cast<int>(tok->get_reason_code());
}

bool mqtt_test_client::connected() const {
  std::lock_guard lock(mutex_);
  return connected_;
}

std::vector<received_message> mqtt_test_client::messages() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

std::optional<received_message> mqtt_test_client::wait_for(const message_predicate& match,
                                                           std::chrono::milliseconds timeout) {
  std::optional<received_message> found;
  wait_until(
      [&](const std::vector<received_message>& all) {
        for (const auto& m : all) {
          if (match(m)) {
            found = m;
            return true;
          }
        }
        return false;
      },
      timeout);
  return found;
}

bool mqtt_test_client::wait_until(
    const std::function<bool(const std::vector<received_message>&)>& done,
    std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return done(messages_); });
}

bool mqtt_test_client::wait_connected(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return connected_; });
}

}  // namespace vigil::test
