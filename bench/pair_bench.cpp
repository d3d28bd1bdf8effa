// vigil_pair_bench: a pair of vigild on a shared PostgreSQL (issue 15) beside the floor, a
// single vigild on SQLite restarted at once after a crash (what systemd's Restart=always with
// RestartSec=0 can do at best), each under the same load in one run (bench/README.md, "Pair:
// takeover and PostgreSQL latency"):
//
//   1. the alarm latency of the one that leads: a raising NIBP (186/95) published on one of the
//      ward's beds to its SBP_HIGH RAISED event received, rotating over 40 beds (raise,
//      acknowledge, a normal reading), with its CPU per reading and its commits (/metrics);
//   2. `--kills` times: kill -9 of the leader, then (pair) the standby's ONLINE LEADER status
//      and the killed member restarted until its ONLINE STANDBY status, or (floor) a new vigild
//      started at once until its ONLINE status; and, both, the first new alarm event after the
//      kill. Right after each kill a new bed's first reading (NIBP 186/95) is published, so the
//      broker holds at least one alarm-raising reading for the session while nobody leads;
//   3. every bed's event_seq over the whole run: gaps (events lost) and numbers seen twice
//      (repeats; each compared byte for byte).
//
// Each subject gets its own mosquitto (persistence on, Debian's defaults but for
// max_queued_messages, raised so that a few seconds without a leader at 1,000 readings/s do
// not overflow the session's queue), its own vigil_loadgen (one heart rate per bed per second,
// QoS 1) and its own monitoring client. PostgreSQL runs with fsync on (real durability).
// Tables to stdout, running figures to stderr.
#include <sys/stat.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "codec/topics.hpp"
#include "e2e_common.hpp"
#include "e2e_support.hpp"
#include "http_get.hpp"
#include "mqtt_test_client.hpp"
#include "postgres_server.hpp"
#include "temp_dir.hpp"
#include "vigil_client.hpp"
#include "vigild_process.hpp"
#include "ward.hpp"

#include "pair_bench_figures.hpp"

namespace {

using namespace std::chrono_literals;
using namespace vigil;
using namespace vigil::bench::pair;
using test::wall_ms;

constexpr const char* prefix = "clinic";  // vigil_loadgen's (ward.hpp)

std::string vigild_config(const std::string& state_dir, const std::string& store) {
  return "[metrics]\nlisten = \"127.0.0.1:0\"\n[daemon]\nlog_level = \"info\"\nstate_dir = \"" +
         state_dir +
         "\"\nstatus_interval_s = 10\n[escalation]\nescalate_high_s = 4\nescalate_medium_s = 4\n"
         "ack_silence_s = 8\nmax_level = 10\n" +
         store;
}

// ---- one subject: a broker, the load, a monitoring client, and its vigild(s) ----

class bench_subject {
 public:
  bench_subject(const options& o, std::string name, bool pair)
      : o_(o),
        pair_(pair),
        broker_(!o.nagle, "persistence true\npersistence_location " + broker_dir_.path().string() +
                              "/\nmax_queued_messages 100000\n") {
    result_.name = std::move(name);
    if (pair_) {
      pg_ = std::make_unique<test::postgres_server>(test::postgres_server::options{.fsync = true});
      credentials_ = (dir_.path() / "pg-credentials").string();
      std::ofstream(credentials_) << "vigil\n" << pg_->password() << "\n";
      ::chmod(credentials_.c_str(), 0600);
      result_.store_settings = "fsync=" + pg_->sql("SHOW fsync") +
                               ", synchronous_commit=" + pg_->sql("SHOW synchronous_commit") +
                               ", wal_sync_method=" + pg_->sql("SHOW wal_sync_method");
    }
    mqtt_ = std::make_unique<test::mqtt_test_client>(broker_.uri());
    client_ = std::make_unique<test::vigil_client>(*mqtt_, prefix);
    client_->watch_alarms();
    mqtt_->subscribe(codec::daemon_status_topic(prefix, "+"));
    // Times the latency in microseconds, in its own Paho callback (the test client's are ms).
    dashboard_ = std::make_unique<bench::dashboard>(
        broker_.uri(), std::vector<std::string>{std::string(prefix) + "/beds/+/alarms/events"});
  }

  ~bench_subject() {
    for (auto& [name, m] : members_) {
      if (m && m->running()) m->stop(5s);
    }
    if (loadgen_) loadgen_->stop(SIGTERM, 3s);
  }

  subject_result run() {
    start();
    start_load();
    std::cerr << result_.name << ": warming up " << o_.warmup_s << " s\n";
    std::this_thread::sleep_for(std::chrono::duration<double>(o_.warmup_s));
    raise_escalating_beds();
    measure_latency();
    kill_loop();
    std::this_thread::sleep_for(2s);  // the last repeats, if any
    count_sequences();
    return result_;
  }

