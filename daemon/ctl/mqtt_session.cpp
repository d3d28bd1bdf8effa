#include "ctl/mqtt_session.hpp"

#include <unistd.h>

#include <mqtt/async_client.h>
#include <chrono>
#include "io/asio.hpp"

#include "ctl/commands.hpp"
#include "io/connect_options.hpp"

namespace vigil::ctl {
namespace {

using namespace std::chrono_literals;

// Long enough for a broker across a hospital network, short enough for a person waiting.
constexpr auto answer_timeout = 5s;

std::string client_id(std::string_view what) {
  return "vigilctl-" + std::string(what) + "-" + std::to_string(::getpid());
}

// Starts an operation and waits for the broker's answer, turning every failure into one
// readable line.
template <class Start>
void await(Start start, const std::string& doing) {
  try {
    if (start()->wait_for(answer_timeout)) return;
  } catch (const mqtt::exception& e) {
    throw ctl_error(doing + ": " + e.what());
  }
  throw ctl_error(doing + ": no answer within " + std::to_string(answer_timeout.count()) + " s");
}

}  // namespace

mqtt_session::mqtt_session(boost::asio::io_context& loop, const settings::mqtt_settings& broker,
                           std::string_view what, handler on_message)
    : loop_(loop), broker_(broker), uri_(broker.broker_uri), on_message_(std::move(on_message)) {
  try {
    client_ = std::make_unique<mqtt::async_client>(uri_, client_id(what));
  } catch (const mqtt::exception& e) {
    throw ctl_error("bad broker URI " + uri_ + ": " + e.what());
  }
  client_->set_message_callback([this](mqtt::const_message_ptr m) {
    boost::asio::post(loop_, [this, m] { on_message_({m->get_topic(), m->get_payload_str()}); });
  });
  client_->set_connected_handler([this](const std::string&) { on_connected(); });
  client_->set_connection_lost_handler([this](const std::string&) { on_connection_lost(); });
}

mqtt_session::~mqtt_session() {
  try {
    client_->disable_callbacks();
    if (client_->is_connected()) client_->disconnect()->wait_for(2s);
  } catch (const mqtt::exception&) {
    // The broker is already gone: there is nothing left to say goodbye to.
  }
}

void mqtt_session::connect() {
  auto opts = mqtt::connect_options_builder()
                  .clean_session(true)
                  .connect_timeout(answer_timeout)
                  .automatic_reconnect(1s, 30s)
                  .finalize();
  try {
    io::set_login_and_tls(opts, broker_);
  } catch (const std::runtime_error& e) {
    throw ctl_error(e.what());
  }
  await([&] { return client_->connect(opts); }, "cannot connect to " + uri_);
}

void mqtt_session::subscribe(const std::vector<std::string>& filters) {
  filters_ = filters;
  subscribed_ = true;
  await(
      [&] {
        return client_->subscribe(mqtt::string_collection::create(filters_),
                                  mqtt::iasync_client::qos_collection(filters_.size(), 1));
      },
      "cannot subscribe on " + uri_);
}

// Paho's thread, after every successful connect: never wait here (the SUBACK arrives on it).
void mqtt_session::on_connected() {
  if (!connected_before_.exchange(true)) return;  // the first connect: subscribe() follows
  boost::asio::post(loop_, [this] { print_error("connected again to " + uri_); });
  // A clean session lost its subscriptions.
  if (!subscribed_) return;
  try {
    client_->subscribe(mqtt::string_collection::create(filters_),
                       mqtt::iasync_client::qos_collection(filters_.size(), 1));
  } catch (const mqtt::exception&) {
    return;  // lost again already; the next connected callback tries once more
  }
  if (on_reconnected_) boost::asio::post(loop_, on_reconnected_);
}

void mqtt_session::on_connection_lost() {
  boost::asio::post(loop_, [this] {
    print_error("lost the connection to " + uri_ +
                "; reconnecting (messages meanwhile are missed)");
  });
}

void mqtt_session::publish(const std::string& topic, const std::string& payload) {
  await([&] { return client_->publish(mqtt::make_message(topic, payload, 1, false)); },
        "cannot publish to " + topic + " on " + uri_);
}

}  // namespace vigil::ctl
