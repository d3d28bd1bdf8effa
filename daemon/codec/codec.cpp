#include "codec/codec.hpp"

#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/json_util.h>

#include <bit>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>

#include "vigil/v1/alarms.pb.h"
#include "vigil/v1/daemon.pb.h"
#include "vigil/v1/session.pb.h"
#include "vigil/v1/vitals.pb.h"

namespace vigil::codec {
namespace {

namespace pb = vigil::v1;

// Core enums use the wire's numbers, so a wire value this version knows maps by a cast. These
// pin that down; bp_source differs (no unspecified in core) and is mapped by hand.
template <class Core, class Pb>
constexpr bool same_number(Core c, Pb p) {
  return static_cast<int>(c) == static_cast<int>(p);
}
static_assert(same_number(core::validity::unspecified, pb::VALIDITY_UNSPECIFIED) &&
              same_number(core::validity::valid, pb::VALIDITY_VALID) &&
              same_number(core::validity::questionable, pb::VALIDITY_QUESTIONABLE) &&
              same_number(core::validity::invalid, pb::VALIDITY_INVALID));
static_assert(same_number(core::monitor_state::unspecified, pb::MONITOR_STATE_UNSPECIFIED) &&
              same_number(core::monitor_state::online, pb::MONITOR_STATE_ONLINE) &&
              same_number(core::monitor_state::offline, pb::MONITOR_STATE_OFFLINE));
static_assert(same_number(core::infusion_kind::unspecified, pb::INFUSION_KIND_UNSPECIFIED) &&
              same_number(core::infusion_kind::started, pb::INFUSION_KIND_STARTED) &&
              same_number(core::infusion_kind::paused, pb::INFUSION_KIND_PAUSED) &&
              same_number(core::infusion_kind::resumed, pb::INFUSION_KIND_RESUMED) &&
              same_number(core::infusion_kind::stopped, pb::INFUSION_KIND_STOPPED));
static_assert(same_number(core::alarm_kind::unspecified, pb::ALARM_KIND_UNSPECIFIED) &&
              same_number(core::alarm_kind::physiological, pb::ALARM_KIND_PHYSIOLOGICAL) &&
              same_number(core::alarm_kind::technical, pb::ALARM_KIND_TECHNICAL) &&
              same_number(core::alarm_kind::procedural, pb::ALARM_KIND_PROCEDURAL) &&
              same_number(core::alarm_kind::notice, pb::ALARM_KIND_NOTICE));
static_assert(same_number(core::priority::unspecified, pb::PRIORITY_UNSPECIFIED) &&
              same_number(core::priority::low, pb::PRIORITY_LOW) &&
              same_number(core::priority::medium, pb::PRIORITY_MEDIUM) &&
              same_number(core::priority::high, pb::PRIORITY_HIGH));
static_assert(same_number(core::alarm_state::unspecified, pb::ALARM_STATE_UNSPECIFIED) &&
              same_number(core::alarm_state::active, pb::ALARM_STATE_ACTIVE) &&
              same_number(core::alarm_state::acknowledged, pb::ALARM_STATE_ACKNOWLEDGED) &&
              same_number(core::alarm_state::latched, pb::ALARM_STATE_LATCHED) &&
              same_number(core::alarm_state::ended, pb::ALARM_STATE_ENDED));
static_assert(same_number(core::transition::unspecified, pb::TRANSITION_UNSPECIFIED) &&
              same_number(core::transition::raised, pb::TRANSITION_RAISED) &&
              same_number(core::transition::escalated, pb::TRANSITION_ESCALATED) &&
              same_number(core::transition::acknowledged, pb::TRANSITION_ACKNOWLEDGED) &&
              same_number(core::transition::reminded, pb::TRANSITION_REMINDED) &&
              same_number(core::transition::latched, pb::TRANSITION_LATCHED) &&
              same_number(core::transition::ended, pb::TRANSITION_ENDED) &&
              same_number(core::transition::notice, pb::TRANSITION_NOTICE));
static_assert(same_number(core::phase::unspecified, pb::PHASE_UNSPECIFIED) &&
              same_number(core::phase::idle, pb::PHASE_IDLE) &&
              same_number(core::phase::infusion, pb::PHASE_INFUSION) &&
              same_number(core::phase::recovery, pb::PHASE_RECOVERY));
static_assert(same_number(daemon_state::unspecified, pb::DAEMON_STATE_UNSPECIFIED) &&
              same_number(daemon_state::online, pb::DAEMON_STATE_ONLINE) &&
              same_number(daemon_state::offline, pb::DAEMON_STATE_OFFLINE));

template <class Pb, class Core>
Pb wire(Core c) {
  return static_cast<Pb>(c);
}

// Maps wire enums to core ones, remembering the first value this version does not know.
struct enum_reader {
  std::string error;

