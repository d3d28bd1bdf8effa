// One received HL7 message in, the ACK to answer and the contract messages to publish out:
// PCD-01 reports become HeartRate and BloodPressure on the bed's topics, with the gateway's
// own `seq` per device; a repeated NIBP is published once; a resent message (same MSH-3 and
// MSH-10) whose first the broker confirmed is acknowledged again and not published again;
// each bed's MonitorStatus says ONLINE with its sender's report interval, and OFFLINE when the
// sender falls silent. No sockets and no clock of its own: the caller passes the time.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "codec/outbox.hpp"
#include "gateway/gateway_state.hpp"
#include "settings/gateway_settings.hpp"

namespace vigil::gateway {

struct intake_counters {
  std::uint64_t messages = 0;         // frames handed in
  std::uint64_t accepted = 0;         // ACKed AA/CA and published
  std::uint64_t rejected = 0;         // ACKed AE/AR/CE/CR
  std::uint64_t resent = 0;           // a repeat of an accepted message: ACKed AA/CA again only
  std::uint64_t unmapped = 0;         // PV1-3 not in [beds]
  std::uint64_t rows_rejected = 0;    // observations refused inside accepted messages
  std::uint64_t test_data = 0;        // messages whose readings were published INVALID
  std::uint64_t heart_rates = 0;      // published
  std::uint64_t pressures = 0;        // published
  std::uint64_t nibp_repeats = 0;     // an NIBP already published, not again
  std::uint64_t status_messages = 0;  // ORA^R41 (PCD-05) received
  std::uint64_t offline = 0;          // MonitorStatus OFFLINE published for a silent sender
};

// A PCD-05 ORA^R41 handler: the ACK to send (it logs what it read). Set by whoever handles
// the Alert Manager's side; without one an ORA^R41 is rejected like any unsupported type.
using status_handler = std::function<std::string(std::string_view message)>;

// An NIBP time a report advanced: (device, source) went from `previous` to `measured_at_ms`.
struct nibp_mark {
  std::string device;
  core::bp_source source = core::bp_source::nibp;
  core::time_ms measured_at_ms = 0;
  std::optional<core::time_ms> previous;
};

class intake {
 public:
  intake(const settings::gateway_settings& s, gateway_state& state);

  struct result {
    std::string ack;  // unframed
    std::vector<codec::outgoing> publish;
    bool accepted = false;
    std::string summary;      // one line for the log
    std::string application;  // MSH-3 and MSH-10 of an accepted report, for confirm()
    std::string control_id;
    std::vector<nibp_mark> nibp;  // the NIBP times this report advanced, for give_up()
  };
  result on_message(std::string_view message, core::time_ms now);
  // The broker has every reading of the accepted report (MSH-3, MSH-10): a resend of it is
  // from now on acknowledged without publishing again. Until then a resend is read afresh
  // (its NIBP is still published once: the NIBP times are kept when read).
  void confirm(const std::string& application, const std::string& control_id);
  // The broker may not have the report's messages (the connection dropped with them in
  // flight): its NIBP times go back, so the sender's resend publishes its NIBP again.
  void give_up(const std::vector<nibp_mark>& marks);
  // MonitorStatus OFFLINE for each bed whose sender has said nothing for its offline_after_s.
  std::vector<codec::outgoing> check_silence(core::time_ms now);
  // Beds known from before a restart count as reporting from `now`, so that a sender that
  // never comes back still takes them OFFLINE.
  void restore(core::time_ms now);
  void set_status_handler(status_handler h) { status_ = std::move(h); }

  const intake_counters& counters() const { return counters_; }

 private:
  struct bed_watch {
    std::string sender;
    std::string device;
    core::time_ms last_at = 0;
    bool online = false;
  };
  bool seen_before(const std::string& application, const std::string& control_id) const;
  void publish_readings(hl7::pcd01_report& r, core::time_ms now, result& out);
  void publish_status(const std::string& bed, bed_watch& w, core::monitor_state st,
                      core::time_ms now, std::vector<codec::outgoing>& out);

  const settings::gateway_settings& s_;
  gateway_state& state_;
  intake_counters counters_;
  status_handler status_;
  std::map<std::string, bed_watch, std::less<>> beds_;
  // The last confirmed (MSH-3, MSH-10) pairs, oldest first, for resends.
  std::deque<std::pair<std::string, std::string>> recent_order_;
  std::set<std::pair<std::string, std::string>> recent_;
};

}  // namespace vigil::gateway
