#include "gateway/paging.hpp"

#include <spdlog/spdlog.h>

#include "codec/codec.hpp"
#include "hl7/ack.hpp"
#include "hl7/pcd05.hpp"

namespace vigil::gateway {
namespace {

alerts::sender_settings sender_settings_of(const settings::alert_manager_settings& a) {
  alerts::sender_settings s;
  const auto colon = a.address.rfind(':');
  s.host = a.address.substr(0, colon);
  s.port = static_cast<std::uint16_t>(std::stoi(a.address.substr(colon + 1)));
  s.ack_timeout = std::chrono::milliseconds(a.ack_timeout_ms);
  s.application = a.sending_application;
  return s;
}

alerts::reporter_settings reporter_settings_of(const settings::gateway_settings& s) {
  const auto& a = s.alert_manager;
  alerts::reporter_settings r;
  r.message.sending_application = {a.sending_application};
  r.message.sending_facility = {a.sending_facility};
  r.message.receiving_application = {a.receiving_application};
  r.message.receiving_facility = {a.receiving_facility};
  r.message.ask_for_status = a.request_status;
  // The [beds] table read the other way: a bed's location is the first that maps to it.
  r.location_of = [beds = s.mapping.beds](std::string_view bed) -> std::optional<hl7::location> {
    for (const auto& [location, id] : beds)
      if (id == bed) return hl7::location::from_text(location);
    return std::nullopt;
  };
  return r;
}

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

paging::paging(boost::asio::io_context& loop, const settings::gateway_settings& s)
    : queue_(std::filesystem::path(s.state_dir) / "alerts.db"),
      sender_(loop, queue_, sender_settings_of(s.alert_manager), wall_ms),
      reporter_(queue_, sender_, reporter_settings_of(s)),
      application_(s.alert_manager.sending_application) {
  sender_.on_status([this](const hl7::pcd05_status&) { ++status_reports_; });
}

paging::~paging() = default;

void paging::start() {
  if (queue_.depth() > 0)
    spdlog::info("PCD-04: {} alert(s) queued from before, sending them first", queue_.depth());
  sender_.start();
}

void paging::stop() { sender_.stop(); }

void paging::on_alarm_event(std::string_view topic, std::string_view payload, core::time_ms now) {
  const auto e = codec::decode_alarm_event(payload);
  if (!e.ok()) {
    ++undecodable_;
    spdlog::warn("PCD-04: an alarm event on {} does not decode ({}): not paged", topic, e.error());
    return;
  }
  reporter_.report(e.value(), now);
}

std::string paging::on_status(std::string_view message, core::time_ms now) {
  hl7::ack_params params;
  params.application = application_;
  params.timestamp = hl7::format_dtm_utc(now);
  auto m = hl7::read_am_message(message, params);
  ++status_reports_;
  if (m.status) spdlog::info("{}", hl7::describe(*m.status));
  else spdlog::warn("PCD-05: an ORA^R41 that cannot be read: {}", m.error);
  return m.reply;
}

void paging::write_metrics(metrics::exposition& e) const {
  using metrics::family_type;
  const auto& c = sender_.counters();
  const auto& r = reporter_.counters();
  e.family("vigil_gateway_alerts_total", family_type::counter,
           "PCD-04 alert reports to the Alert Manager, by what became of them");
  e.sample(static_cast<double>(r.queued), {{"result", "queued"}});
  e.sample(static_cast<double>(r.duplicates), {{"result", "duplicate"}});
  e.sample(static_cast<double>(c.acked), {{"result", "acked"}});
  e.sample(static_cast<double>(c.rejected), {{"result", "rejected"}});
  e.sample(static_cast<double>(c.dropped), {{"result", "dropped"}});
  e.family("vigil_gateway_alert_retries_total", family_type::counter,
           "PCD-04 resends: after a timeout, a lost connection or an AE/CE");
  e.sample(static_cast<double>(c.retries));
  e.family("vigil_gateway_alert_queue", family_type::gauge,
           "PCD-04 reports queued for the Alert Manager (alerts.db)");
  e.sample(static_cast<double>(queue_.depth()));
  e.family("vigil_gateway_alert_manager_connected", family_type::gauge,
           "1 while connected to the Alert Manager");
  e.sample(c.connected ? 1 : 0);
  e.family("vigil_gateway_alert_status_reports_total", family_type::counter,
           "PCD-05 delivery status reports received from the Alert Manager");
  e.sample(static_cast<double>(status_reports_ + c.status_reports));
  e.family("vigil_gateway_alert_events_undecodable_total", family_type::counter,
           "Alarm events that did not decode: not paged");
  e.sample(static_cast<double>(undecodable_));
}

}  // namespace vigil::gateway