 private:
  void launch(const std::string& instance) {
    const auto store = pair_ ? "[store]\nurl = \"" + pg_->url() + "\"\ncredentials_file = \"" +
                                   credentials_ + "\"\n"
                             : std::string();
    // The floor keeps its state across restarts (SQLite in one directory); the pair's members
    // keep theirs in PostgreSQL.
    const auto state = pair_ ? std::string("@DIR@") : (dir_.path() / "state").string();
    members_[instance] = std::make_unique<test::vigild_process>(
        test::vigild_options{.executable = VIGIL_BENCH_VIGILD,
                             .broker_uri = broker_.uri(),
                             .prefix = prefix,
                             .instance = instance,
                             .config_toml = vigild_config(state, store),
                             .extra_args = {}});
  }

  std::optional<codec::daemon_status> wait_status(const std::string& instance,
                                                  codec::daemon_role role, std::int64_t since_ms,
                                                  std::chrono::milliseconds timeout,
                                                  std::int64_t* received_ms = nullptr) {
    const auto topic = codec::daemon_status_topic(prefix, instance);
    const auto found = mqtt_->wait_for(
        [&](const test::received_message& m) {
          if (m.topic != topic) return false;
          auto s = codec::decode_daemon_status(m.payload);
          return s && s.value().state == codec::daemon_state::online &&
                 (!pair_ || s.value().role == role) &&
                 (pair_ ? s.value().at_ms : s.value().started_at_ms) >= since_ms;
        },
        timeout);
    if (!found) return std::nullopt;
    if (received_ms) *received_ms = found->received_at_ms;
    return codec::decode_daemon_status(found->payload).value();
  }

  void start() {
    const auto t = wall_ms();
    if (pair_) {
      launch("a");
      if (!wait_status("a", codec::daemon_role::leader, t, 30s)) fail("a never led");
      launch("b");
      if (!wait_status("b", codec::daemon_role::standby, t, 30s)) fail("b never stood by");
      leader_ = "a";
    } else {
      launch("floor");
      if (!wait_status("floor", codec::daemon_role::unspecified, t, 30s)) fail("never online");
      leader_ = "floor";
    }
  }

