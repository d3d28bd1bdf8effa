#include "metrics/exposition.hpp"

#include <charconv>
#include <cmath>
#include <vector>

namespace vigil::metrics {

namespace {

std::string_view type_name(family_type t) {
  switch (t) {
    case family_type::counter: return "counter";
    case family_type::gauge: return "gauge";
    case family_type::histogram: return "histogram";
  }
  return "untyped";
}

// HELP text: backslash and newline escaped.
std::string escape_help(std::string_view v) {
  std::string out;
  for (const char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
    return {buf, r.ptr};
  }
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round trip
  return {buf, r.ptr};
}

std::string escape_label_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (const char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void exposition::family(std::string_view name, family_type type, std::string_view help) {
  name_ = name;
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  out_ += escape_help(help);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type_name(type);
  out_ += '\n';
}

void exposition::sample(double value, std::initializer_list<label> labels) {
  sample(value, std::span<const label>(labels.begin(), labels.size()));
}

void exposition::sample(double value, std::span<const label> labels) {
  write_sample("", labels, {}, {}, value);
}

void exposition::sample(const histogram& h, std::initializer_list<label> labels) {
  const std::span<const label> ls(labels.begin(), labels.size());
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < h.bounds().size(); ++i) {
    cumulative += h.count_in(i);
    write_sample("_bucket", ls, "le", format_value(h.bounds()[i]), static_cast<double>(cumulative));
  }
  write_sample("_bucket", ls, "le", "+Inf", static_cast<double>(h.count()));
  write_sample("_sum", ls, {}, {}, h.sum());
  write_sample("_count", ls, {}, {}, static_cast<double>(h.count()));
}

void exposition::write_sample(std::string_view suffix, std::span<const label> labels,
                              std::string_view extra_name, std::string_view extra_value,
                              double value) {
  out_ += name_;
  out_ += suffix;
  if (!labels.empty() || !extra_name.empty()) {
    out_ += '{';
    bool first = true;
    auto add = [&](std::string_view k, std::string_view v) {
      if (!first) out_ += ',';
      first = false;
      out_ += k;
      out_ += "=\"";
      out_ += escape_label_value(v);
      out_ += '"';
    };
    for (const auto& [k, v] : labels) add(k, v);
    if (!extra_name.empty()) add(extra_name, extra_value);
    out_ += '}';
  }
  out_ += ' ';
  out_ += format_value(value);
  out_ += '\n';
}

}  // namespace vigil::metrics
