#include "e2e_processes.hpp"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <fstream>
#include <regex>
#include <sstream>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "e2e_common.hpp"
#include "ward.hpp"

namespace vigil::bench {
namespace {

constexpr const char* instance = "bench";

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// A client process is started through env(1) with the TCP_NODELAY shim preloaded when asked
// (env execs the program, so the PID is the program's).
std::vector<std::string> client_command(const std::string& tcp_nodelay_shim) {
  if (tcp_nodelay_shim.empty()) return {};
  return {"/usr/bin/env", "LD_PRELOAD=" + tcp_nodelay_shim};
}

std::int64_t first_number(const std::string& text, const std::regex& re, int group = 1) {
  std::smatch m;
  if (!std::regex_search(text, m, re)) return -1;
  return std::stoll(m[group]);
}

std::string arg(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

void read_report(const std::string& text, generator_report& r) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string tag, kind;
    words >> tag;
    std::int64_t a = 0, b = 0;
    if (tag == "probe" && words >> kind >> a >> b) {
      const auto bed = bed_name(static_cast<int>(a));
      if (kind == probe_nibp_tag) r.nibp_probes[bed] = b;
      else r.hr_probes[bed].push_back(b);
    } else if (tag == "sent" && words >> a) {
      r.sent += a;
    } else if (tag == "window_sent" && words >> a) {
      r.window_sent += a;
    } else if (tag == "failed" && words >> a) {
      r.failed += a;
    } else if (tag == "late_us" && words >> a) {
      r.late_us = std::max(r.late_us, a);
    } else if (tag == "first_failure" || tag == "vigil_loadgen:") {
      r.problem = "load generator: " + line;
    }
  }
}

}  // namespace

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

subject_counts parse_subject_output(subject_kind kind, const std::string& text) {
  subject_counts c;
  switch (kind) {
    case subject_kind::republisher:
      c.received = first_number(text, std::regex(R"(received (\d+))"));
      return c;
    case subject_kind::min_subscriber:
      c.received = first_number(text, std::regex(R"(min-subscriber: (\d+) received)"));
      return c;
    case subject_kind::vigild: break;
  }
  c.received = first_number(text, std::regex(R"(mqtt: (\d+) received)"));
  c.loop_behind = first_number(text, std::regex(R"(received, (\d+) dropped with the loop)"));
  c.readings = first_number(text, std::regex(R"(engine readings accepted: (\d+))"));
  // The rewritten store's line, else the old writer's; whichever this binary prints.
  static const std::regex store_line(
      R"(store: (\d+) commit\(s\), (\d+) bed row\(s\), \d+ outbox row\(s\), \d+ acknowledged, (\d+) failure\(s\))");
  static const std::regex state_line(
      R"(state: (\d+) bed file\(s\) saved in (\d+) directory sync\(s\), (\d+) error\(s\))");
  std::smatch m;
  if (std::regex_search(text, m, store_line)) {
    c.commit_line = "store";
    c.commits = std::stoll(m[1]);
    c.rows = std::stoll(m[2]);
    c.store_failures = std::stoll(m[3]);
  } else if (std::regex_search(text, m, state_line)) {
    c.commit_line = "state";
    c.commits = std::stoll(m[2]);
    c.rows = std::stoll(m[1]);
    c.store_failures = std::stoll(m[3]);
  }
  return c;
}

// ---- subject ----

subject_process::subject_process(const subject_options& o, const std::string& broker_uri)
    : kind_(o.kind), log_((dir_.path() / "subject.log").string()) {
  std::vector<std::string> argv = client_command(o.tcp_nodelay_shim);
  switch (o.kind) {
    case subject_kind::republisher:
    case subject_kind::min_subscriber:
      argv.insert(argv.end(), {o.program, "--broker", broker_uri});
      break;
    case subject_kind::vigild: {
      const auto state_root = o.state_root.empty() ? dir_.path() : o.state_root;
      const auto config =
          dir_.write("vigild.toml",
                     replace_all(read_text_file(o.config), "/var/lib/vigil", state_root.string()));
      argv.insert(argv.end(), {o.program, "--config", config, "--broker", broker_uri, "--prefix",
                               prefix, "--instance", instance});
      break;
    }
  }
  process_ = std::make_unique<test::child_process>(std::move(argv), log_);
}

std::string subject_process::log() const { return read_text_file(log_); }

std::string ready_topic(subject_kind kind) {
  switch (kind) {
    case subject_kind::republisher: return republisher_ready_topic;
    case subject_kind::min_subscriber: return min_subscriber_ready_topic;
    case subject_kind::vigild: break;
  }
  return codec::daemon_status_topic(prefix, instance);
}

bool subject_process::is_ready(const std::string& payload) const {
  if (kind_ != subject_kind::vigild) return true;
  const auto st = codec::decode_daemon_status(payload);
  return st && st.value().state == codec::daemon_state::online;
}

subject_counts subject_process::stop(std::chrono::milliseconds grace) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto code = process_->stop(SIGTERM, grace);
  stop_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto c = parse_subject_output(kind_, log());
  c.exited = code.has_value();
  return c;
}

// ---- load generator ----

loadgen_shards::loadgen_shards(const std::string& loadgen, const std::string& tcp_nodelay_shim,
                               const std::string& broker_uri, const loadgen_spec& spec) {
  const double rate = spec.rate > 0 ? spec.rate : spec.beds;
  const int shards = std::max(1, static_cast<int>(std::ceil(rate / spec.shard_rate)));
  for (int i = 0; i < shards; ++i) {
    auto argv = client_command(tcp_nodelay_shim);
    argv.insert(argv.end(), {loadgen,
                             "--broker",
                             broker_uri,
                             "--beds",
                             std::to_string(spec.beds),
                             "--shard",
                             std::to_string(i),
                             "--shards",
                             std::to_string(shards),
                             "--rate",
                             arg(rate),
                             "--start-us",
                             std::to_string(spec.start_us),
                             "--warmup-s",
                             arg(spec.warmup_s),
                             "--duration-s",
                             arg(spec.duration_s),
                             "--nibp-probes",
                             std::to_string(spec.nibp_probes),
                             "--hr-probes",
                             std::to_string(spec.hr_probes),
                             "--tick-us",
                             std::to_string(spec.tick_us)});
    if (spec.probe_new_beds) argv.emplace_back("--probe-new-beds");
    shards_.push_back(std::make_unique<test::child_process>(
        std::move(argv), (logs_.path() / ("loadgen-" + std::to_string(i) + ".log")).string()));
  }
}

generator_report loadgen_shards::wait(std::chrono::milliseconds timeout) {
  generator_report g;
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    if (!shards_[i]->wait_exit(timeout)) g.problem = "load generator did not finish";
    read_report(logs_.read("loadgen-" + std::to_string(i) + ".log"), g);
  }
  return g;
}

}  // namespace vigil::bench