  template <class Core>
  void read(std::string_view field, int value, bool (*known)(int), Core& out) {
    if (!error.empty()) return;
    if (known(value)) {
      out = static_cast<Core>(value);
    } else {
      error = std::string(field) + ": unknown enum value " + std::to_string(value);
    }
  }
};

std::optional<double> opt(bool present, double v) {
  return present ? std::optional<double>(v) : std::nullopt;
}

// ---- wire -> core ----

// Templates over the message's accessors: the protobuf class, or the fields a fast path read.
template <class HeartRateFields>
decoded<core::heart_rate> heart_rate_from(const HeartRateFields& m) {
  // Every second from every bed: built in place, the enum checked without an enum_reader.
  const int validity = m.validity();
  if (!pb::Validity_IsValid(validity)) {
    return failure{"HeartRate.validity: unknown enum value " + std::to_string(validity)};
  }
  return core::heart_rate{std::string(m.device_id()), m.measured_at_ms(), m.seq(), m.bpm(),
                          static_cast<core::validity>(validity)};
}

decoded<core::heart_rate> from_wire(const pb::HeartRate& m) { return heart_rate_from(m); }

template <class BloodPressureFields>
decoded<core::blood_pressure> blood_pressure_from(const BloodPressureFields& m) {
  core::blood_pressure r;
  r.device_id = m.device_id();
  r.measured_at_ms = m.measured_at_ms();
  r.seq = m.seq();
  r.systolic_mmhg = m.systolic_mmhg();
  r.diastolic_mmhg = m.diastolic_mmhg();
  r.mean_mmhg = opt(m.has_mean_mmhg(), m.mean_mmhg());
  switch (m.source()) {
    case pb::BP_SOURCE_UNSPECIFIED:  // contract: unspecified means a cuff reading
    case pb::BP_SOURCE_NIBP: r.source = core::bp_source::nibp; break;
    case pb::BP_SOURCE_ARTERIAL: r.source = core::bp_source::arterial; break;
    default:
      return failure{"BloodPressure.source: unknown enum value " +
                     std::to_string(static_cast<int>(m.source()))};
  }
  enum_reader e;
  e.read("BloodPressure.validity", m.validity(), pb::Validity_IsValid, r.validity);
  if (!e.error.empty()) return failure{e.error};
  return r;
}

decoded<core::blood_pressure> from_wire(const pb::BloodPressure& m) {
  return blood_pressure_from(m);
}

decoded<core::monitor_status> from_wire(const pb::MonitorStatus& m) {
  core::monitor_status r;
  r.device_id = m.device_id();
  r.at_ms = m.at_ms();
  enum_reader e;
  e.read("MonitorStatus.state", m.state(), pb::MonitorState_IsValid, r.state);
  if (!e.error.empty()) return failure{e.error};
  return r;
}

decoded<core::infusion_event> from_wire(const pb::InfusionEvent& m) {
  core::infusion_event r;
  r.at_ms = m.at_ms();
  r.session_id = m.session_id();
  r.planned_minutes = m.planned_minutes();
  if (!m.drug().empty()) r.drug = m.drug();  // else core's default, "ketamine"
  r.dose_mg_per_kg = opt(m.has_dose_mg_per_kg(), m.dose_mg_per_kg());
  r.by = m.by();
  enum_reader e;
  e.read("InfusionEvent.kind", m.kind(), pb::InfusionKind_IsValid, r.kind);
  if (!e.error.empty()) return failure{e.error};
  return r;
}

decoded<core::alarm_ack> from_wire(const pb::AlarmAck& m) {
  return core::alarm_ack{m.alarm_id(), m.by(), m.at_ms()};
}

decoded<core::alarm_event> from_wire(const pb::AlarmEvent& m) {
  core::alarm_event r;
  r.alarm_id = m.alarm_id();
  r.event_seq = m.event_seq();
  r.bed_id = m.bed_id();
  r.session_id = m.session_id();
  r.condition = m.condition();
  r.value = opt(m.has_value(), m.value());
  r.limit = opt(m.has_limit(), m.limit());
  r.unit = m.unit();
  r.onset_ms = m.onset_ms();
  r.at_ms = m.at_ms();
  r.infusion_elapsed_ms = m.infusion_elapsed_ms();
  r.escalation_level = m.escalation_level();
  r.acknowledged_by = m.acknowledged_by();
  r.text = m.text();
  enum_reader e;
  e.read("AlarmEvent.kind", m.kind(), pb::AlarmKind_IsValid, r.kind);
  e.read("AlarmEvent.priority", m.priority(), pb::Priority_IsValid, r.priority);
  e.read("AlarmEvent.state", m.state(), pb::AlarmState_IsValid, r.state);
  e.read("AlarmEvent.transition", m.transition(), pb::Transition_IsValid, r.transition);
  e.read("AlarmEvent.phase", m.phase(), pb::Phase_IsValid, r.phase);
  if (!e.error.empty()) return failure{e.error};
  return r;
}

decoded<core::active_alarms> from_wire(const pb::ActiveAlarms& m) {
  core::active_alarms r;
  r.bed_id = m.bed_id();
  r.at_ms = m.at_ms();
  r.alarms.reserve(static_cast<std::size_t>(m.alarms_size()));
  for (const auto& a : m.alarms()) {
    auto event = from_wire(a);
    if (!event) return failure{"ActiveAlarms.alarms: " + event.error()};
    r.alarms.push_back(std::move(event).value());
  }
  return r;
}

decoded<core::session_state> from_wire(const pb::SessionState& m) {
  core::session_state r;
  r.bed_id = m.bed_id();
  r.session_id = m.session_id();
  r.infusion_started_at_ms = m.infusion_started_at_ms();
  r.planned_minutes = m.planned_minutes();
  r.paused = m.paused();
  r.infusion_stopped_at_ms = m.infusion_stopped_at_ms();
  r.recovery_ends_at_ms = m.recovery_ends_at_ms();
  r.baseline_systolic_mmhg = opt(m.has_baseline_systolic_mmhg(), m.baseline_systolic_mmhg());
  r.baseline_diastolic_mmhg = opt(m.has_baseline_diastolic_mmhg(), m.baseline_diastolic_mmhg());
  r.at_ms = m.at_ms();
  enum_reader e;
  e.read("SessionState.phase", m.phase(), pb::Phase_IsValid, r.phase);
  if (!e.error.empty()) return failure{e.error};
  return r;
}

decoded<daemon_status> from_wire(const pb::DaemonStatus& m) {
  daemon_status r;
  r.instance = m.instance();
  r.version = m.version();
  r.started_at_ms = m.started_at_ms();
  r.at_ms = m.at_ms();
  enum_reader e;
  e.read("DaemonStatus.state", m.state(), pb::DaemonState_IsValid, r.state);
  if (!e.error.empty()) return failure{e.error};
  return r;
}

// ---- core -> wire ----

void to_wire(const core::heart_rate& v, pb::HeartRate& m) {
  m.set_device_id(v.device_id);
  m.set_measured_at_ms(v.measured_at_ms);
  m.set_seq(v.seq);
  m.set_bpm(static_cast<float>(v.bpm));
  m.set_validity(wire<pb::Validity>(v.validity));
}

void to_wire(const core::blood_pressure& v, pb::BloodPressure& m) {
  m.set_device_id(v.device_id);
  m.set_measured_at_ms(v.measured_at_ms);
  m.set_seq(v.seq);
  m.set_systolic_mmhg(static_cast<float>(v.systolic_mmhg));
  m.set_diastolic_mmhg(static_cast<float>(v.diastolic_mmhg));
  if (v.mean_mmhg) m.set_mean_mmhg(static_cast<float>(*v.mean_mmhg));
  m.set_source(v.source == core::bp_source::arterial ? pb::BP_SOURCE_ARTERIAL : pb::BP_SOURCE_NIBP);
  m.set_validity(wire<pb::Validity>(v.validity));
}

void to_wire(const core::monitor_status& v, pb::MonitorStatus& m) {
  m.set_device_id(v.device_id);
  m.set_state(wire<pb::MonitorState>(v.state));
  m.set_at_ms(v.at_ms);
}

void to_wire(const core::infusion_event& v, pb::InfusionEvent& m) {
  m.set_kind(wire<pb::InfusionKind>(v.kind));
  m.set_at_ms(v.at_ms);
  m.set_session_id(v.session_id);
  m.set_planned_minutes(v.planned_minutes);
  m.set_drug(v.drug);
  if (v.dose_mg_per_kg) m.set_dose_mg_per_kg(static_cast<float>(*v.dose_mg_per_kg));
  m.set_by(v.by);
}

void to_wire(const core::alarm_ack& v, pb::AlarmAck& m) {
  m.set_alarm_id(v.alarm_id);
  m.set_by(v.by);
  m.set_at_ms(v.at_ms);
}

void to_wire(const core::alarm_event& v, pb::AlarmEvent& m) {
  m.set_alarm_id(v.alarm_id);
  m.set_event_seq(v.event_seq);
  m.set_bed_id(v.bed_id);
  m.set_session_id(v.session_id);
  m.set_condition(v.condition);
  m.set_kind(wire<pb::AlarmKind>(v.kind));
  m.set_priority(wire<pb::Priority>(v.priority));
  m.set_state(wire<pb::AlarmState>(v.state));
  m.set_transition(wire<pb::Transition>(v.transition));
  if (v.value) m.set_value(*v.value);
  if (v.limit) m.set_limit(*v.limit);
  m.set_unit(v.unit);
  m.set_onset_ms(v.onset_ms);
  m.set_at_ms(v.at_ms);
  m.set_phase(wire<pb::Phase>(v.phase));
  m.set_infusion_elapsed_ms(v.infusion_elapsed_ms);
  m.set_escalation_level(v.escalation_level);
  m.set_acknowledged_by(v.acknowledged_by);
  m.set_text(v.text);
}

void to_wire(const core::active_alarms& v, pb::ActiveAlarms& m) {
  m.set_bed_id(v.bed_id);
  m.set_at_ms(v.at_ms);
  for (const auto& a : v.alarms) to_wire(a, *m.add_alarms());
}

void to_wire(const core::session_state& v, pb::SessionState& m) {
  m.set_bed_id(v.bed_id);
  m.set_session_id(v.session_id);
  m.set_phase(wire<pb::Phase>(v.phase));
  m.set_infusion_started_at_ms(v.infusion_started_at_ms);
  m.set_planned_minutes(v.planned_minutes);
  m.set_paused(v.paused);
  m.set_infusion_stopped_at_ms(v.infusion_stopped_at_ms);
  m.set_recovery_ends_at_ms(v.recovery_ends_at_ms);
  if (v.baseline_systolic_mmhg) m.set_baseline_systolic_mmhg(*v.baseline_systolic_mmhg);
  if (v.baseline_diastolic_mmhg) m.set_baseline_diastolic_mmhg(*v.baseline_diastolic_mmhg);
  m.set_at_ms(v.at_ms);
}

void to_wire(const daemon_status& v, pb::DaemonStatus& m) {
  m.set_instance(v.instance);
  m.set_state(wire<pb::DaemonState>(v.state));
  m.set_version(v.version);
  m.set_started_at_ms(v.started_at_ms);
  m.set_at_ms(v.at_ms);
}

// ---- the readings' fast path ----
//
// A heart rate arrives every second from every bed (arterial pressure may too), as a handful of
// known fields with one-byte tags. Protobuf's generic parse of one costs about 700
// instructions (parse context, unknown-field bookkeeping, UTF-8 check); reading the same bytes
// here costs about a tenth. The fast path takes only what it can decide exactly as protobuf
// would: each field's canonical one-byte tag and wire type, varints of at most 9 bytes (a
// string's length: at most 2), strings of ASCII only, nothing past the end. Anything else (an
// unknown field, another tag encoding, a longer varint, a byte over 0x7F, a cut) returns false
// and the message goes through protobuf, which decides it as before. The same field given
// twice: the last wins, as in protobuf. tests/unit/codec/fast_decode_test.cpp checks the two
// against each other on generated and mutated payloads.

class fast_wire {
 public:
  explicit fast_wire(std::string_view b)
      : p_(reinterpret_cast<const unsigned char*>(b.data())), end_(p_ + b.size()) {}

