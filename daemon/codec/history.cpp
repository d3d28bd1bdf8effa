#include "codec/history.hpp"

#include <climits>

#include "codec/wire.hpp"
#include "vigil/v1/history.pb.h"

namespace vigil::codec {

namespace pb = vigil::v1;

namespace {

void to_pb(const record::session_info& i, pb::SessionSummary& m) {
  m.set_bed_id(i.bed_id);
  m.set_session_id(i.session_id);
  m.set_patient_id(i.patient_id);
  m.set_encounter_id(i.encounter_id);
  m.set_drug(i.drug);
  if (i.dose_mg_per_kg) m.set_dose_mg_per_kg(*i.dose_mg_per_kg);
  m.set_planned_minutes(i.planned_minutes);
  m.set_started_ms(i.started_ms);
  m.set_stopped_ms(i.stopped_ms);
  m.set_ended_ms(i.ended_ms);
  if (i.baseline_systolic_mmhg) m.set_baseline_systolic_mmhg(*i.baseline_systolic_mmhg);
  if (i.baseline_diastolic_mmhg) m.set_baseline_diastolic_mmhg(*i.baseline_diastolic_mmhg);
}

record::session_info from_pb(const pb::SessionSummary& m) {
  record::session_info i;
  i.bed_id = m.bed_id();
  i.session_id = m.session_id();
  i.patient_id = m.patient_id();
  i.encounter_id = m.encounter_id();
  if (!m.drug().empty()) i.drug = m.drug();
  i.dose_mg_per_kg = detail::opt(m.has_dose_mg_per_kg(), m.dose_mg_per_kg());
  i.planned_minutes = m.planned_minutes();
  i.started_ms = m.started_ms();
  i.stopped_ms = m.stopped_ms();
  i.ended_ms = m.ended_ms();
  i.baseline_systolic_mmhg =
      detail::opt(m.has_baseline_systolic_mmhg(), m.baseline_systolic_mmhg());
  i.baseline_diastolic_mmhg =
      detail::opt(m.has_baseline_diastolic_mmhg(), m.baseline_diastolic_mmhg());
  return i;
}

void to_pb(const record::trend_point& p, pb::TrendPoint& t) {
  t.set_at_ms(p.at_ms);
  t.set_series(std::string(record::to_string(p.series)));
  t.set_n(p.n);
  t.set_lo(p.lo);
  t.set_mean(p.mean);
  t.set_hi(p.hi);
}

decoded<record::trend_point> from_pb(const pb::TrendPoint& t) {
  const auto s = record::series_named(t.series());
  if (!s) return failure{"trend: unknown series '" + t.series() + "'"};
  return record::trend_point{t.at_ms(), *s, t.n(), t.lo(), t.mean(), t.hi()};
}

template <class Pb>
bool parse(Pb& m, std::string_view bytes) {
  return bytes.size() <= static_cast<std::size_t>(INT_MAX) &&
         m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

}  // namespace

decoded<history_request> decode_history_request(std::string_view bytes) {
  pb::HistoryRequest m;
  if (!parse(m, bytes)) {
    return failure{"not a valid vigil.v1.HistoryRequest (" + std::to_string(bytes.size()) +
                   " bytes)"};
  }
  return history_request{m.bed_id(),   m.session_id(), m.since_ms(),
                         m.until_ms(), m.limit(),      m.trend()};
}

std::string encode(const history_request& r) {
  pb::HistoryRequest m;
  m.set_bed_id(r.bed_id);
  m.set_session_id(r.session_id);
  m.set_since_ms(r.since_ms);
  m.set_until_ms(r.until_ms);
  m.set_limit(r.limit);
  m.set_trend(r.trend);
  return m.SerializeAsString();
}

std::string encode(const history_response& r) {
  pb::HistoryResponse m;
  for (const auto& e : r.events) detail::to_wire(e, *m.add_events());
  for (const auto& s : r.sessions) to_pb(s, *m.add_sessions());
  for (const auto& p : r.trend) to_pb(p, *m.add_trend());
  m.set_truncated(r.truncated);
  m.set_error(r.error);
  m.set_at_ms(r.at_ms);
  return m.SerializeAsString();
}

decoded<history_response> decode_history_response(std::string_view bytes) {
  pb::HistoryResponse m;
  if (!parse(m, bytes)) {
    return failure{"not a valid vigil.v1.HistoryResponse (" + std::to_string(bytes.size()) +
                   " bytes)"};
  }
  history_response r;
  for (const auto& e : m.events()) {
    auto v = detail::from_wire(e);
    if (!v) return failure{"event " + e.alarm_id() + ": " + v.error()};
    r.events.push_back(std::move(v).value());
  }
  for (const auto& s : m.sessions()) r.sessions.push_back(from_pb(s));
  for (const auto& t : m.trend()) {
    auto p = from_pb(t);
    if (!p) return failure{p.error()};
    r.trend.push_back(std::move(p).value());
  }
  r.truncated = m.truncated();
  r.error = m.error();
  r.at_ms = m.at_ms();
  return r;
}

std::string encode(const bed_trend& b) {
  pb::BedTrend m;
  m.set_bed_id(b.bed_id);
  m.set_session_id(b.session_id);
  m.set_from_ms(b.from_ms);
  m.set_at_ms(b.at_ms);
  m.set_resolution_ms(b.resolution_ms);
  for (const auto& p : b.points) to_pb(p, *m.add_points());
  return m.SerializeAsString();
}

decoded<bed_trend> decode_bed_trend(std::string_view bytes) {
  pb::BedTrend m;
  if (!parse(m, bytes)) {
    return failure{"not a valid vigil.v1.BedTrend (" + std::to_string(bytes.size()) + " bytes)"};
  }
  bed_trend b{m.bed_id(), m.session_id(), m.from_ms(), m.at_ms(), m.resolution_ms(), {}};
  for (const auto& t : m.points()) {
    auto p = from_pb(t);
    if (!p) return failure{p.error()};
    b.points.push_back(std::move(p).value());
  }
  return b;
}

}  // namespace vigil::codec
