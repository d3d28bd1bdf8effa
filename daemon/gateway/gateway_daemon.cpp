#include "gateway/gateway_daemon.hpp"

#include <mqtt/async_client.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <sstream>

#include "codec/outbox.hpp"
#include "codec/topics.hpp"
#include "hl7/ack.hpp"
#include "hl7/er7.hpp"
#include "io/connect_options.hpp"
#include "store/store.hpp"

namespace vigil::gateway {
namespace {

constexpr auto silence_check_every = std::chrono::seconds(1);
// A report whose messages the broker has not acknowledged after this long (dropped from a full
// queue during a long outage) is given up: its sender, which got no ACK, sends it again.
constexpr auto abandon_after = std::chrono::minutes(5);

core::time_ms wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string status_instance(const settings::gateway_settings& s) {
  return "gateway-" + s.mqtt.instance;
}

std::unique_ptr<io::mqtt_link> make_link(boost::asio::io_context& loop, settings::mqtt_settings m,
                                         codec::outgoing will,
                                         std::vector<std::string> subscriptions,
                                         io::mqtt_link_handlers handlers) {
  constexpr int paho_max_buffered = 1'000'000;  // our own queue bounds what waits
  auto client =
      std::make_unique<mqtt::async_client>(m.broker_uri, m.client_id_or_default(),
                                           mqtt::create_options(MQTTVERSION_5, paho_max_buffered));
  io::mqtt_link_config cfg;
  cfg.subscriptions = std::move(subscriptions);
  cfg.retry_min = std::chrono::seconds(m.reconnect_min_s);
  cfg.retry_max = std::chrono::seconds(m.reconnect_max_s);
  return std::make_unique<io::mqtt_link>(loop, std::move(client), io::make_connect_options(m, will),
                                         std::move(cfg), std::move(handlers));
}

}  // namespace

gateway_daemon::gateway_daemon(settings::gateway_settings s)
    : s_([&] {
        s.mqtt.client_id = s.client_id();
        return std::move(s);
      }()),
      signals_(loop_, SIGINT, SIGTERM),
      silence_timer_(loop_),
      state_([&] {
        std::filesystem::create_directories(s_.state_dir);
        return std::filesystem::path(s_.state_dir) / "gateway.db";
      }()),
      intake_(s_, state_),
      paging_(s_.alert_manager.address.empty() ? nullptr : std::make_unique<paging>(loop_, s_)),
      server_(loop_, s_.mllp,
              [this](std::string_view m, const std::string& peer, mllp_reply reply) {
                handle(m, peer, std::move(reply));
              }),
      notifier_(io::sd_notifier::from_environment()),
      started_at_ms_(wall_ms()) {
  std::vector<std::string> subscriptions;
  if (paging_) {
    // vigild's alarm events, to page with: one level for the bed, as in contract.md.
    subscriptions.push_back(s_.mqtt.prefix + "/beds/+/alarms/events");
    intake_.set_status_handler(
        [this](std::string_view m) { return paging_->on_status(m, wall_ms()); });
  }
  link_ = make_link(loop_, s_.mqtt,
                    codec::daemon_status_message(s_.mqtt.prefix,
                                                 {status_instance(s_), codec::daemon_state::offline,
                                                  VIGIL_VERSION, started_at_ms_, 0}),
                    std::move(subscriptions),
                    io::mqtt_link_handlers{
                        [this](std::span<io::inbound_message> batch) { on_inbound(batch); },
                        [this] { publish_status(true); },
                        [this] {
                          spdlog::warn("mqtt: connection lost; refusing reports until it is back");
                          give_up_waiting("the broker connection was lost");
                        },
                        [this](std::span<const std::uint64_t> ids) { on_published(ids); }});
  intake_.restore(wall_ms());
  server_.start();
  if (!s_.metrics_listen.empty()) {
    const auto address = settings::parse_listen_address(s_.metrics_listen);
    metrics_ = std::make_unique<io::http_server>(
        loop_, std::map<std::string, io::http_handler>{
                   {"/metrics",
                    [this] {
                      return io::http_response{200, "text/plain; version=0.0.4; charset=utf-8",
                                               metrics_text()};
                    }},
                   {"/ready", [this] {
                      const bool ready = link_->connected();
                      return io::http_response{ready ? 200u : 503u, "text/plain; charset=utf-8",
                                               ready ? "ready\n" : "not connected to the broker\n"};
                    }}});
    metrics_->start(address->host, address->port);
  }
}

gateway_daemon::~gateway_daemon() = default;

std::string gateway_daemon::refusal(std::string_view message, std::string_view why) const {
  hl7::message m;
  hl7::parse_er7(message, m);
  hl7::ack_params params;
  params.timestamp = hl7::format_dtm_utc(wall_ms());
  return hl7::build_ack(hl7::ack_request_from(m), hl7::ack_kind::error,
                        {{.segment = "",
                          .segment_index = 0,
                          .field = 0,
                          .code = hl7::err::application_internal,
                          .severity = hl7::severity::error,
                          .text = std::string(why)}},
                        params);
}

void gateway_daemon::log_rejection(const std::string& peer, const std::string& summary) {
  // A sender resending a bad message every second must not flood the journal: the first few
  // of each sender a minute, then a count.
  const auto now = std::chrono::steady_clock::now();
  if (log_limit_.admit(peer, now)) spdlog::warn("mllp: {}: {}", peer, summary);
  for (const auto& s : log_limit_.take_summaries(now))
    spdlog::warn("mllp: {}: {} more refused message(s) not logged", s.key, s.suppressed);
}

void gateway_daemon::handle(std::string_view message, const std::string& peer, mllp_reply reply) {
  if (!link_->connected()) {
    ++refused_no_broker_;
    log_rejection(peer, "refused: the broker is unreachable (the sender keeps the report)");
    return reply(refusal(message, "the broker is unreachable: not taken, send it again later"));
  }
  intake::result r;
  try {
    r = intake_.on_message(message, wall_ms());
  } catch (const std::exception& e) {
    // The state file failed (disk full, I/O error): nothing was published and no ACK is sent,
    // so the sender resends once the connection is back (MLLP's own retry).
    ++internal_errors_;
    spdlog::error("mllp: {}: cannot take a message: {}; closing the connection", peer, e.what());
    return reply({});
  }
  if (r.accepted) spdlog::debug("mllp: {}: {}", peer, r.summary);
  else log_rejection(peer, r.summary);
  if (r.publish.empty()) return reply(std::move(r.ack));
  auto w = std::make_shared<waiting_report>(
      waiting_report{r.publish.size(), std::move(r.ack), std::move(reply), std::move(r.application),
                     std::move(r.control_id), std::move(r.nibp), std::chrono::steady_clock::now()});
  for (auto& m : r.publish) {
    m.outbox_id = ++next_publish_id_;
    waiting_.emplace(m.outbox_id, w);
    link_->publish(std::move(m));
  }
}

void gateway_daemon::on_published(std::span<const std::uint64_t> ids) {
  for (const auto id : ids) {
    const auto it = waiting_.find(id);
    if (it == waiting_.end()) continue;
    const auto w = std::move(it->second);
    waiting_.erase(it);
    if (w->remaining == 0 || --w->remaining > 0) continue;
    intake_.confirm(w->application, w->control_id);
    w->reply(std::move(w->ack));
  }
}

void gateway_daemon::on_inbound(std::span<io::inbound_message> batch) {
  if (!paging_) return;
  for (const auto& m : batch) {
    try {
      paging_->on_alarm_event(m.topic, m.payload, wall_ms());
    } catch (const std::exception& e) {
      ++internal_errors_;
      spdlog::error("PCD-04: cannot queue an alarm event from {}: {}", m.topic, e.what());
    }
  }
}

void gateway_daemon::publish_status(bool online) {
  link_->publish(codec::daemon_status_message(
      s_.mqtt.prefix,
      {status_instance(s_), online ? codec::daemon_state::online : codec::daemon_state::offline,
       VIGIL_VERSION, started_at_ms_, wall_ms()}));
}

void gateway_daemon::give_up_waiting(std::string_view why,
                                     std::chrono::steady_clock::time_point since_before) {
  // Paho discards what was in flight when a connection drops, and nothing reports which: the
  // reports waiting then get no ACK (their connections close) and their senders send them
  // again, once the broker is back.
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    auto& w = *it->second;
    if (w.since > since_before) {
      ++it;
      continue;
    }
    if (w.remaining > 0) {
      w.remaining = 0;  // given up once per report
      ++abandoned_;
      intake_.give_up(w.nibp);
      spdlog::warn("mllp: report {} from {}: {}; no ACK, the sender sends it again", w.control_id,
                   w.application, why);
      w.reply({});
    }
    it = waiting_.erase(it);
  }
}