  bool done() const { return p_ == end_; }
  unsigned tag() { return *p_++; }  // precondition: !done()

  bool varint(std::uint64_t& v, int max_bytes = 9) {
    if (p_ != end_ && *p_ < 0x80U) {  // one byte: seq, enums, lengths
      v = *p_++;
      return true;
    }
    if (std::endian::native == std::endian::little && max_bytes >= 8 && end_ - p_ >= 8) {
      // Up to 8 bytes from one load (a timestamp in ms takes 6): the stop byte is the first
      // without its top bit; the 7-bit groups up to it are packed together by three shifts.
      std::uint64_t w = 0;
      std::memcpy(&w, p_, sizeof w);
      const std::uint64_t stops = ~w & 0x8080808080808080ULL;
      if (stops != 0) {
        const std::uint64_t x = w & (stops ^ (stops - 1)) & 0x7F7F7F7F7F7F7F7FULL;
        std::uint64_t r = (x & 0x007F007F007F007FULL) | ((x & 0x7F007F007F007F00ULL) >> 1);
        r = (r & 0x00003FFF00003FFFULL) | ((r & 0x3FFF00003FFF0000ULL) >> 2);
        r = (r & 0x000000000FFFFFFFULL) | ((r & 0x0FFFFFFF00000000ULL) >> 4);
        v = r;
        p_ += (std::countr_zero(stops) + 1) / 8;
        return true;
      }
    }
    std::uint64_t r = 0;
    for (int i = 0; i < max_bytes && p_ != end_; ++i) {
      const unsigned b = *p_++;
      r |= static_cast<std::uint64_t>(b & 0x7FU) << (7 * i);
      if (b < 0x80U) {
        v = r;
        return true;
      }
    }
    return false;
  }
  // An enum field: protobuf keeps the low 32 bits of the varint, as an int.
  bool enum_value(int& v) {
    std::uint64_t u = 0;
    if (!varint(u)) return false;
    v = static_cast<int>(static_cast<std::uint32_t>(u));
    return true;
  }
  bool fixed_float(float& v) {
    if (end_ - p_ < 4) return false;
    const std::uint32_t bits =
        static_cast<std::uint32_t>(p_[0]) | static_cast<std::uint32_t>(p_[1]) << 8 |
        static_cast<std::uint32_t>(p_[2]) << 16 | static_cast<std::uint32_t>(p_[3]) << 24;
    v = std::bit_cast<float>(bits);
    p_ += 4;
    return true;
  }
  bool ascii_string(std::string_view& v) {
    std::uint64_t n = 0;
    if (!varint(n, 2) || n > static_cast<std::uint64_t>(end_ - p_)) return false;
    // UTF-8 validity is protobuf's to judge: any byte over 0x7F, and the message goes there.
    const unsigned char* q = p_;
    const unsigned char* const str_end = p_ + n;
    for (; str_end - q >= 8; q += 8) {  // any byte order: only the top bits are looked at
      std::uint64_t w = 0;
      std::memcpy(&w, q, sizeof w);
      if ((w & 0x8080808080808080ULL) != 0) return false;
    }
    for (; q != str_end; ++q) {
      if (*q >= 0x80U) return false;
    }
    v = {reinterpret_cast<const char*>(p_), static_cast<std::size_t>(n)};
    p_ += n;
    return true;
  }

