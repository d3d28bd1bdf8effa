#include "store/bed_record.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "codec/codec.hpp"
#include "core/conditions.hpp"
#include "store/bed_state.pb.h"

namespace vigil::store {
namespace {

namespace pb = vigil::state::v1;
using core::condition_id;

std::string_view name_of(std::size_t condition) {
  return core::info(static_cast<condition_id>(condition)).name;
}

void to_pb(const core::nibp_sample& s, pb::Nibp& out) {
  out.set_at_ms(s.at);
  out.set_systolic_mmhg(s.systolic);
  out.set_diastolic_mmhg(s.diastolic);
}
core::nibp_sample from_pb(const pb::Nibp& n) {
  return {n.at_ms(), n.systolic_mmhg(), n.diastolic_mmhg()};
}

void to_pb(const core::open_alarm& a, std::string_view condition, pb::OpenAlarm& o) {
  o.set_condition(std::string(condition));
  o.set_id(a.id);
  o.set_priority(static_cast<std::uint32_t>(a.priority));
  o.set_state(static_cast<std::uint32_t>(a.state));
  o.set_onset_ms(a.onset_ms);
  o.set_escalation_level(a.escalation_level);
  o.set_acknowledged_by(a.acknowledged_by);
  o.set_ever_acknowledged(a.ever_acknowledged);
  if (a.escalate_at) o.set_escalate_at_ms(*a.escalate_at);
  if (a.remind_at) o.set_remind_at_ms(*a.remind_at);
  o.set_last_event(codec::encode(a.last));
  o.set_reason(a.reason);
}

// The open alarm, or an error text.
std::optional<core::open_alarm> from_pb(const pb::OpenAlarm& o, std::string& error) {
  auto last = codec::decode_alarm_event(o.last_event());
  if (!last) {
    error = "open alarm " + o.id() + ": " + last.error();
    return std::nullopt;
  }
  core::open_alarm a;
  a.id = o.id();
  a.priority = static_cast<core::priority>(o.priority());
  a.state = static_cast<core::alarm_state>(o.state());
  a.onset_ms = o.onset_ms();
  a.escalation_level = o.escalation_level();
  a.acknowledged_by = o.acknowledged_by();
  a.ever_acknowledged = o.ever_acknowledged();
  if (o.has_escalate_at_ms()) a.escalate_at = o.escalate_at_ms();
  if (o.has_remind_at_ms()) a.remind_at = o.remind_at_ms();
  a.last = std::move(last).value();
  a.reason = o.reason();
  return a;
}

}  // namespace

std::string encode_bed(const core::bed_state& b) {
  pb::BedState m;
  m.set_id(b.id);
  m.set_phase(static_cast<std::uint32_t>(b.phase));
  m.set_session_id(b.session_id);
  m.set_started_at_ms(b.started_at);
  m.set_planned_minutes(b.planned_minutes);
  m.set_paused(b.paused);
  m.set_stopped_at_ms(b.stopped_at);
  m.set_recovery_ends_at_ms(b.recovery_ends_at);
  m.set_planned_notice_due(b.planned_notice_due);
  if (b.baseline) to_pb(*b.baseline, *m.mutable_baseline());
  if (b.refs) {
    auto& r = *m.mutable_refs();
    r.set_patient_id(b.refs->patient_id);
    r.set_encounter_id(b.refs->encounter_id);
    r.set_drug(b.refs->drug);
    if (b.refs->dose_mg_per_kg) r.set_dose_mg_per_kg(*b.refs->dose_mg_per_kg);
  }
  if (b.last_valid_hr) m.set_last_valid_hr_ms(*b.last_valid_hr);
  if (b.last_nibp) to_pb(*b.last_nibp, *m.mutable_last_nibp());
  m.set_monitor(static_cast<std::uint32_t>(b.monitor));
  m.set_report_interval_ms(b.report_interval_ms);
  for (std::size_t i = 0; i < b.open.size(); ++i) {
    if (b.open[i]) to_pb(*b.open[i], name_of(i), *m.add_open());
  }
  for (std::size_t i = 0; i < b.episodes.size(); ++i) {
    if (b.episodes[i] != 0) (*m.mutable_episodes())[std::string(name_of(i))] = b.episodes[i];
  }
  m.set_event_seq(b.event_seq);
  m.set_session_changed_at_ms(b.session_changed_at);
  m.set_alarms_changed_at_ms(b.alarms_changed_at);

  std::string bytes;
  // Deterministic so that the same state gives the same bytes (maps are otherwise unordered).
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream coded(&raw);
    coded.SetSerializationDeterministic(true);
    m.SerializeToCodedStream(&coded);
  }
  return bytes;
}

std::optional<core::bed_state> decode_bed(std::string_view bytes, std::string& error) {
  pb::BedState m;
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    error = "undecodable state record";
    return std::nullopt;
  }
  if (m.phase() > static_cast<std::uint32_t>(core::phase::recovery) ||
      m.monitor() > static_cast<std::uint32_t>(core::monitor_state::offline)) {
    error = "phase or monitor state out of range";
    return std::nullopt;
  }
  core::bed_state b;
  b.id = m.id();
  b.phase = static_cast<core::phase>(m.phase());
  b.session_id = m.session_id();
  b.started_at = m.started_at_ms();
  b.planned_minutes = m.planned_minutes();
  b.paused = m.paused();
  b.stopped_at = m.stopped_at_ms();
  b.recovery_ends_at = m.recovery_ends_at_ms();
  b.planned_notice_due = m.planned_notice_due();
  if (m.has_baseline()) b.baseline = from_pb(m.baseline());
  if (m.has_refs()) {
    const auto& r = m.refs();
    b.refs = core::session_refs{
        r.patient_id(), r.encounter_id(), r.drug(),
        r.has_dose_mg_per_kg() ? std::optional<double>(r.dose_mg_per_kg()) : std::nullopt};
  }
  if (m.has_last_valid_hr_ms()) b.last_valid_hr = m.last_valid_hr_ms();
  if (m.has_last_nibp()) b.last_nibp = from_pb(m.last_nibp());
  b.monitor = static_cast<core::monitor_state>(m.monitor());
  b.report_interval_ms = m.report_interval_ms();
  for (const auto& o : m.open()) {
    const auto c = core::condition_named(o.condition());
    if (!c || core::index(*c) >= core::alarm_condition_count) {
      error = "unknown alarm condition '" + o.condition() + "'";
      return std::nullopt;
    }
    auto a = from_pb(o, error);
    if (!a) return std::nullopt;
    b.open[core::index(*c)] = std::move(*a);
  }
  for (const auto& [name, n] : m.episodes()) {
    const auto c = core::condition_named(name);
    if (!c) {
      error = "unknown condition '" + name + "' in episode counters";
      return std::nullopt;
    }
    b.episodes[core::index(*c)] = n;
  }
  b.event_seq = m.event_seq();
  b.session_changed_at = m.session_changed_at_ms();
  b.alarms_changed_at = m.alarms_changed_at_ms();
  return b;
}

void take_bed_row(const std::string& id, std::string_view state, std::vector<core::bed_state>& beds,
                  corrupt_rows& corrupt) {
  std::string error;
  auto bed = decode_bed(state, error);
  if (bed && bed->id != id) {
    error = "holds bed '" + bed->id + "'";
    bed.reset();
  }
  if (bed) {
    beds.push_back(std::move(*bed));
  } else {
    corrupt.emplace_back(id, error);
  }
}

}  // namespace vigil::store