void gateway_daemon::on_silence_timer() {
  for (auto& m : intake_.check_silence(wall_ms())) link_->publish(std::move(m));
  give_up_waiting("not acknowledged by the broker in 5 min",
                  std::chrono::steady_clock::now() - abandon_after);
  if (notifier_.watchdog_interval()) notifier_.notify("WATCHDOG=1");
  silence_timer_.expires_after(silence_check_every);
  silence_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) on_silence_timer();
  });
}

void gateway_daemon::shutdown() {
  notifier_.notify("STOPPING=1");
  server_.stop();
  if (paging_) paging_->stop();
  silence_timer_.cancel();
  if (metrics_) metrics_->stop();
  publish_status(false);
  link_->stop([this] { loop_.stop(); });
}

int gateway_daemon::run() {
  spdlog::info("vigil-gateway {} starting: MLLP on {} (port {}){}, broker {}, prefix \"{}\"",
               VIGIL_VERSION, s_.mllp.listen, server_.port(),
               s_.mllp.tls_cert_file ? " over TLS" : "", s_.mqtt.broker_uri, s_.mqtt.prefix);
  signals_.async_wait([this](boost::system::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: stopping", sig);
    shutdown();
  });
  link_->start();
  if (paging_) paging_->start();
  on_silence_timer();
  notifier_.notify("READY=1\nSTATUS=listening");
  loop_.run();
  const auto& c = intake_.counters();
  spdlog::info("vigil-gateway stopped: {} message(s), {} accepted, {} rejected, {} resent",
               c.messages, c.accepted, c.rejected, c.resent);
  return 0;
}

}  // namespace vigil::gateway
