#include "pair_bench_figures.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <regex>
#include <sstream>

#include "http_get.hpp"

namespace vigil::bench::pair {

using namespace std::chrono_literals;

// ---- figures ----

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

std::string fmt(double v, int decimals) {
  if (std::isnan(v)) return "–";
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

scrape read_metrics(int port) {
  scrape s;
  if (port <= 0) return s;
  const auto reply = test::http_get(port, "/metrics");
  if (!reply || reply->status != 200) return s;
  std::istringstream in(reply->body);
  std::string line;
  const std::string hist = "vigil_state_commit_duration_seconds";
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    const double value = std::strtod(line.c_str() + space + 1, nullptr);
    const auto name = line.substr(0, line.find_first_of("{ "));
    if (name == hist + "_bucket") {
      const auto le = line.find("le=\"");
      const auto text = line.substr(le + 4, line.find('"', le + 4) - le - 4);
      s.buckets.emplace_back(text == "+Inf" ? INFINITY : std::strtod(text.c_str(), nullptr), value);
    } else if (name == hist + "_sum") {
      s.commit_sum = value;
    } else if (name == hist + "_count") {
      s.commit_count = value;
    } else if (line.find('{') == std::string::npos) {
      s.values[name] = value;
    }
  }
  return s;
}

// The bucket bound under which a fraction q of the commits between two scrapes fell.
double commit_quantile_bound(const scrape& before, const scrape& after, double q) {
  const double total = after.commit_count - before.commit_count;
  if (total <= 0 || before.buckets.size() != after.buckets.size()) return NAN;
  for (std::size_t i = 0; i < after.buckets.size(); ++i) {
    if (after.buckets[i].second - before.buckets[i].second >= q * total) {
      return after.buckets[i].first;
    }
  }
  return INFINITY;
}

// The wall-clock ms of the last log line containing `text` ("2026-12-03 04:47:33.123 [info] ..."
// in local time, spdlog's default), or -1.
std::int64_t log_line_ms(const std::string& log, const std::string& text) {
  const auto at = log.rfind(text);
  if (at == std::string::npos) return -1;
  const auto line = log.rfind('\n', at);
  const auto start = line == std::string::npos ? 0 : line + 1;
  std::tm tm{};
  int ms = 0;
  if (std::sscanf(log.c_str() + start, "%d-%d-%d %d:%d:%d.%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7) {
    return -1;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  tm.tm_isdst = -1;
  return static_cast<std::int64_t>(std::mktime(&tm)) * 1000 + ms;
}

int metrics_port(const test::vigild_process& p) {
  static const std::regex serving(R"(metrics: serving http://127\.0\.0\.1:(\d+)/metrics)");
  if (!p.wait_log("metrics: serving", 10s)) return -1;
  // A standby serves its own endpoint and the leader it turns into a new one: the last line.
  const auto log = p.log();
  int port = -1;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), serving);
       it != std::sregex_iterator(); ++it) {
    port = std::stoi((*it)[1]);
  }
  return port;
}

void print_tables(const options& o, const std::vector<subject_result>& results) {
  std::cout << "\n### Takeover after kill -9 of the leader, " << o.kills << " kills, " << o.beds
            << " beds at one heart rate/s (QoS 1)\n\n"
            << "| subject | kills | kill → ONLINE, p50 / max (ms) | kill → first new alarm event, "
               "p50 / max (ms) | kill → the queued probe's RAISED, p50 / max (ms) | restart → "
               "STANDBY, p50 / max (ms) | kill → lock taken (standby's log), p50 / max (ms) | "
               "readings queued while nobody led, p50 / max (est.) |\n"
            << "|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& r : results) {
    const auto& k = r.kills;
    const auto pm = [](const std::vector<double>& v) {
      return v.empty() ? std::string("–") : fmt(percentile(v, .5)) + " / " + fmt(percentile(v, 1));
    };
    std::vector<double> queued;
    for (double ms : k.online_ms) queued.push_back(ms * r.loadgen_rate / 1000);
    std::cout << "| " << r.name << " | " << k.online_ms.size() << " | " << pm(k.online_ms) << " | "
              << pm(k.first_event_ms) << " | " << pm(k.probe_ms) << " | " << pm(k.rejoin_ms)
              << " | " << pm(k.lock_ms) << " | " << pm(queued) << " |\n";
  }
  for (const auto& r : results) {
    if (!r.store_settings.empty()) std::cout << "\nPostgreSQL: " << r.store_settings << ".\n";
  }
  std::cout << "\n### Events over the whole run (latency phase and kills)\n\n"
            << "| subject | beds with events | events | lost (gaps in event_seq) | repeats | "
               "repeats with other bytes |\n|---|---:|---:|---:|---:|---:|\n";
  for (const auto& r : results) {
    std::cout << "| " << r.name << " | " << r.seqs.beds << " | " << r.seqs.events << " | "
              << r.seqs.lost << " | " << r.seqs.repeats << " | " << r.seqs.different_repeats
              << " |\n";
  }
  std::cout << "\n### Alarm latency of the one leading, " << o.beds
            << " beds: raising NIBP published → RAISED received\n\n"
            << "| subject | alarms | missed | p50 (ms) | p99 (ms) | max (ms) | readings/s | CPU "
               "per reading (µs) | commits/s | commit mean (ms) | commit p50 / p99 (≤ bucket, "
               "ms) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& r : results) {
    const auto& l = r.latency;
    std::cout << "| " << r.name << " | " << l.ms.size() << " | " << l.missed << " | "
              << fmt(percentile(l.ms, .5), 1) << " | " << fmt(percentile(l.ms, .99), 1) << " | "
              << fmt(percentile(l.ms, 1), 1) << " | " << fmt(l.readings_per_s) << " | "
              << fmt(l.cpu_us_per_reading, 1) << " | " << fmt(l.commits_per_s) << " | "
              << fmt(l.commit_mean_ms, 2) << " | " << fmt(l.commit_p50_bound_ms, 1) << " / "
              << fmt(l.commit_p99_bound_ms, 1) << " |\n";
  }
}

}  // namespace vigil::bench::pair
