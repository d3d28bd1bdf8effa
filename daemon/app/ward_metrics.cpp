// ward's Prometheus families. Labels are low-cardinality by construction: input kinds, drop
// reasons, condition names, the contract's enum names; never a bed or an alarm id.
#include <array>

#include "app/ward.hpp"
#include "codec/topics.hpp"

namespace vigil::app {

namespace {

using metrics::family_type;

std::string_view drop_name(std::size_t i) {
  return feed::to_string(static_cast<feed::ingest_drop>(i));
}

}  // namespace

void ward::write_metrics(metrics::exposition& out) {
  write_input_metrics(out);
  write_event_metrics(out);
  write_state_metrics(out);
}

void ward::write_input_metrics(metrics::exposition& out) const {
  out.family("vigil_inputs_received_total", family_type::counter,
             "Messages received on an input topic, by kind (unknown: not one of the five input "
             "topics of a valid bed).");
  for (const auto k : codec::all_input_kinds) {
    out.sample(static_cast<double>(ingest_.received(k)), {{"kind", codec::to_string(k)}});
  }
  out.sample(static_cast<double>(ingest_.dropped(feed::ingest_drop::bad_topic) +
                                 ingest_.dropped(feed::ingest_drop::bad_bed_id)),
             {{"kind", "unknown"}});

  out.family("vigil_inputs_accepted_total", family_type::counter,
             "Inputs that passed the feed's checks and reached the engine.");
  out.sample(static_cast<double>(ingest_.accepted()));

  out.family("vigil_inputs_dropped_total", family_type::counter,
             "Inputs set aside, by reason: by the feed (topic, size, decoding, device_id, rate "
             "limit) or by the engine (validity, plausibility, order, acks).");
  for (std::size_t i = 0; i < static_cast<std::size_t>(feed::ingest_drop::count); ++i) {
    out.sample(static_cast<double>(ingest_.dropped(static_cast<feed::ingest_drop>(i))),
               {{"reason", drop_name(i)}});
  }
  const auto& c = engine_.counters();
  for (std::size_t i = 0; i < c.dropped.size(); ++i) {
    out.sample(static_cast<double>(c.dropped[i]),
               {{"reason", core::to_string(static_cast<core::drop_reason>(i))}});
  }

  out.family("vigil_readings_accepted_total", family_type::counter,
             "Heart rate and blood pressure readings the engine evaluated.");
  out.sample(static_cast<double>(c.readings_accepted));
}

void ward::write_event_metrics(metrics::exposition& out) const {
  out.family("vigil_alarm_events_total", family_type::counter,
             "Alarm events emitted, by condition, transition and priority.");
  for (std::size_t cond = 0; cond < events_.size(); ++cond) {
    for (std::size_t t = 0; t < core::transition_count; ++t) {
      for (std::size_t p = 0; p < core::priority_count; ++p) {
        const auto n = events_[cond][t][p];
        if (n == 0) continue;
        out.sample(static_cast<double>(n),
                   {{"condition", core::info(static_cast<core::condition_id>(cond)).name},
                    {"transition", core::name(static_cast<core::transition>(t))},
                    {"priority", core::name(static_cast<core::priority>(p))}});
      }
    }
  }
}

// Gauges from every bed's state: open alarms and phases.
void ward::write_state_metrics(metrics::exposition& out) {
  std::array<std::array<std::size_t, core::alarm_state_count>, core::priority_count> open{};
  std::array<std::size_t, core::phase_count> phases{};
  core::engine_books books(engine_);
  for (std::size_t slot = 0; slot < books.bed_count(); ++slot) {
    const auto& b = books.state_at(slot);
    ++phases[static_cast<std::size_t>(b.phase)];
    for (const auto& a : b.open) {
      if (a) ++open[static_cast<std::size_t>(a->priority)][static_cast<std::size_t>(a->state)];
    }
  }
  out.family("vigil_open_alarms", family_type::gauge,
             "Alarms not yet ended, by priority and state.");
  for (const auto p : {core::priority::low, core::priority::medium, core::priority::high}) {
    for (const auto s :
         {core::alarm_state::active, core::alarm_state::acknowledged, core::alarm_state::latched}) {
      out.sample(
          static_cast<double>(open[static_cast<std::size_t>(p)][static_cast<std::size_t>(s)]),
          {{"priority", core::name(p)}, {"state", core::name(s)}});
    }
  }
  out.family("vigil_beds", family_type::gauge, "Beds vigild knows, by phase.");
  for (const auto p : {core::phase::idle, core::phase::infusion, core::phase::recovery}) {
    out.sample(static_cast<double>(phases[static_cast<std::size_t>(p)]),
               {{"phase", core::name(p)}});
  }
}

}  // namespace vigil::app