 private:
  const unsigned char* p_;
  const unsigned char* end_;
};

// Larger payloads are no reading of a real monitor: protobuf takes them.
constexpr std::size_t fast_path_max_bytes = 1024;

// Fields 1-3, the same in HeartRate and BloodPressure.
struct fast_reading {
  std::string_view device_id_;
  std::int64_t measured_at_ms_ = 0;
  std::uint64_t seq_ = 0;
  std::string_view device_id() const { return device_id_; }
  std::int64_t measured_at_ms() const { return measured_at_ms_; }
  std::uint64_t seq() const { return seq_; }
};

enum class field_read : std::uint8_t { done, not_common, bad };

// One of fields 1-3 at `tag`, or not_common for the message's own to read.
field_read read_common(fast_wire& w, unsigned tag, fast_reading& m) {
  std::uint64_t v = 0;
  switch (tag) {
    case (1 << 3) | 2: return w.ascii_string(m.device_id_) ? field_read::done : field_read::bad;
    case (2 << 3) | 0:
      if (!w.varint(v)) return field_read::bad;
      m.measured_at_ms_ = static_cast<std::int64_t>(v);
      return field_read::done;
    case (3 << 3) | 0:
      if (!w.varint(v)) return field_read::bad;
      m.seq_ = v;
      return field_read::done;
    default: return field_read::not_common;
  }
}

struct fast_heart_rate : fast_reading {
  float bpm_ = 0;
  int validity_ = 0;
  float bpm() const { return bpm_; }
  int validity() const { return validity_; }
};

bool read_fast(std::string_view bytes, fast_heart_rate& m) {
  if (bytes.size() > fast_path_max_bytes) return false;
  fast_wire w(bytes);
  while (!w.done()) {
    const unsigned tag = w.tag();
    if (const auto r = read_common(w, tag, m); r != field_read::not_common) {
      if (r == field_read::bad) return false;
      continue;
    }
    switch (tag) {
      case (4 << 3) | 5:
        if (!w.fixed_float(m.bpm_)) return false;
        break;
      case (5 << 3) | 0:
        if (!w.enum_value(m.validity_)) return false;
        break;
      default: return false;
    }
  }
  return true;
}

struct fast_blood_pressure : fast_reading {
  float systolic_mmhg_ = 0;
  float diastolic_mmhg_ = 0;
  std::optional<float> mean_mmhg_;
  int source_ = 0;
  int validity_ = 0;
  float systolic_mmhg() const { return systolic_mmhg_; }
  float diastolic_mmhg() const { return diastolic_mmhg_; }
  bool has_mean_mmhg() const { return mean_mmhg_.has_value(); }
  float mean_mmhg() const { return mean_mmhg_.value_or(0.0F); }
  int source() const { return source_; }
  int validity() const { return validity_; }
};

bool read_fast(std::string_view bytes, fast_blood_pressure& m) {
  if (bytes.size() > fast_path_max_bytes) return false;
  fast_wire w(bytes);
  float f = 0;
  while (!w.done()) {
    const unsigned tag = w.tag();
    if (const auto r = read_common(w, tag, m); r != field_read::not_common) {
      if (r == field_read::bad) return false;
      continue;
    }
    switch (tag) {
      case (4 << 3) | 5:
        if (!w.fixed_float(m.systolic_mmhg_)) return false;
        break;
      case (5 << 3) | 5:
        if (!w.fixed_float(m.diastolic_mmhg_)) return false;
        break;
      case (6 << 3) | 5:
        if (!w.fixed_float(f)) return false;
        m.mean_mmhg_ = f;
        break;
      case (7 << 3) | 0:
        if (!w.enum_value(m.source_)) return false;
        break;
      case (8 << 3) | 0:
        if (!w.enum_value(m.validity_)) return false;
        break;
      default: return false;
    }
  }
  return true;
}

// ---- bytes ----

template <class Pb>
auto decode_as(std::string_view bytes) -> decltype(from_wire(std::declval<const Pb&>())) {
  // One message per type and thread, reused: parsing into it keeps its strings' buffers, so
  // decoding a reading allocates nothing (a fresh message allocates every string field).
  thread_local Pb m;
  // Parse never throws; it fails on malformed varints, lengths past the end, bad wire types.
  if (bytes.size() > static_cast<std::size_t>(INT_MAX) ||
      !m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return failure{"not a valid " + Pb::descriptor()->full_name() + " (" +
                   std::to_string(bytes.size()) + " bytes)"};
  }
  return from_wire(m);
}

template <class Pb, class Core>
std::string encode_as(const Core& v) {
  Pb m;
  to_wire(v, m);
  return m.SerializeAsString();
}

}  // namespace

decoded<core::heart_rate> decode_heart_rate(std::string_view b) {
  if (fast_heart_rate m; read_fast(b, m)) return heart_rate_from(m);
  return decode_as<pb::HeartRate>(b);
}
decoded<core::blood_pressure> decode_blood_pressure(std::string_view b) {
  if (fast_blood_pressure m; read_fast(b, m)) return blood_pressure_from(m);
  return decode_as<pb::BloodPressure>(b);
}
decoded<core::monitor_status> decode_monitor_status(std::string_view b) {
  return decode_as<pb::MonitorStatus>(b);
}
decoded<core::infusion_event> decode_infusion_event(std::string_view b) {
  return decode_as<pb::InfusionEvent>(b);
}
decoded<core::alarm_ack> decode_alarm_ack(std::string_view b) { return decode_as<pb::AlarmAck>(b); }
decoded<core::alarm_event> decode_alarm_event(std::string_view b) {
  return decode_as<pb::AlarmEvent>(b);
}
decoded<core::active_alarms> decode_active_alarms(std::string_view b) {
  return decode_as<pb::ActiveAlarms>(b);
}
decoded<core::session_state> decode_session_state(std::string_view b) {
  return decode_as<pb::SessionState>(b);
}
decoded<daemon_status> decode_daemon_status(std::string_view b) {
  return decode_as<pb::DaemonStatus>(b);
}

std::string encode(const core::heart_rate& m) { return encode_as<pb::HeartRate>(m); }
std::string encode(const core::blood_pressure& m) { return encode_as<pb::BloodPressure>(m); }
std::string encode(const core::monitor_status& m) { return encode_as<pb::MonitorStatus>(m); }
std::string encode(const core::infusion_event& m) { return encode_as<pb::InfusionEvent>(m); }
std::string encode(const core::alarm_ack& m) { return encode_as<pb::AlarmAck>(m); }
std::string encode(const core::alarm_event& m) { return encode_as<pb::AlarmEvent>(m); }
std::string encode(const core::active_alarms& m) { return encode_as<pb::ActiveAlarms>(m); }
std::string encode(const core::session_state& m) { return encode_as<pb::SessionState>(m); }
std::string encode(const daemon_status& m) { return encode_as<pb::DaemonStatus>(m); }

void silence_protobuf_log() {
  google::protobuf::SetLogHandler(
      [](google::protobuf::LogLevel level, const char* file, int line, const std::string& message) {
        // FATAL aborts right after this; say why first.
        if (level == google::protobuf::LOGLEVEL_FATAL) {
          std::fprintf(stderr, "[libprotobuf FATAL %s:%d] %s\n", file, line, message.c_str());
        }
      });
}

std::string to_json_line_protobuf(const core::alarm_event& e) {
  pb::AlarmEvent m;
  to_wire(e, m);
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;  // the contract's snake_case names
  // Default-valued fields are printed too, so every line has the same keys: a reader (jq, a
  // dashboard, a diff of two replays) need not know that proto3 omits zeros, and
  // escalation_level 0 or an empty acknowledged_by is stated rather than implied. The optional
  // value/limit keep their presence: absent means "no measurement", not 0. (Protobuf 3.21
  // then prints those two optional fields last; key order means nothing in JSON, and it is the
  // same on every run.)
  options.always_print_primitive_fields = true;
  std::string line;
  // Cannot fail for a message built here (no Any, no maps); an empty line would show if it did.
  (void)google::protobuf::util::MessageToJsonString(m, &line, options);
  return line;
}

namespace {

// ---- JSON lines without protobuf's printer ----
//
// util::MessageToJsonString turns the message's descriptor into a google.protobuf.Type and
// re-reads the serialized bytes for every call: about 200,000 instructions an event. The
// writer below prints the same bytes directly: the keys in field order, every non-optional
// field (defaults too), then value and limit when present; 64-bit integers quoted; doubles as
// protobuf's SimpleDtoa (%.15g, or %.17g when that does not read back) and NaN/Infinity
// quoted; strings escaped as protobuf's JsonEscaping does for well-formed UTF-8. A string that
// is not well-formed UTF-8, or an enum value without a name, returns false: protobuf prints
// that event (the test compares the two on generated events).

constexpr char hex_digit[] = "0123456789abcdef";

void append_u16_escape(std::string& out, std::uint32_t unit) {
  const char esc[6] = {'\\',
                       'u',
                       hex_digit[(unit >> 12) & 0xF],
                       hex_digit[(unit >> 8) & 0xF],
                       hex_digit[(unit >> 4) & 0xF],
                       hex_digit[unit & 0xF]};
  out.append(esc, sizeof esc);
}

// The code points protobuf's JsonEscaping writes as \u escapes (besides those below 0xA0).
bool escaped_code_point(std::uint32_t cp) {
  switch (cp) {
    case 0xfeff:
    case 0xfff9:
    case 0xfffa:
    case 0xfffb:
    case 0x00ad:
    case 0x06dd:
    case 0x070f:
    case 0x17b4:
    case 0x17b5: return true;
    default:
      return (cp >= 0x0600 && cp <= 0x0603) || (cp >= 0x200b && cp <= 0x200f) ||
             (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) ||
             (cp >= 0x206a && cp <= 0x206f) || cp == 0xe0001 || (cp >= 0x1d173 && cp <= 0x1d17a) ||
             (cp >= 0xe0020 && cp <= 0xe007f);
  }
}

bool append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '\b': out += "\\b"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\f': out += "\\f"; break;
        case '\r': out += "\\r"; break;
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        default:
          if (c < 0x20 || c == '<' || c == '>' || c == 0x7f) {
            append_u16_escape(out, c);
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    // Well-formed UTF-8 only: no overlong forms, surrogates or code points past U+10FFFF.
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
      cp = c & 0x1FU;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      cp = c & 0x0FU;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      cp = c & 0x07U;
    } else {
      return false;
    }
    if (s.size() - i < n) return false;
    for (std::size_t k = 1; k < n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0U) != 0x80U) return false;
      cp = (cp << 6) | (b & 0x3FU);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;
    }
    if (cp < 0xA0) {  // C1 controls
      append_u16_escape(out, cp);
    } else if (!escaped_code_point(cp)) {
      out.append(s.substr(i, n));
    } else if (cp <= 0xFFFF) {
      append_u16_escape(out, cp);
    } else {
      append_u16_escape(out, 0xD800 + ((cp - 0x10000) >> 10));
      append_u16_escape(out, 0xDC00 + ((cp - 0x10000) & 0x3FF));
    }
    i += n;
  }
  out += '"';
  return true;
}

