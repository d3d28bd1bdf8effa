#include "app/daemon_metrics.hpp"

#include "codec/codec.hpp"

namespace vigil::app {

namespace {

using metrics::family_type;

void counter(metrics::exposition& out, std::string_view name, std::string_view help, double v) {
  out.family(name, family_type::counter, help);
  out.sample(v);
}

void gauge(metrics::exposition& out, std::string_view name, std::string_view help, double v) {
  out.family(name, family_type::gauge, help);
  out.sample(v);
}

double as_double(std::uint64_t v) { return static_cast<double>(v); }

void write_identity(metrics::exposition& out, std::string_view version, bool ready, bool leader,
                    std::string_view prefix) {
  out.family("vigil_build_info", family_type::gauge, "Always 1; the version as a label.");
  out.sample(1, {{"version", version}});
  gauge(out, "vigil_ready", "1 when /ready says 200: leading, connected, subscribed, committing.",
        ready ? 1 : 0);
  out.family("vigil_leader", family_type::gauge,
             "1 while this instance leads its prefix (alone on SQLite, or holding the lock of a "
             "pair's PostgreSQL); 0 while it stands by.");
  out.sample(leader ? 1 : 0, {{"prefix", prefix}});
}

}  // namespace

void write_standby_metrics(metrics::exposition& out, std::string_view version,
                           std::string_view prefix) {
  write_identity(out, version, false, false, prefix);
}

void write_daemon_metrics(metrics::exposition& out, const daemon_figures& f) {
  write_identity(out, f.version, f.ready, f.leader, f.prefix);
  gauge(out, "vigil_mqtt_connected", "1 while connected to the broker.", f.connected ? 1 : 0);
  counter(out, "vigil_mqtt_connects_total", "Successful connects, reconnects included.",
          as_double(f.link.connects));
  counter(out, "vigil_mqtt_connections_lost_total", "Established connections lost.",
          as_double(f.link.connections_lost));
  counter(out, "vigil_mqtt_messages_received_total", "Messages received from the broker.",
          as_double(f.link.received));
  counter(out, "vigil_mqtt_messages_dropped_inbound_total",
          "Messages dropped on arrival because the loop was too far behind.",
          as_double(f.link.dropped_inbound_full));
  counter(out, "vigil_mqtt_messages_published_total", "Messages handed to the broker.",
          as_double(f.link.published));
  counter(out, "vigil_mqtt_publish_failures_total",
          "Publishes the client refused or the broker never acknowledged.",
          as_double(f.link.publish_failures));
  gauge(out, "vigil_mqtt_messages_waiting",
        "Messages handed to the MQTT link and not yet acknowledged by the broker.",
        static_cast<double>(f.waiting));
  out.family("vigil_library_log_lines_silenced_total", family_type::counter,
             "Lines a library inside vigild wanted to log about outside input, silenced.");
  out.sample(as_double(codec::protobuf_log_lines()), {{"library", "protobuf"}});
  counter(out, "vigil_state_commits_total", "State transactions committed.",
          as_double(f.store.commits));
  counter(out, "vigil_state_commit_failures_total", "State transactions that failed.",
          as_double(f.store.failures));
  out.family("vigil_state_commit_duration_seconds", family_type::histogram,
             "Time of one state transaction, first statement to sync.");
  out.sample(f.store.commit_seconds);
  out.family("vigil_history_requests_total", family_type::counter,
             "Requests for the record: answered with rows, refused with an error, or ignored "
             "(no response topic under {prefix}/history/response/).");
  out.sample(as_double(f.history.answered), {{"result", "answered"}});
  out.sample(as_double(f.history.refused), {{"result", "refused"}});
  out.sample(as_double(f.history.ignored), {{"result", "ignored"}});
  counter(out, "vigil_records_written_total", "Session records (PDF and FHIR bundle) written.",
          as_double(f.records.written));
  counter(out, "vigil_records_failed_total",
          "Session records that could not be written (they stay due).",
          as_double(f.records.failed));
  if (f.loop_lag) {
    out.family("vigil_event_loop_lag_seconds", family_type::histogram,
               "How late the event loop ran a timer due every 250 ms.");
    out.sample(*f.loop_lag);
  }
}

}  // namespace vigil::app
