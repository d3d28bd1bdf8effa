// A Prometheus histogram with fixed buckets: observe() is a short loop over at most a dozen
// bounds and two additions, cheap enough for every commit and every loop-lag sample.
// Not thread-safe: one owner, or a copy taken under the owner's lock.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace vigil::metrics {

class histogram {
 public:
  // Upper bounds in the observed unit (seconds for durations), ascending; +Inf is implicit.
  explicit histogram(std::initializer_list<double> bounds)
      : bounds_(bounds), counts_(bounds.size()) {}

  void observe(double v) {
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
      if (v <= bounds_[i]) {
        ++counts_[i];
        break;
      }
    }
    ++count_;
    sum_ += v;
  }

  const std::vector<double>& bounds() const { return bounds_; }
  // Observations in bucket i alone (not cumulative): bounds[i-1] < v <= bounds[i].
  std::uint64_t count_in(std::size_t i) const { return counts_[i]; }
  std::uint64_t count() const { return count_; }
  double sum() const { return sum_; }

 private:
  std::vector<double> bounds_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

// Durations from 1 ms to 10 s: state commits (a sync each) and event-loop lag.
inline histogram duration_histogram() {
  return histogram{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
}

}  // namespace vigil::metrics