  void start_load() {
    loadgen_ = std::make_unique<test::child_process>(
        std::vector<std::string>{VIGIL_BENCH_LOADGEN, "--broker", broker_.uri(), "--beds",
                                 std::to_string(o_.beds), "--start-us",
                                 std::to_string(bench::wall_us() + 500'000), "--warmup-s", "0",
                                 "--duration-s", "3600", "--hr-qos", "1"},
        (dir_.path() / "loadgen.log").string());
    result_.loadgen_rate = o_.beds;
  }

  [[noreturn]] void fail(const std::string& what) {
    std::string logs;
    for (auto& [name, m] : members_) logs += "---- vigild " + name + " ----\n" + m->log();
    throw std::runtime_error(result_.name + ": " + what + "\n" + logs);
  }

  std::optional<test::timed_event> wait_event(const std::string& bed, core::transition t,
                                              std::int64_t after_ms,
                                              std::chrono::milliseconds timeout) {
    return client_->wait_event(
        [&](const test::timed_event& e) {
          return e.event.bed_id == bed && e.event.condition == "SBP_HIGH" &&
                 e.event.transition == t && e.received_at_ms >= after_ms;
        },
        timeout);
  }

  // A few beds in an infusion with SBP_HIGH raised: two escalate every 4 s, two are
  // acknowledged and remind every 8 s.
  void raise_escalating_beds() {
    for (int i = 0; i < 4; ++i) {
      const auto bed = "esc-" + std::to_string(i);
      client_->send(bed, test::nibp(120, 80));
      client_->send(bed, test::infusion(core::infusion_kind::started, "s-" + bed, 120));
      const auto sent = client_->send(bed, test::nibp(186, 95));
      const auto raised = wait_event(bed, core::transition::raised, sent, 10s);
      if (!raised) fail("no SBP_HIGH on " + bed);
      if (i >= 2) client_->send(bed, core::alarm_ack{raised->event.alarm_id, "nurse-1", wall_ms()});
    }
  }

  void measure_latency() {
    auto& leader = *members_.at(leader_);
    const int port = metrics_port(leader);
    auto before = read_metrics(port);
    const auto cpu0 = bench::cpu_time(leader.pid());
    const auto t0 = std::chrono::steady_clock::now();
    constexpr int rotation = 40;
    for (int i = 0; i < o_.alarms; ++i) {
      // Ward beds spread over the ward, each with its heart rate flowing.
      const auto bed = bench::bed_name((i % rotation) * (o_.beds / rotation));
      const auto start_us = bench::wall_us();
      const auto sent = client_->send(bed, test::nibp(186, 95));
      const auto raised = wait_event(bed, core::transition::raised, sent, 5s);
      if (!raised) {
        ++result_.latency.missed;
        continue;
      }
      const auto topic = codec::alarm_events_topic(prefix, bed);
      std::int64_t received_us = -1;
      dashboard_->wait_for(
          topic,
          [&](const bench::timed_message& m) {
            auto e = codec::decode_alarm_event(m.payload);
            if (m.received_us < start_us || !e || e.value().event_seq != raised->event.event_seq) {
              return false;
            }
            received_us = m.received_us;
            return true;
          },
          5s);
      if (received_us < 0) {
        ++result_.latency.missed;
        continue;
      }
      result_.latency.ms.push_back(static_cast<double>(received_us - start_us) / 1e3);
      const auto acked =
          client_->send(bed, core::alarm_ack{raised->event.alarm_id, "n", wall_ms()});
      wait_event(bed, core::transition::acknowledged, acked, 5s);
      client_->send(bed, test::nibp(120, 80));  // ends the acknowledged alarm
      std::this_thread::sleep_for(100ms);
    }
    const double window =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto cpu = (bench::cpu_time(leader.pid()) - cpu0).count();
    auto after = read_metrics(port);
    auto& r = result_.latency;
    const auto received = after.values["vigil_mqtt_messages_received_total"] -
                          before.values["vigil_mqtt_messages_received_total"];
    if (port > 0 && received > 0) {
      r.cpu_us_per_reading = cpu * 1e6 / received;
      r.readings_per_s = received / window;
      const double commits = after.commit_count - before.commit_count;
      r.commits_per_s = commits / window;
      if (commits > 0) r.commit_mean_ms = (after.commit_sum - before.commit_sum) * 1e3 / commits;
      r.commit_p50_bound_ms = commit_quantile_bound(before, after, 0.5) * 1e3;
      r.commit_p99_bound_ms = commit_quantile_bound(before, after, 0.99) * 1e3;
    }
    std::cerr << result_.name << ": " << r.ms.size() << " alarms, p50 "
              << fmt(percentile(r.ms, .5), 1) << " ms, max " << fmt(percentile(r.ms, 1), 1)
              << " ms, " << r.missed << " missed, " << fmt(r.cpu_us_per_reading, 1)
              << " us CPU/reading over " << fmt(window, 0) << " s\n";
  }

  // (bed, event_seq) of every event received so far.
  std::set<std::pair<std::string, std::uint64_t>> seen() const {
    std::set<std::pair<std::string, std::uint64_t>> out;
    for (const auto& e : client_->events()) out.emplace(e.event.bed_id, e.event.event_seq);
    return out;
  }

  void kill_loop() {
    std::mt19937 rng(15);
    std::uniform_int_distribution<int> pause_ms(500, 1500);
    auto& k = result_.kills;
    for (int i = 0; i < o_.kills; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
      const auto before = seen();
      const auto victim = leader_;
      const auto next = pair_ ? (victim == "a" ? "b" : "a") : victim;
      const auto kill_ms = wall_ms();
      members_.at(victim)->kill();
      if (!pair_) launch(victim);  // restarted at once, as RestartSec=0 would
      // A new bed's first reading, raising SBP_HIGH: queued for the session while nobody leads.
      const auto probe_bed = "kill-" + std::to_string(i);
      client_->send(probe_bed, test::nibp(186, 95));

      std::int64_t online_ms = 0;
      if (!wait_status(next, codec::daemon_role::leader, kill_ms, 30s, &online_ms)) {
        ++k.failures;
        std::cerr << result_.name << ": kill " << i << ": nobody took over within 30 s\n";
        fail("no takeover");
      }
      const auto probe = wait_event(probe_bed, core::transition::raised, kill_ms, 20s);
      if (!probe) {
        ++k.failures;
      } else {
        k.probe_ms.push_back(static_cast<double>(probe->received_at_ms - kill_ms));
      }
      std::int64_t first = -1;
      for (const auto& e : client_->events()) {
        if (e.received_at_ms < kill_ms || before.contains({e.event.bed_id, e.event.event_seq})) {
          continue;
        }
        if (first < 0 || e.received_at_ms < first) first = e.received_at_ms;
      }
      k.online_ms.push_back(static_cast<double>(online_ms - kill_ms));
      if (first >= 0) k.first_event_ms.push_back(static_cast<double>(first - kill_ms));
      std::string rejoin;
      if (pair_) {
        const auto lock_ms =
            log_line_ms(members_.at(next)->log(), "standby: took the leader's lock");
        if (lock_ms > 0) k.lock_ms.push_back(static_cast<double>(lock_ms - kill_ms));
        const auto restart_ms = wall_ms();
        launch(victim);
        std::int64_t standby_ms = 0;
        if (!wait_status(victim, codec::daemon_role::standby, restart_ms, 30s, &standby_ms)) {
          fail("the killed member never stood by again");
        }
        k.rejoin_ms.push_back(static_cast<double>(standby_ms - restart_ms));
        rejoin = ", standby again after " + std::to_string(standby_ms - restart_ms) + " ms";
      }
      leader_ = next;
      std::cerr << result_.name << ": kill " << i + 1 << ": online " << online_ms - kill_ms
                << " ms, first event " << (first >= 0 ? std::to_string(first - kill_ms) : "none")
                << " ms, probe "
                << (probe ? std::to_string(probe->received_at_ms - kill_ms) : "none") << " ms"
                << rejoin << "\n";
    }
  }

  void count_sequences() {
    std::map<std::string, std::map<std::uint64_t, std::string>> beds;
    auto& s = result_.seqs;
    for (const auto& e : client_->events()) {
      if (e.topic.ends_with("/escalations")) continue;  // a copy of an ESCALATED event
      ++s.events;
      const auto bytes = codec::encode(e.event);
      auto [it, fresh] = beds[e.event.bed_id].emplace(e.event.event_seq, bytes);
      if (!fresh) {
        ++s.repeats;
        if (it->second != bytes) ++s.different_repeats;
      }
    }
    s.beds = beds.size();
    for (const auto& [bed, seqs] : beds) {
      // Numbers 1..max: every one missing was lost.
      s.lost += static_cast<std::size_t>(seqs.rbegin()->first) - seqs.size();
    }
  }

  options o_;
  bool pair_;
  test::temp_dir dir_;
  test::temp_dir broker_dir_;
  bench::quiet_broker broker_;
  std::unique_ptr<test::postgres_server> pg_;
  std::string credentials_;
  std::unique_ptr<test::child_process> loadgen_;
  std::map<std::string, std::unique_ptr<test::vigild_process>> members_;
  std::unique_ptr<test::mqtt_test_client> mqtt_;
  std::unique_ptr<test::vigil_client> client_;
  std::unique_ptr<bench::dashboard> dashboard_;
  std::string leader_;
  subject_result result_;
};

}  // namespace

int main(int argc, char** argv) {
  options o;
  CLI::App app{"vigild as a pair on PostgreSQL beside a single vigild on SQLite"};
  app.add_option("--beds", o.beds, "ward size (one heart rate per bed per second)")
      ->check(CLI::Range(40, 100'000));
  app.add_option("--kills", o.kills, "kill -9 of the leader, per subject");
  app.add_option("--alarms", o.alarms, "alarms timed for the latency, per subject");
  app.add_option("--warmup-s", o.warmup_s, "load before measuring");
  app.add_flag("--nagle", o.nagle,
               "leave Nagle's algorithm on (default: off on every socket, as the e2e runs)");
  app.add_option("--only", o.only, "one subject only")->check(CLI::IsMember({"floor", "pair"}));
  CLI11_PARSE(app, argc, argv);
  // Nagle off in every client: this process (the monitoring client) and its children (vigild,
  // vigil_loadgen) get the shim preloaded, as the e2e runs' --tcp-nodelay.
  if (!o.nagle && !std::getenv("VIGIL_PAIR_BENCH_NODELAY")) {
    ::setenv("LD_PRELOAD", VIGIL_BENCH_NODELAY_SHIM, 1);
    ::setenv("VIGIL_PAIR_BENCH_NODELAY", "1", 1);
    ::execv("/proc/self/exe", argv);
    std::perror("vigil_pair_bench: exec");
    return 1;
  }

  std::vector<subject_result> results;
  try {
    if (o.only != "pair")
      results.push_back(bench_subject(o, "floor: SQLite, restarted at once", false).run());
    if (o.only != "floor")
      results.push_back(
          bench_subject(o, "pair: PostgreSQL (fsync on), standby takes over", true).run());
  } catch (const std::exception& e) {
    std::cerr << "vigil_pair_bench: " << e.what() << "\n";
    print_tables(o, results);
    return 1;
  }
  std::cout
      << "\nNagle's algorithm "
      << (o.nagle ? "on (Paho's and mosquitto's default)"
                  : "off on every socket (set_tcp_nodelay in mosquitto, the shim in every client)")
      << ".\n";
  print_tables(o, results);
  return 0;
}
