#include "replay/session_csv.hpp"

#include <algorithm>
#include <boost/tokenizer.hpp>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

#include "core/conditions.hpp"

namespace vigil::replay {
namespace {

// The conditions an `ack` can name: the alarms of alarms.md sections 5 and 6 (notices have
// nothing to acknowledge). Checked here so a typo fails the import instead of playing an ack
// that can never match.
bool ackable(std::string_view condition) {
  const auto c = core::condition_named(condition);
  return c && core::index(*c) < core::alarm_condition_count;
}

constexpr std::string_view spaces = " \t";

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(spaces);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(spaces) - b + 1);
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; (i = s.find_first_not_of(spaces, i)) != std::string_view::npos;) {
    const std::size_t end = std::min(s.find_first_of(spaces, i), s.size());
    out.push_back(s.substr(i, end - i));
    i = end;
  }
  return out;
}

// Appends rather than `"\"" + std::string(s)`, which GCC 12 -O2 flags with a false -Wrestrict.
std::string quoted(std::string_view s) {
  std::string out(1, '"');
  out.append(s);
  out.push_back('"');
  return out;
}

struct column_index {
  std::optional<std::size_t> time, hr, sbp, dbp, map, source, event;
};

class parser {
 public:
  parser(std::string_view file, const csv_options& opts) : file_(file), opts_(opts) {}

  csv_result run(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // spreadsheet BOM
    bool have_header = false;
    for (std::size_t pos = 0; pos < text.size();) {
      const std::size_t end = std::min(text.find('\n', pos), text.size());
      std::string_view line = text.substr(pos, end - pos);
      pos = end + 1;
      ++line_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (trim(line).empty()) continue;
      auto fields = split(line);
      if (!fields) continue;
      if (!have_header) {
        have_header = true;
        if (!header(*fields)) break;
      } else {
        row(*fields);
      }
    }
    if (!have_header) error(std::max<std::size_t>(line_, 1), 0, "empty file: no header row");
    if (!result_.errors.empty()) result_.items.clear();
    return std::move(result_);
  }

 private:
  void error(std::size_t line, std::size_t column, std::string message) {
    std::string name = column > 0 && column <= names_.size() ? names_[column - 1] : "";
    result_.errors.push_back(
        {std::string(file_), line, column, std::move(name), std::move(message)});
  }
  void error_at(std::size_t index, std::string message) {
    error(line_, index + 1, std::move(message));
  }

  std::optional<std::vector<std::string>> split(std::string_view line) {
    using separator = boost::escaped_list_separator<char>;
    const std::string copy(line);
    std::vector<std::string> fields;
    try {
      for (const auto& f : boost::tokenizer<separator>(copy)) fields.emplace_back(trim(f));
    } catch (const boost::escaped_list_error& e) {
      error(line_, fields.size() + 1, std::string("bad quoting: ") + e.what());
      return std::nullopt;
    }
    return fields;
  }

