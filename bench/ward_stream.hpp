// An endless, deterministic message stream of a ward of N beds on a simulated clock, for the
// engine benchmarks. Every payload is encoded once up front, so producing a message costs a
// few integer operations and no allocation: what is timed is the code under test.
//
// Every bed runs the same 2-hour cycle, staggered so that at any moment the ward holds beds in
// every stage: infusion STARTED at 0, a 30 s tachycardia of 130 /min at 30 min (HR_HIGH
// MEDIUM after the 10 s persistence, ENDED 5 s after it passes), STOPPED at 50 min, IDLE again
// 60 minutes later (a deadline), then 10 minutes idle. A heart rate every second, a cuff every
// 5 minutes. A bed whose stream begins mid-infusion is STARTED at its first second.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "codec/topics.hpp"
#include "core/types.hpp"

namespace vigil::bench {

class ward_stream {
 public:
  struct message {
    codec::input_kind kind = codec::input_kind::heart_rate;
    int bed = 0;
    int variant = 0;  // which payload of its kind
    core::time_ms now = 0;
  };

  explicit ward_stream(int beds);

  const message& next();

  // What next() refers to.
  const std::string& bed_id(const message& m) const { return beds_[idx(m.bed)].id; }
  const std::string& topic(const message& m) const;
  const std::string& payload(const message& m) const;
  const core::heart_rate& heart_rate(const message& m) const { return hr_[idx(m.variant)]; }
  const core::blood_pressure& blood_pressure(const message& m) const { return bp_[idx(m.variant)]; }
  const core::infusion_event& infusion(const message& m) const { return infusion_[idx(m.variant)]; }

 private:
  static std::size_t idx(int i) { return static_cast<std::size_t>(i); }
  void fill_slot();

  struct bed_topics {
    std::string id, heart_rate, blood_pressure, infusion;
  };
  int beds_count_;
  std::vector<bed_topics> beds_;
  std::vector<core::heart_rate> hr_;
  std::vector<core::blood_pressure> bp_;
  std::vector<core::infusion_event> infusion_;
  std::vector<std::string> hr_bytes_, bp_bytes_, infusion_bytes_;

  std::int64_t second_ = 0;
  int bed_ = -1;
  std::array<message, 3> slot_{};
  int slot_len_ = 0;
  int slot_pos_ = 0;
};

}  // namespace vigil::bench
