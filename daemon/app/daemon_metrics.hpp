// vigild's own Prometheus families beside the ward's: build, readiness, the MQTT link, the
// store, the loop's lag. A pure function of figures the daemon gathers at a scrape.
#pragma once

#include <cstddef>
#include <string_view>

#include "app/history_service.hpp"
#include "app/record_writer.hpp"
#include "io/mqtt_link.hpp"
#include "metrics/exposition.hpp"
#include "metrics/histogram.hpp"
#include "store/store_thread.hpp"

namespace vigil::app {

struct daemon_figures {
  std::string_view version;
  std::string_view prefix;  // vigil_leader's label: a pair's members share it
  bool leader = true;       // holds the store (a standby writes only write_standby_metrics)
  bool connected = false;
  bool ready = false;
  io::mqtt_link_counters link;
  std::size_t waiting = 0;  // with the link: not yet handed to Paho, or not yet acknowledged
  store::store_thread_counters store;
  const metrics::histogram* loop_lag = nullptr;
  history_counters history;
  record_writer_counters records;  // zeros when no records are written
};

void write_daemon_metrics(metrics::exposition& out, const daemon_figures& f);
// A standby's page: build info, vigil_ready 0 and vigil_leader 0, so an alert can ask that
// exactly one member of each pair leads.
void write_standby_metrics(metrics::exposition& out, std::string_view version,
                           std::string_view prefix);

}  // namespace vigil::app
