// vigilctl history and vigilctl burden: the record, asked of vigild through the broker.
#include <spdlog/fmt/fmt.h>

#include "codec/codec.hpp"
#include "ctl/ask.hpp"
#include "ctl/commands.hpp"
#include "ctl/lines.hpp"
#include "record/burden.hpp"
#include "record/burden_format.hpp"

namespace vigil::ctl {

namespace {

std::string csv_field(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (const char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string optional_number(const std::optional<double>& v) {
  return v ? fmt::format("{:g}", *v) : std::string();
}

void print_history(const std::vector<core::alarm_event>& events, out_format f) {
  if (f == out_format::json) {
    for (const auto& e : events) print_line(codec::to_json_line(e));
    return;
  }
  if (f == out_format::csv) {
    print_line(
        "at,bed_id,event_seq,alarm_id,session_id,condition,priority,state,transition,value,"
        "limit,unit,onset,escalation_level,acknowledged_by,text");
    for (const auto& e : events) {
      print_line(fmt::format(
          "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}", record::iso_utc(e.at_ms),
          csv_field(e.bed_id), e.event_seq, csv_field(e.alarm_id), csv_field(e.session_id),
          e.condition, word(e.priority), word(e.state), word(e.transition),
          optional_number(e.value), optional_number(e.limit), e.unit, record::iso_utc(e.onset_ms),
          e.escalation_level, csv_field(e.acknowledged_by), csv_field(e.text)));
    }
    return;
  }
  for (const auto& e : events) {
    std::string line =
        fmt::format("{} {:<12} #{:<4} {:<6} {:<12} {}", record::iso_utc(e.at_ms), e.bed_id,
                    e.event_seq, word(e.priority), word(e.transition), e.text);
    if (!e.acknowledged_by.empty()) line += " (acknowledged by " + e.acknowledged_by + ")";
    print_line(line + " [" + e.alarm_id + "]");
  }
  if (events.empty()) print_line("no alarm events in this window");
}

std::chrono::milliseconds timeout_of(double seconds) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

}  // namespace

int run_history(const common_args& c, const history_args& a) {
  asker ask(c.broker, c.prefix);
  codec::history_request r;
  r.bed_id = a.bed.value_or("");
  r.session_id = a.session.value_or("");
  r.since_ms = a.since_ms.value_or(0);
  r.until_ms = a.until_ms.value_or(0);
  const auto answer = ask.ask_all(r, timeout_of(a.timeout_s));
  print_history(answer.events, a.format);
  return exit_ok;
}

int run_burden(const common_args& c, const burden_args& a) {
  asker ask(c.broker, c.prefix);
  codec::history_request r;
  r.bed_id = a.bed.value_or("");
  r.since_ms = a.since_ms;
  r.until_ms = a.until_ms.value_or(0);
  const auto answer = ask.ask_all(r, timeout_of(a.timeout_s));
  const core::time_ms until = a.until_ms.value_or(answer.at_ms);
  const auto report =
      record::compute_burden(answer.events, answer.sessions, a.since_ms, until, a.bed);
  switch (a.format) {
    case out_format::table: std::fputs(record::format_table(report).c_str(), stdout); break;
    case out_format::csv: std::fputs(record::format_csv(report).c_str(), stdout); break;
    case out_format::json: std::fputs(record::format_json(report).c_str(), stdout); break;
  }
  std::fflush(stdout);
  return exit_ok;
}

}  // namespace vigil::ctl