  bool header(const std::vector<std::string>& fields) {
    names_ = fields;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const std::string& n = fields[i];
      auto* slot = n == "time_s"      ? &cols_.time
                   : n == "hr_bpm"    ? &cols_.hr
                   : n == "sbp_mmhg"  ? &cols_.sbp
                   : n == "dbp_mmhg"  ? &cols_.dbp
                   : n == "map_mmhg"  ? &cols_.map
                   : n == "bp_source" ? &cols_.source
                   : n == "event"     ? &cols_.event
                                      : nullptr;  // other columns are ignored by contract
      if (slot == nullptr) continue;
      if (*slot) {
        error_at(i, "duplicate column (first at column " + std::to_string(**slot + 1) + ")");
      } else {
        *slot = i;
      }
    }
    if (!cols_.time) error(line_, 0, "no time_s column in the header");
    return result_.errors.empty();
  }

  static std::string_view cell(const std::vector<std::string>& f, std::optional<std::size_t> c) {
    return c ? std::string_view(f[*c]) : std::string_view{};
  }

  // Empty cell: nullopt, no error. `ok` turns false on a malformed cell.
  std::optional<double> number(const std::vector<std::string>& f, std::optional<std::size_t> c,
                               bool& ok) {
    const std::string_view s = cell(f, c);
    if (s.empty()) return std::nullopt;
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(v)) {
      error_at(*c, quoted(s) + " is not a number");
      ok = false;
      return std::nullopt;
    }
    return v;
  }

  void row(const std::vector<std::string>& f) {
    if (f.size() != names_.size()) {
      error(line_, std::min(f.size(), names_.size()) + 1,
            "row has " + std::to_string(f.size()) + " fields, the header has " +
                std::to_string(names_.size()));
      return;
    }
    bool ok = true;
    const auto time_s = number(f, cols_.time, ok);
    std::optional<core::time_ms> t;
    if (ok && !time_s) {
      error_at(*cols_.time, "empty: every row needs a time");
    } else if (ok && *time_s < 0) {
      error_at(*cols_.time, quoted(f[*cols_.time]) + " is negative");
    } else if (ok && last_time_s_ && *time_s < *last_time_s_) {
      error_at(*cols_.time,
               quoted(f[*cols_.time]) + " is before the previous row's time_s " + last_time_text_);
    } else if (ok) {
      last_time_s_ = time_s;
      last_time_text_ = f[*cols_.time];
      t = opts_.start_ms + std::llround(*time_s * 1000.0);
    }
    ok = true;  // keep checking the other cells so every error is reported
    const auto hr = number(f, cols_.hr, ok);
    const auto sbp = number(f, cols_.sbp, ok);
    const auto dbp = number(f, cols_.dbp, ok);
    const auto map = number(f, cols_.map, ok);
    const std::string_view source = cell(f, cols_.source);
    if (!source.empty() && source != "nibp" && source != "arterial") {
      error_at(*cols_.source, quoted(source) + " is not a bp_source (nibp or arterial)");
    }
    if (sbp && !dbp) error_at(*cols_.sbp, "sbp_mmhg without dbp_mmhg");
    if (dbp && !sbp) error_at(*cols_.dbp, "dbp_mmhg without sbp_mmhg");
    if (map && !(sbp && dbp)) error_at(*cols_.map, "map_mmhg without sbp_mmhg and dbp_mmhg");
    auto event = parse_event(cell(f, cols_.event), t.value_or(0));
    if (!t) return;

    if (hr) {
      core::heart_rate m;
      m.device_id = device_id();
      m.measured_at_ms = *t;
      m.seq = ++seq_;
      m.bpm = *hr;
      push(*t, std::move(m));
    }
    if (sbp && dbp) {
      core::blood_pressure m;
      m.device_id = device_id();
      m.measured_at_ms = *t;
      m.seq = ++seq_;
      m.systolic_mmhg = *sbp;
      m.diastolic_mmhg = *dbp;
      m.mean_mmhg = map;
      m.source = source == "arterial" ? core::bp_source::arterial : core::bp_source::nibp;
      push(*t, std::move(m));
    }
    if (event) push(*t, std::move(*event));
  }

  void push(core::time_ms t, csv_message m) { result_.items.push_back({t, std::move(m)}); }
  std::string device_id() const { return "csv:" + opts_.bed; }

  std::optional<csv_message> parse_event(std::string_view text, core::time_ms t) {
    const auto w = words(text);
    if (w.empty()) return std::nullopt;
    const std::size_t col = *cols_.event;
    const std::string_view name = w[0];
    const auto no_arguments = [&]() {
      if (w.size() == 1) return true;
      error_at(col, quoted(name) + " takes no arguments, got " + quoted(w[1]));
      return false;
    };
    if (name == "infusion_started") return started(w, t);
    if (name == "infusion_paused" || name == "infusion_resumed" || name == "infusion_stopped") {
      if (!no_arguments()) return std::nullopt;
      core::infusion_event m;
      m.kind = name == "infusion_paused"    ? core::infusion_kind::paused
               : name == "infusion_resumed" ? core::infusion_kind::resumed
                                            : core::infusion_kind::stopped;
      m.at_ms = t;
      m.session_id = session_;
      return m;
    }
    if (name == "monitor_offline" || name == "monitor_online") {
      if (!no_arguments()) return std::nullopt;
      core::monitor_status m;
      m.device_id = device_id();
      m.state =
          name == "monitor_offline" ? core::monitor_state::offline : core::monitor_state::online;
      m.at_ms = t;
      return m;
    }
    if (name == "ack") return ack(w, t);
    error_at(col, quoted(name) +
                      " is not an event (infusion_started, infusion_paused, infusion_resumed, "
                      "infusion_stopped, monitor_offline, monitor_online, ack)");
    return std::nullopt;
  }

  // key=value arguments after the first `skip` words; nullopt after reporting a bad one.
  std::optional<std::vector<std::pair<std::string_view, std::string_view>>> arguments(
      const std::vector<std::string_view>& w, std::size_t skip,
      std::initializer_list<std::string_view> allowed) {
    std::vector<std::pair<std::string_view, std::string_view>> out;
    bool ok = true;
    for (std::size_t i = skip; i < w.size(); ++i) {
      const auto eq = w[i].find('=');
      const std::string_view key = w[i].substr(0, eq);
      if (eq == std::string_view::npos || eq + 1 == w[i].size() ||
          std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string expected;
        for (auto a : allowed) expected += (expected.empty() ? "" : ", ") + std::string(a) + "=...";
        error_at(*cols_.event, quoted(w[i]) + " is not an argument of " + quoted(w[0]) +
                                   " (expected " + expected + ")");
        ok = false;
      } else if (std::any_of(out.begin(), out.end(), [&](auto& kv) { return kv.first == key; })) {
        error_at(*cols_.event, quoted(key) + " given twice");
        ok = false;
      } else {
        out.emplace_back(key, w[i].substr(eq + 1));
      }
    }
    if (!ok) return std::nullopt;
    return out;
  }

  std::optional<csv_message> started(const std::vector<std::string_view>& w, core::time_ms t) {
    const auto args = arguments(w, 1, {"planned_minutes", "session"});
    if (!args) return std::nullopt;
    core::infusion_event m;
    m.kind = core::infusion_kind::started;
    m.at_ms = t;
    m.session_id = opts_.bed + "-" + std::to_string(++sessions_);
    bool planned = false;
    for (const auto& [key, value] : *args) {
      if (key == "session") {
        m.session_id = value;
        continue;
      }
      const auto [end, ec] =
          std::from_chars(value.data(), value.data() + value.size(), m.planned_minutes);
      if (ec != std::errc{} || end != value.data() + value.size() || m.planned_minutes == 0) {
        error_at(*cols_.event, "planned_minutes " + quoted(value) + " is not a whole number > 0");
        return std::nullopt;
      }
      planned = true;
    }
    if (!planned) {
      error_at(*cols_.event, "infusion_started needs planned_minutes=N");
      return std::nullopt;
    }
    session_ = m.session_id;
    return m;
  }

  std::optional<csv_message> ack(const std::vector<std::string_view>& w, core::time_ms t) {
    if (w.size() < 2) {
      error_at(*cols_.event, "ack needs a CONDITION, e.g. \"ack SBP_HIGH by=nurse\"");
      return std::nullopt;
    }
    const std::string_view condition = w[1];
    if (!ackable(condition)) {
      error_at(*cols_.event,
               quoted(condition) + " is not an alarm condition that can be acknowledged");
      return std::nullopt;
    }
    const auto args = arguments(w, 2, {"by"});
    if (!args) return std::nullopt;
    core::alarm_ack m;
    m.alarm_id = opts_.bed + ":" + std::string(condition) + std::string(unresolved_ack_suffix);
    m.by = args->empty() ? "csv" : std::string(args->front().second);
    m.at_ms = t;
    return m;
  }

  std::string_view file_;
  const csv_options& opts_;
  std::vector<std::string> names_;
  column_index cols_;
  std::size_t line_ = 0;
  std::optional<double> last_time_s_;
  std::string last_time_text_;
  std::uint64_t seq_ = 0;
  std::uint32_t sessions_ = 0;
  std::string session_;
  csv_result result_;
};

}  // namespace

std::string csv_error::to_string() const {
  std::string s = file + ":" + std::to_string(line) + ":";
  if (column > 0) s += std::to_string(column) + ":";
  if (!column_name.empty()) s += " " + column_name + ":";
  return s + " " + message;
}

csv_result parse_session_csv(std::string_view text, std::string_view file_name,
                             const csv_options& opts) {
  return parser(file_name, opts).run(text);
}

}  // namespace vigil::replay
