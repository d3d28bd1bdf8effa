// Prometheus' text exposition format (version 0.0.4), written: one family at a time, a
// "# HELP" and a "# TYPE" line, then its samples. Names follow Prometheus' conventions (the
// caller's job: `vigil_` prefix, `_total` counters, base units); label values are escaped
// here. Pure: no clock, no I/O.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "metrics/histogram.hpp"

namespace vigil::metrics {

using label = std::pair<std::string_view, std::string_view>;

enum class family_type : std::uint8_t { counter, gauge, histogram };

class exposition {
 public:
  // Starts a family. Every sample up to the next family() belongs to it.
  void family(std::string_view name, family_type type, std::string_view help);
  // One sample of the current family (counter or gauge): name{labels} value.
  void sample(double value, std::initializer_list<label> labels = {});
  void sample(double value, std::span<const label> labels);
  // The current family is a histogram: its _bucket (cumulative, le="+Inf" last), _sum, _count.
  void sample(const histogram& h, std::initializer_list<label> labels = {});

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void write_sample(std::string_view suffix, std::span<const label> labels,
                    std::string_view extra_name, std::string_view extra_value, double value);

  std::string out_;
  std::string name_;
};

// A number as Prometheus reads it: integers without a decimal point, "+Inf", "NaN".
std::string format_value(double v);
// A label value with \, " and newline escaped.
std::string escape_label_value(std::string_view v);

}  // namespace vigil::metrics
