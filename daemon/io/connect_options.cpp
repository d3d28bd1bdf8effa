#include "io/connect_options.hpp"

#include <chrono>
#include <stdexcept>

namespace vigil::io {

namespace {

// The broker's certificate is verified against the CA file (or the system's trust store), and
// `verify` also checks that it names the host of broker_uri: Paho leaves that check off by
// default, which would let any certificate from the same CA impersonate the broker.
// No ssl error handler: Paho C keeps a pointer to the copy of these options that Paho C++ 1.2
// passes it for one call only, and would call back through it after it is gone.
mqtt::ssl_options make_ssl_options(const settings::mqtt_settings& s) {
  return mqtt::ssl_options_builder()
      .trust_store(s.tls_ca_file.value_or(""))  // empty: the system's trust store
      .key_store(s.tls_cert_file.value_or(""))
      .private_key(s.tls_key_file.value_or(""))
      .enable_server_cert_auth(true)
      .verify(true)
      .finalize();
}

}  // namespace

void set_login_and_tls(mqtt::connect_options& opts, const settings::mqtt_settings& s) {
  if (s.credentials_file) {
    auto c = settings::read_credentials(*s.credentials_file, "mqtt.credentials_file");
    opts.set_user_name(c.user);
    opts.set_password(c.password);
  }
  if (s.uses_tls()) opts.set_ssl(make_ssl_options(s));
}

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
  set_login_and_tls(opts, s);
  // Last, on the object mqtt_link keeps (Paho C++ 1.2 loses properties on copies).
  opts.set_properties(
      {{mqtt::property::SESSION_EXPIRY_INTERVAL, static_cast<int>(s.session_expiry_s)}});
  return opts;
}

}  // namespace vigil::io
