#include "app/connect_options.hpp"

#include <chrono>
#include <fstream>
#include <stdexcept>

namespace vigil::app {

namespace {

struct credentials {
  std::string user;
  std::string password;
};

// The credentials file: the user name on the first line, the password on the second.
credentials read_credentials(const std::string& path) {
  std::ifstream in(path);
  credentials c;
  if (!in || !std::getline(in, c.user) || !std::getline(in, c.password) || c.user.empty()) {
    throw std::runtime_error("mqtt.credentials_file " + path +
                             ": cannot read a user name line and a password line");
  }
  return c;
}

}  // namespace

mqtt::connect_options make_connect_options(const settings::mqtt_settings& s,
                                           const codec::outgoing& will) {
  // mqtt_version before clean_start: the other order throws in Paho C++ 1.2.
  auto opts = mqtt::connect_options_builder()
                  .mqtt_version(MQTTVERSION_5)
                  .clean_start(false)
                  .keep_alive_interval(std::chrono::seconds(s.keepalive_s))
                  .automatic_reconnect(std::chrono::seconds(s.reconnect_min_s),
                                       std::chrono::seconds(s.reconnect_max_s))
                  .will(mqtt::message(will.topic, will.payload, will.qos, will.retained))
                  .finalize();
  if (s.credentials_file) {
    auto c = read_credentials(*s.credentials_file);
    opts.set_user_name(c.user);
    opts.set_password(c.password);
  }
  // Last, on the object mqtt_link keeps (Paho C++ 1.2 loses properties on copies).
  opts.set_properties(
      {{mqtt::property::SESSION_EXPIRY_INTERVAL, static_cast<int>(s.session_expiry_s)}});
  return opts;
}

}  // namespace vigil::app
