// vigil-gateway's /metrics: what its senders sent and what became of it, the listener, and the
// broker link. Families are vigil_gateway_*, counters end in _total.
#include "gateway/gateway_daemon.hpp"
#include "metrics/exposition.hpp"

namespace vigil::gateway {

std::string gateway_daemon::metrics_text() const {
  metrics::exposition e;
  using metrics::family_type;
  const auto& c = intake_.counters();
  e.family("vigil_gateway_messages_total", family_type::counter,
           "HL7 messages received, by what became of them");
  e.sample(static_cast<double>(c.accepted), {{"result", "accepted"}});
  e.sample(static_cast<double>(c.rejected), {{"result", "rejected"}});
  e.sample(static_cast<double>(c.resent), {{"result", "resent"}});
  e.sample(static_cast<double>(c.status_messages), {{"result", "delivery_status"}});
  e.family("vigil_gateway_unmapped_locations_total", family_type::counter,
           "Messages rejected because PV1-3 is not in [beds]");
  e.sample(static_cast<double>(c.unmapped));
  e.family("vigil_gateway_observations_rejected_total", family_type::counter,
           "Observations (OBX rows) refused inside accepted messages");
  e.sample(static_cast<double>(c.rows_rejected));
  e.family("vigil_gateway_test_messages_total", family_type::counter,
           "Messages of test or demo data, published as INVALID readings");
  e.sample(static_cast<double>(c.test_data));
  e.family("vigil_gateway_readings_published_total", family_type::counter,
           "Readings handed to the broker link");
  e.sample(static_cast<double>(c.heart_rates), {{"type", "heart_rate"}});
  e.sample(static_cast<double>(c.pressures), {{"type", "blood_pressure"}});
  e.family("vigil_gateway_nibp_repeats_total", family_type::counter,
           "NIBP readings a sender repeated, not published again");
  e.sample(static_cast<double>(c.nibp_repeats));
  e.family("vigil_gateway_beds_offline_total", family_type::counter,
           "MonitorStatus OFFLINE published for a silent sender");
  e.sample(static_cast<double>(c.offline));
  e.family("vigil_gateway_internal_errors_total", family_type::counter,
           "Messages not taken because a state file failed (no ACK: the sender resends)");
  e.sample(static_cast<double>(internal_errors_));
  e.family("vigil_gateway_refused_no_broker_total", family_type::counter,
           "Reports refused (AE/CE 207) while the broker was unreachable: the sender keeps them");
  e.sample(static_cast<double>(refused_no_broker_));
  e.family("vigil_gateway_reports_waiting", family_type::gauge,
           "Accepted reports whose ACK waits for the broker's acknowledgement of their messages");
  e.sample(static_cast<double>(waiting_.size()));
  e.family("vigil_gateway_reports_abandoned_total", family_type::counter,
           "Reports given up (broker connection lost, or no PUBACK in 5 min): no ACK, the sender "
           "resends");
  e.sample(static_cast<double>(abandoned_));
  const auto& m = server_.counters();
  e.family("vigil_gateway_connections", family_type::gauge, "MLLP connections open");
  e.sample(static_cast<double>(m.open));
  e.family("vigil_gateway_connections_total", family_type::counter,
           "MLLP connections, by what became of them");
  e.sample(static_cast<double>(m.connections), {{"result", "accepted"}});
  e.sample(static_cast<double>(m.refused), {{"result", "refused_full"}});
  e.sample(static_cast<double>(m.timeouts), {{"result", "timed_out"}});
  e.sample(static_cast<double>(m.tls_failures), {{"result", "tls_failed"}});
  e.family("vigil_gateway_framing_errors_total", family_type::counter,
           "MLLP framing errors: bytes outside a frame, a bad end, a frame over the limit");
  e.sample(static_cast<double>(m.framing_errors));
  const auto l = link_->counters();
  e.family("vigil_gateway_broker_connected", family_type::gauge, "1 while connected to the broker");
  e.sample(link_->connected() ? 1 : 0);
  e.family("vigil_gateway_publish_queue", family_type::gauge,
           "Messages waiting for the broker (not yet with Paho)");
  e.sample(static_cast<double>(link_->queued()));
  e.family("vigil_gateway_publish_dropped_total", family_type::counter,
           "Messages dropped: the publish queue was full while the broker was away");
  e.sample(static_cast<double>(l.dropped_queue_full));
  if (paging_) paging_->write_metrics(e);
  return e.take();
}

}  // namespace vigil::gateway