template <class T>
void append_integer(std::string& out, T v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// protobuf's SimpleDtoa: 15 significant digits, 17 when 15 do not read back as the same double.
void append_double(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += std::isnan(v) ? "\"NaN\"" : v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 15);
  double back = 0;
  std::from_chars(buf, r.ptr, back);
  if (back != v) r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 17);
  out.append(buf, r.ptr);
}

template <class Pb>
bool append_enum(std::string& out, int v, bool (*known)(int), const std::string& (*name)(Pb)) {
  if (!known(v)) return false;
  out += '"';
  out += name(static_cast<Pb>(v));
  out += '"';
  return true;
}

bool write_json_line(const core::alarm_event& e, std::string& out) {
  out.reserve(512);
  auto key = [&out](std::string_view k) {
    out += out.empty() ? "{\"" : ",\"";
    out += k;
    out += "\":";
  };
  auto str = [&](std::string_view k, std::string_view v) {
    key(k);
    return append_json_string(out, v);
  };
  auto quoted = [&](std::string_view k, auto v) {
    key(k);
    out += '"';
    append_integer(out, v);
    out += '"';
  };
  auto enumerated = [&](std::string_view k, auto v, bool (*known)(int), auto name) {
    key(k);
    return append_enum(out, static_cast<int>(v), known, name);
  };
  if (!str("alarm_id", e.alarm_id)) return false;
  quoted("event_seq", e.event_seq);
  if (!str("bed_id", e.bed_id) || !str("session_id", e.session_id) ||
      !str("condition", e.condition)) {
    return false;
  }
  if (!enumerated("kind", e.kind, pb::AlarmKind_IsValid, &pb::AlarmKind_Name<pb::AlarmKind>) ||
      !enumerated("priority", e.priority, pb::Priority_IsValid, &pb::Priority_Name<pb::Priority>) ||
      !enumerated("state", e.state, pb::AlarmState_IsValid, &pb::AlarmState_Name<pb::AlarmState>) ||
      !enumerated("transition", e.transition, pb::Transition_IsValid,
                  &pb::Transition_Name<pb::Transition>)) {
    return false;
  }
  if (!str("unit", e.unit)) return false;
  quoted("onset_ms", e.onset_ms);
  quoted("at_ms", e.at_ms);
  if (!enumerated("phase", e.phase, pb::Phase_IsValid, &pb::Phase_Name<pb::Phase>)) return false;
  quoted("infusion_elapsed_ms", e.infusion_elapsed_ms);
  key("escalation_level");
  append_integer(out, e.escalation_level);
  if (!str("acknowledged_by", e.acknowledged_by) || !str("text", e.text)) return false;
  if (e.value) {
    key("value");
    append_double(out, *e.value);
  }
  if (e.limit) {
    key("limit");
    append_double(out, *e.limit);
  }
  out += '}';
  return true;
}

}  // namespace

std::string to_json_line(const core::alarm_event& e) {
  std::string line;
  if (write_json_line(e, line)) return line;
  return to_json_line_protobuf(e);
}

}  // namespace vigil::codec
