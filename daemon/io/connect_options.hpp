// The MQTT connect options vigild uses: protocol, session, Last Will, credentials, TLS.
#pragma once

#include <mqtt/connect_options.h>

#include "codec/outbox.hpp"
#include "settings/settings.hpp"

namespace vigil::io {

// Throws std::runtime_error, with a message fit for the operator, when the credentials file
// cannot be used (unreadable, not two lines, or readable or writable by others).
mqtt::connect_options make_connect_options(const settings::mqtt_settings& s,
                                           const codec::outgoing& will);

// Only the login (credentials_file) and TLS (for ssl://, mqtts://, wss://) of `s`, for the
// tools that reach the same broker (vigilctl, vigil-replay). Throws like make_connect_options.
void set_login_and_tls(mqtt::connect_options& opts, const settings::mqtt_settings& s);

}  // namespace vigil::io
