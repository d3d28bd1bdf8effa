#include "record/burden_format.hpp"

#include "record/json_quote.hpp"

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <vector>

#include "core/names.hpp"

namespace vigil::record {

namespace {

// v with up to `places` decimals; trailing zeros (and a bare point) dropped when `trim`.
std::string decimal(double v, int places, bool trim) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  std::string s = buf;
  if (trim && s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string plain(double v) { return decimal(v, 4, true); }

std::string priority_label(core::priority p) {
  return p == core::priority::unspecified ? "ALL" : std::string(core::name(p));
}

std::string condition_label(const std::string& c) { return c.empty() ? "ALL" : c; }

std::size_t highest_level_column(const burden_report& r) {
  return std::max<std::size_t>(4, r.total.escalations_by_level.size());
}

// ---- table ----

std::string or_dash(const std::optional<double>& v, int places) {
  return v ? decimal(*v, places, false) : "-";
}

std::string percent(const std::optional<double>& v) {
  return v ? decimal(*v * 100, 1, false) + "%" : "-";
}

std::vector<std::string> table_cells(const burden_row& row) {
  const auto& f = row.figures;
  return {condition_label(row.condition), priority_label(row.priority),
          std::to_string(f.alarms),       std::to_string(f.idle),
          or_dash(f.per_bed_hour, 3),     std::to_string(f.priority_rose),
          std::to_string(f.acknowledged), percent(f.share_acknowledged),
          or_dash(f.ack_median_s, 1),     or_dash(f.ack_p90_s, 1),
          std::to_string(f.nuisance),     percent(f.share_nuisance),
          std::to_string(f.escalations),  decimal(f.minutes_in_alarm, 1, false),
          std::to_string(f.notices)};
}

}  // namespace

std::string iso_utc(core::time_ms t) {
  // Days to a civil date: H. Hinnant's days_from_civil inverse (proleptic Gregorian).
  constexpr core::time_ms day_ms = 86'400'000;
  auto z = t / day_ms;
  auto ms = t % day_ms;
  if (ms < 0) ms += day_ms, --z;
  z += 719'468;
  const auto era = (z >= 0 ? z : z - 146'096) / 146'097;
  const auto doe = z - era * 146'097;
  const auto yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  const auto doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const auto mp = (5 * doy + 2) / 153;
  const auto d = doy - (153 * mp + 2) / 5 + 1;
  const auto m = mp < 10 ? mp + 3 : mp - 9;
  const auto y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(ms / 3'600'000), static_cast<long long>(ms / 60'000 % 60),
                static_cast<long long>(ms / 1000 % 60));
  std::string s = buf;
  if (ms % 1000 != 0) {
    std::snprintf(buf, sizeof buf, ".%03lld", static_cast<long long>(ms % 1000));
    s += buf;
  }
  return s + "Z";
}

std::string format_table(const burden_report& r) {
  std::string out = "Alarm burden " + iso_utc(r.since_ms) + " to " + iso_utc(r.until_ms) + ", " +
                    (r.bed ? "bed " + *r.bed : std::string("all beds")) + ": " +
                    decimal(r.bed_hours, 2, false) + " bed-hours monitored in " +
                    std::to_string(r.sessions) + (r.sessions == 1 ? " session\n" : " sessions\n");
  std::vector<std::vector<std::string>> rows{
      {"condition", "priority", "alarms", "idle", "/bed-h", "rose", "acked", "acked%", "ack p50 s",
       "ack p90 s", "nuisance", "nuis%", "escal", "min in alarm", "notices"}};
  std::vector<std::size_t> rules;  // a rule line before these rows
  const auto section = [&](const std::vector<burden_row>& part) {
    if (part.empty()) return;
    rules.push_back(rows.size());
    for (const auto& row : part) rows.push_back(table_cells(row));
  };
  section(r.cells);
  section(r.by_condition);
  section(r.by_priority);
  section({{"", core::priority::unspecified, r.total}});

  std::vector<std::size_t> width(rows.front().size(), 0);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::size_t line = 0;
  for (const auto w : width) line += w + 2;
  line -= 2;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (std::find(rules.begin(), rules.end(), i) != rules.end())
      out += std::string(line, '-') + "\n";
    std::string text;
    for (std::size_t c = 0; c < rows[i].size(); ++c) {
      const auto pad = std::string(width[c] - rows[i][c].size(), ' ');
      if (c > 0) text += "  ";
      text += c < 2 ? rows[i][c] + pad : pad + rows[i][c];  // names left, figures right
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  }

  out += "Escalations by level:";
  const auto& levels = r.total.escalations_by_level;
  bool any = false;
  for (std::size_t level = 0; level < levels.size(); ++level) {
    if (levels[level] == 0) continue;
    out += (any ? ", " : " ") + std::to_string(level) + ": " + std::to_string(levels[level]);
    any = true;
  }
  out += any ? "\n" : " none\n";
  return out +
         "/bed-h: alarms raised in a session per bed-hour monitored; rose: raised below the "
         "priority counted\nack p50/p90: s from onset, nearest rank; nuisance: ended within " +
         std::to_string(nuisance_max_ms / 1000) + " s, unacknowledged; -: not defined\n";
}

namespace {

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string q = "\"";
  for (const char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string csv_optional(const std::optional<double>& v) { return v ? plain(*v) : ""; }

}  // namespace

std::string format_csv(const burden_report& r) {
  const auto levels = highest_level_column(r);
  std::string out =
      "window_start,window_end,bed,bed_hours,condition,priority,alarms,in_session,idle,"
      "per_bed_hour,priority_rose,acknowledged,share_acknowledged,ack_median_s,ack_p90_s,"
      "nuisance,share_nuisance,escalations";
  for (std::size_t l = 0; l < levels; ++l) out += ",escalations_level_" + std::to_string(l);
  out += ",minutes_in_alarm,notices\r\n";
  const std::string lead = iso_utc(r.since_ms) + "," + iso_utc(r.until_ms) + "," +
                           csv_field(r.bed.value_or("")) + "," + plain(r.bed_hours) + ",";
  const auto row = [&](const std::string& condition, core::priority p, const burden_figures& f) {
    out += lead + csv_field(condition_label(condition)) + "," + priority_label(p) + "," +
           std::to_string(f.alarms) + "," + std::to_string(f.in_session) + "," +
           std::to_string(f.idle) + "," + csv_optional(f.per_bed_hour) + "," +
           std::to_string(f.priority_rose) + "," + std::to_string(f.acknowledged) + "," +
           csv_optional(f.share_acknowledged) + "," + csv_optional(f.ack_median_s) + "," +
           csv_optional(f.ack_p90_s) + "," + std::to_string(f.nuisance) + "," +
           csv_optional(f.share_nuisance) + "," + std::to_string(f.escalations);
    // Appended piece by piece: GCC 12 at -O2 warns (-Wrestrict, a false positive) on
    // "literal" + std::string&&.
    for (std::size_t l = 0; l < levels; ++l) {
      out += ',';
      out += std::to_string(l < f.escalations_by_level.size() ? f.escalations_by_level[l] : 0);
    }
    out += "," + plain(f.minutes_in_alarm) + "," + std::to_string(f.notices) + "\r\n";
  };
  for (const auto& c : r.cells) row(c.condition, c.priority, c.figures);
  row("", core::priority::unspecified, r.total);
  return out;
}

namespace {

std::string json_optional(const std::optional<double>& v) { return v ? plain(*v) : "null"; }

std::string json_figures(const burden_figures& f) {
  std::string levels;
  for (const auto n : f.escalations_by_level) {
    if (!levels.empty()) levels += ',';
    levels += std::to_string(n);  // appended: see format_csv on GCC 12's -Wrestrict
  }
  return "\"alarms\":" + std::to_string(f.alarms) +
         ",\"in_session\":" + std::to_string(f.in_session) + ",\"idle\":" + std::to_string(f.idle) +
         ",\"per_bed_hour\":" + json_optional(f.per_bed_hour) +
         ",\"priority_rose\":" + std::to_string(f.priority_rose) +
         ",\"acknowledged\":" + std::to_string(f.acknowledged) +
         ",\"share_acknowledged\":" + json_optional(f.share_acknowledged) +
         ",\"ack_median_s\":" + json_optional(f.ack_median_s) +
         ",\"ack_p90_s\":" + json_optional(f.ack_p90_s) +
         ",\"nuisance\":" + std::to_string(f.nuisance) +
         ",\"share_nuisance\":" + json_optional(f.share_nuisance) +
         ",\"escalations\":" + std::to_string(f.escalations) + ",\"escalations_by_level\":[" +
         levels + "],\"minutes_in_alarm\":" + plain(f.minutes_in_alarm) +
         ",\"notices\":" + std::to_string(f.notices);
}

std::string json_rows(const std::vector<burden_row>& rows, bool condition, bool priority) {
  std::string out = "[";
  for (const auto& row : rows) {
    if (out.size() > 1) out += ",";
    out += "{";
    if (condition) out += "\"condition\":" + json_quote(row.condition) + ",";
    if (priority) out += "\"priority\":" + json_quote(core::name(row.priority)) + ",";
    out += json_figures(row.figures) + "}";
  }
  return out + "]";
}

}  // namespace

std::string format_json(const burden_report& r) {
  return "{\"since\":" + json_quote(iso_utc(r.since_ms)) +
         ",\"until\":" + json_quote(iso_utc(r.until_ms)) +
         ",\"since_ms\":" + std::to_string(r.since_ms) +
         ",\"until_ms\":" + std::to_string(r.until_ms) +
         ",\"bed\":" + (r.bed ? json_quote(*r.bed) : std::string("null")) +
         ",\"bed_hours\":" + plain(r.bed_hours) + ",\"sessions\":" + std::to_string(r.sessions) +
         ",\"nuisance_max_s\":" + std::to_string(nuisance_max_ms / 1000) +
         ",\"cells\":" + json_rows(r.cells, true, true) +
         ",\"by_condition\":" + json_rows(r.by_condition, true, false) +
         ",\"by_priority\":" + json_rows(r.by_priority, false, true) + ",\"total\":{" +
         json_figures(r.total) + "}}\n";
}

}  // namespace vigil::record
