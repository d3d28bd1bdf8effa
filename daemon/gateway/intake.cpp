#include "gateway/intake.hpp"

#include <algorithm>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "hl7/pcd01.hpp"

namespace vigil::gateway {
namespace {

// Resends come within a sender's retry window (seconds to minutes); this many ids cover the
// window of a few hundred senders at one report a second.
constexpr std::size_t recent_ids = 8192;

bool accepted_code(std::string_view code) { return code == "AA" || code == "CA"; }

std::string join_rejections(const hl7::pcd01_report& r) {
  std::string out;
  for (const auto& x : r.rejections) {
    if (!out.empty()) out += "; ";
    out += x.segment;
    if (x.segment_index) out.append("#").append(std::to_string(x.segment_index));
    if (x.field) out.append("-").append(std::to_string(x.field));
    out.append(": ").append(x.text);
  }
  return out;
}

}  // namespace

intake::intake(const settings::gateway_settings& s, gateway_state& state) : s_(s), state_(state) {}

bool intake::seen_before(const std::string& application, const std::string& control_id) const {
  return !control_id.empty() && recent_.contains(std::pair{application, control_id});
}

void intake::confirm(const std::string& application, const std::string& control_id) {
  if (control_id.empty()) return;
  auto key = std::pair{application, control_id};
  if (!recent_.insert(key).second) return;
  recent_order_.push_back(std::move(key));
  if (recent_order_.size() > recent_ids) {
    recent_.erase(recent_order_.front());
    recent_order_.pop_front();
  }
}

intake::result intake::on_message(std::string_view message, core::time_ms now) {
  ++counters_.messages;
  auto r = hl7::read_pcd01(message, s_.mapping, now);
  result out;
  out.ack = r.ack;
  if (r.message_type.starts_with("ORA^R41") && status_) {
    ++counters_.status_messages;
    out.ack = status_(message);
    out.accepted = true;
    out.summary = "PCD-05 " + r.control_id + " from " + r.sending_application;
    return out;
  }
  out.accepted = accepted_code(r.ack_code);
  out.summary = r.message_type + " " + r.control_id + " from " + r.sending_application + " (" +
                r.sender + "): " + r.ack_code;
  if (!out.accepted) {
    ++counters_.rejected;
    if (!r.location.empty() && r.bed.empty()) ++counters_.unmapped;
    out.summary.append(" ").append(join_rejections(r));
    return out;
  }
  counters_.rows_rejected += r.rejections.size();
  if (!r.rejections.empty()) out.summary.append(" with rows refused: ").append(join_rejections(r));
  if (seen_before(r.sending_application, r.control_id)) {
    ++counters_.resent;
    out.summary += " (a resend: acknowledged again, not published again)";
    return out;
  }
  ++counters_.accepted;
  if (r.test_data) ++counters_.test_data;
  if (!r.bed.empty()) publish_readings(r, now, out);
  out.application = r.sending_application;
  out.control_id = r.control_id;
  if (out.publish.empty()) confirm(out.application, out.control_id);
  return out;
}

void intake::publish_readings(hl7::pcd01_report& r, core::time_ms now, result& out) {
  const auto& prefix = s_.mqtt.prefix;
  // The bed's MonitorStatus first, so vigild knows the report interval before the readings.
  const std::string device = r.devices.empty() ? r.sending_application : r.devices.front();
  auto& w = beds_[r.bed];
  const bool changed = !w.online || w.sender != r.sender || w.device != device;
  w.sender = r.sender;
  w.device = device;
  w.last_at = now;
  if (changed) {
    publish_status(r.bed, w, core::monitor_state::online, now, out.publish);
    state_.remember_bed({r.bed, w.sender, w.device});
  }
  for (auto& hr : r.heart_rates) {
    hr.seq = state_.next_seq(hr.device_id);
    out.publish.push_back({codec::input_topic_name(prefix, r.bed, codec::input_kind::heart_rate),
                           codec::encode(hr), false, 1, 0});
    ++counters_.heart_rates;
  }
  for (auto& bp : r.pressures) {
    if (bp.source == core::bp_source::nibp) {
      const auto previous = state_.last_nibp(bp.device_id, bp.source);
      if (!state_.newer_nibp(bp.device_id, bp.source, bp.measured_at_ms)) {
        ++counters_.nibp_repeats;
        continue;
      }
      out.nibp.push_back({bp.device_id, bp.source, bp.measured_at_ms, previous});
    }
    bp.seq = state_.next_seq(bp.device_id);
    out.publish.push_back(
        {codec::input_topic_name(prefix, r.bed, codec::input_kind::blood_pressure),
         codec::encode(bp), false, 1, 0});
    ++counters_.pressures;
  }
}

void intake::publish_status(const std::string& bed, bed_watch& w, core::monitor_state st,
                            core::time_ms now, std::vector<codec::outgoing>& out) {
  w.online = st == core::monitor_state::online;
  core::monitor_status m{w.device, st, now, s_.timing_of(w.sender).report_interval_ms};
  out.push_back({codec::input_topic_name(s_.mqtt.prefix, bed, codec::input_kind::monitor_status),
                 codec::encode(m), true, 1, 0});
}

void intake::give_up(const std::vector<nibp_mark>& marks) {
  for (auto it = marks.rbegin(); it != marks.rend(); ++it)
    state_.undo_nibp(it->device, it->source, it->measured_at_ms, it->previous);
}

std::vector<codec::outgoing> intake::check_silence(core::time_ms now) {
  std::vector<codec::outgoing> out;
  for (auto& [bed, w] : beds_) {
    if (!w.online || now - w.last_at < s_.timing_of(w.sender).offline_after_ms) continue;
    publish_status(bed, w, core::monitor_state::offline, now, out);
    ++counters_.offline;
  }
  return out;
}

void intake::restore(core::time_ms now) {
  for (const auto& b : state_.beds()) beds_[b.bed] = {b.sender, b.device, now, true};
}

}  // namespace vigil::gateway
