// vigil-gateway's configuration (config/vigil-gateway.toml): the broker it publishes to, the
// MLLP listener its senders reach, how each sender's PCD-01 reports are read, the table of
// locations (PV1-3) to bed ids, and the Alert Manager it pages through (PCD-04). Parsed once
// into a validated struct; every error names file, line, key and what is allowed, all at once.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "hl7/pcd01.hpp"
#include "settings/settings.hpp"

namespace vigil::settings {

struct mllp_settings {
  std::string listen = "127.0.0.1:2575";  // loopback unless the site opens it
  std::uint32_t max_frame_bytes = 1'048'576;
  core::time_ms frame_timeout_ms = 30'000;  // a frame begun and not ended: the connection closes
  core::time_ms idle_timeout_ms = 900'000;  // a connection that says nothing this long closes
  std::uint32_t max_connections = 256;
  // TLS: with a certificate and its key the listener speaks TLS only; with a CA file it also
  // asks each sender for a certificate that CA signed.
  std::optional<std::string> tls_cert_file;
  std::optional<std::string> tls_key_file;
  std::optional<std::string> tls_ca_file;
};

// How often a sender reports and when its beds count as offline.
struct sender_timing {
  std::uint32_t report_interval_ms = 60'000;  // PCD-01's typical period; MonitorStatus carries it
  core::time_ms offline_after_ms = 180'000;   // silent this long: MonitorStatus OFFLINE
};

struct alert_manager_settings {
  std::string address;  // "host:port" of the Alert Manager's MLLP listener; "" off
  std::string sending_application = "VIGIL";
  std::string sending_facility;
  std::string receiving_application;
  std::string receiving_facility;
  core::time_ms ack_timeout_ms = 10'000;
  bool request_status = false;  // MSH-16 "AL": ask the Alert Manager for PCD-05 delivery status
};

struct gateway_settings {
  mqtt_settings mqtt;  // client id unset: "vigil-gateway-{instance}"
  settings::log_level log_level = log_level::info;
  std::string state_dir = "/var/lib/vigil-gateway";
  std::string metrics_listen = "127.0.0.1:9740";  // "" off
  mllp_settings mllp;
  hl7::mapping mapping;  // senders, the default sender ("default"), beds
  std::map<std::string, sender_timing, std::less<>> timing;  // by sender name, "default" too
  alert_manager_settings alert_manager;

  std::string client_id() const {
    return mqtt.client_id ? *mqtt.client_id : "vigil-gateway-" + mqtt.instance;
  }
  const sender_timing& timing_of(std::string_view sender) const;
};

struct gateway_load_result {
  std::optional<gateway_settings> settings;  // set exactly when errors is empty
  std::vector<config_error> errors;          // sorted by line
};

gateway_load_result load_gateway_file(const std::string& path);
gateway_load_result parse_gateway(std::string_view text, std::string_view file_name);
// The effective configuration as TOML that parse_gateway() reads back to the same settings.
std::string describe(const gateway_settings& s);

}  // namespace vigil::settings
