#include "ward_stream.hpp"

#include "codec/codec.hpp"
#include "ward.hpp"

namespace vigil::bench {
namespace {

constexpr core::time_ms start_ms = 1'700'000'000'000;
constexpr int cycle_s = 2 * 3600;
constexpr int stop_s = 50 * 60;
constexpr int tachycardia_s = 30 * 60;
constexpr int tachycardia_len_s = 30;
constexpr double tachycardia_bpm = 130;
constexpr int quiet_hr_variants = 64;
constexpr int tachycardia_variant = quiet_hr_variants;
constexpr int bp_variants = 4;
constexpr int started_variant = 0;
constexpr int stopped_variant = 1;

template <class T>
std::vector<std::string> encode_all(const std::vector<T>& values) {
  std::vector<std::string> bytes;
  for (const auto& v : values) bytes.push_back(codec::encode(v));
  return bytes;
}

}  // namespace

ward_stream::ward_stream(int beds) : beds_count_(beds) {
  for (int b = 0; b < beds; ++b) {
    const auto id = bed_name(b);
    beds_.push_back({id, codec::input_topic_name(prefix, id, codec::input_kind::heart_rate),
                     codec::input_topic_name(prefix, id, codec::input_kind::blood_pressure),
                     codec::input_topic_name(prefix, id, codec::input_kind::infusion)});
  }
  // Payloads are shared between beds (the engine keys on the topic's bed, not device_id).
  for (int v = 0; v < quiet_hr_variants; ++v) {
    hr_.push_back(bench::heart_rate(0, 1, quiet_bpm(0, v * 7), start_ms));
  }
  hr_.push_back(bench::heart_rate(0, 1, tachycardia_bpm, start_ms));
  for (int v = 0; v < bp_variants; ++v) {
    bp_.push_back(nibp(0, 1, quiet_systolic - v * 2, quiet_diastolic - v, start_ms));
  }
  infusion_.push_back(bench::infusion(core::infusion_kind::started, start_ms));
  infusion_.push_back(bench::infusion(core::infusion_kind::stopped, start_ms));
  hr_bytes_ = encode_all(hr_);
  bp_bytes_ = encode_all(bp_);
  infusion_bytes_ = encode_all(infusion_);
}

const std::string& ward_stream::topic(const message& m) const {
  const auto& t = beds_[idx(m.bed)];
  switch (m.kind) {
    case codec::input_kind::heart_rate: return t.heart_rate;
    case codec::input_kind::blood_pressure: return t.blood_pressure;
    default: return t.infusion;
  }
}

const std::string& ward_stream::payload(const message& m) const {
  switch (m.kind) {
    case codec::input_kind::heart_rate: return hr_bytes_[idx(m.variant)];
    case codec::input_kind::blood_pressure: return bp_bytes_[idx(m.variant)];
    default: return infusion_bytes_[idx(m.variant)];
  }
}

const ward_stream::message& ward_stream::next() {
  while (slot_pos_ == slot_len_) fill_slot();
  return slot_[idx(slot_pos_++)];
}

// The messages of one bed in one second: [infusion event] heart rate [cuff].
void ward_stream::fill_slot() {
  if (++bed_ == beds_count_) {
    bed_ = 0;
    ++second_;
  }
  slot_len_ = slot_pos_ = 0;
  const std::int64_t offset = static_cast<std::int64_t>(bed_) * cycle_s / beds_count_;
  const int c = static_cast<int>((second_ + offset) % cycle_s);
  const core::time_ms now = start_ms + second_ * 1000 + bed_ * 1000LL / beds_count_;
  auto add = [&](codec::input_kind k, int variant) {
    slot_[idx(slot_len_++)] = {k, bed_, variant, now};
  };
  if (c == 0 || (second_ == 0 && c < stop_s)) add(codec::input_kind::infusion, started_variant);
  if (c == stop_s) add(codec::input_kind::infusion, stopped_variant);
  const bool tachycardia = c >= tachycardia_s && c < tachycardia_s + tachycardia_len_s;
  add(codec::input_kind::heart_rate,
      tachycardia ? tachycardia_variant : static_cast<int>((second_ + bed_) % quiet_hr_variants));
  if (c % nibp_period_s == nibp_period_s / 2) {
    add(codec::input_kind::blood_pressure, static_cast<int>((second_ / 300 + bed_) % bp_variants));
  }
}

}  // namespace vigil::bench
