// vigil_loadgen: a ward's gateways on one MQTT connection. Publishes a heart rate per bed at
// `--rate` messages/s in total (default one per bed per second, spread evenly over the
// second), each bed's cuff every 5 minutes (staggered), and alarm-causing probes at known
// times: cuff readings of SBP 186 (SBP_HIGH at once) and runs of HR 160 (HR_HIGH once held for
// the persistence). Times follow the clock from `--start-us` on, so several shards (processes)
// share one schedule; each publishes the beds b with b % shards == shard. Prints what it did
// as e2e_common.hpp describes. No set-up traffic: every bed stays IDLE, where the physiological
// conditions are evaluated all the same. With --probe-new-beds the cuff probes go to beds
// outside the ward (numbered from --beds on), so each probe is its bed's first message: what
// a first start measures is a bed new to vigild raising an alarm at once.
#include <mqtt/async_client.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <vector>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "e2e_common.hpp"
#include "ward.hpp"

namespace {

using namespace vigil;
using namespace vigil::bench;

struct options {
  std::string broker;
  int beds = 100;
  int shard = 0;
  int shards = 1;
  double rate = 0;  // heart rates per second, all beds together; 0: one per bed per second
  std::int64_t start_us = 0;
  double warmup_s = 5;
  double duration_s = 25;  // warm-up included
  int nibp_probes = 0;
  int hr_probes = 0;
  double hr_margin_s = 12;  // an HR probe starts at least this long before the end
  int hr_qos = 0;
  bool probe_new_beds = false;  // cuff probes on beds beds, beds + 1, ...: new to the subject
  std::int64_t tick_us = 0;     // sleep at least this long between bursts; 0: wake per message
};

constexpr int max_buffered = 1'000'000;

struct scheduled {
  std::int64_t at_us;  // from start
  int bed;
  bool probe;
};

// A permutation of the beds: probes land on distinct beds spread over the ward.
int probe_bed(int i, int beds) {
  return static_cast<int>((static_cast<std::int64_t>(i) * 7919) % beds);
}

class generator {
 public:
  explicit generator(const options& o)
      : o_(o),
        rate_(o.rate > 0 ? o.rate : o.beds),
        end_us_(static_cast<std::int64_t>(o.duration_s * 1e6)),
        // Paho refuses a publish (-12) once 100 wait unsent; a burst of a second's readings
        // is more than that, and waiting in Paho's queue is what a real gateway would do.
        client_(o.broker, "vigil-loadgen-" + std::to_string(getpid()),
                mqtt::create_options(MQTTVERSION_5, max_buffered)),
        hr_probe_from_(static_cast<std::size_t>(o.beds), -1),
        seq_(static_cast<std::size_t>(all_beds()), 0) {
    for (int b = 0; b < all_beds(); ++b) {
      const auto id = bed_name(b);
      hr_topic_.push_back(codec::input_topic_name(prefix, id, codec::input_kind::heart_rate));
      bp_topic_.push_back(codec::input_topic_name(prefix, id, codec::input_kind::blood_pressure));
    }
    plan();
  }

  void connect() {
    auto opts =
        mqtt::connect_options_builder().mqtt_version(MQTTVERSION_5).clean_start(true).finalize();
    client_.connect(opts)->wait();
  }

  void run() {
    sleep_until_us(o_.start_us);
    std::size_t next_event = 0;
    std::int64_t k = first_owned(0);
    for (;;) {
      const std::int64_t now = wall_us() - o_.start_us;
      for (; hr_at(k) < end_us_ && hr_at(k) <= now; k = first_owned(k + 1)) publish_hr(k, now);
      for (; next_event < events_.size() && events_[next_event].at_us <= now; ++next_event) {
        publish_nibp(events_[next_event], now);
      }
      const std::int64_t hr_next = hr_at(k) < end_us_ ? hr_at(k) : end_us_;
      const std::int64_t ev_next =
          next_event < events_.size() ? events_[next_event].at_us : end_us_;
      const std::int64_t next = std::min(hr_next, ev_next);
      if (next >= end_us_) break;
      // Waking for each message costs more CPU than publishing it (tens of thousands of
      // wake-ups a second on the cores the subject needs): with --tick-us, everything due
      // within one tick goes out together. Probes are timed at their publish call all the same.
      sleep_until_us(o_.start_us + std::max(next, now + o_.tick_us));
    }
    client_.disconnect(10'000)->wait();
  }

  void report() const {
    for (const auto& [bed, t] : nibp_probe_sent_)
      std::printf("probe %s %d %lld\n", probe_nibp_tag, bed, static_cast<long long>(t));
    for (const auto& [bed, t] : hr_probe_sent_)
      std::printf("probe %s %d %lld\n", probe_hr_tag, bed, static_cast<long long>(t));
    std::printf("sent %lld\nwindow_sent %lld\nfailed %lld\nlate_us %lld\n",
                static_cast<long long>(sent_), static_cast<long long>(window_sent_),
                static_cast<long long>(failed_), static_cast<long long>(late_us_));
    if (failed_) std::printf("first_failure %s\n", first_failure_.c_str());
  }

 private:
  // The ward and, with --probe-new-beds, the probes' beds after it.
  int all_beds() const { return o_.beds + (o_.probe_new_beds ? o_.nibp_probes : 0); }
  bool owned(int bed) const { return bed % o_.shards == o_.shard; }
  std::int64_t first_owned(std::int64_t k) const {
    while (!owned(static_cast<int>(k % o_.beds))) ++k;
    return k;
  }
  std::int64_t hr_at(std::int64_t k) const {
    return static_cast<std::int64_t>(static_cast<double>(k) * 1e6 / rate_);
  }

  // Cuffs and probes of this shard's beds, in time order.
  void plan() {
    const auto window_us = end_us_ - static_cast<std::int64_t>(o_.warmup_s * 1e6);
    const auto warmup_us = end_us_ - window_us;
    std::vector<bool> probed(static_cast<std::size_t>(o_.beds), false);
    for (int j = 0; j < o_.nibp_probes; ++j) {
      const int bed = o_.probe_new_beds ? o_.beds + j : probe_bed(j, o_.beds);
      if (bed < o_.beds) probed[static_cast<std::size_t>(bed)] = true;
      if (owned(bed))
        events_.push_back({warmup_us + (2 * j + 1) * window_us / (2 * o_.nibp_probes), bed, true});
    }
    const auto hr_window_us = window_us - static_cast<std::int64_t>(o_.hr_margin_s * 1e6);
    for (int j = 0; hr_window_us > 0 && j < o_.hr_probes; ++j) {
      const int bed = probe_bed(o_.probe_new_beds ? j : o_.nibp_probes + j, o_.beds);
      probed[static_cast<std::size_t>(bed)] = true;
      hr_probe_from_[static_cast<std::size_t>(bed)] = warmup_us + j * hr_window_us / o_.hr_probes;
    }
    const std::int64_t period_us = std::int64_t{nibp_period_s} * 1'000'000;
    for (int b = 0; b < o_.beds; ++b) {
      if (!owned(b) || probed[static_cast<std::size_t>(b)]) continue;
      for (auto t = b * period_us / o_.beds; t < end_us_; t += period_us)
        events_.push_back({t, b, false});
    }
    std::sort(events_.begin(), events_.end(),
              [](const scheduled& a, const scheduled& b) { return a.at_us < b.at_us; });
  }

  void publish(const std::string& topic, const std::string& payload, int qos, std::int64_t due_us,
               std::int64_t now_us) {
    late_us_ = std::max(late_us_, now_us - due_us);
    try {
      client_.publish(topic, payload.data(), payload.size(), qos, false);
      ++sent_;
      // Due in the measured window: the readings the subject's CPU over the window is for.
      if (due_us >= window_from_us_) ++window_sent_;
    } catch (const mqtt::exception& e) {
      if (!failed_++) first_failure_ = e.what();
    }
  }

  void publish_hr(std::int64_t k, std::int64_t now) {
    const int bed = static_cast<int>(k % o_.beds);
    const auto b = static_cast<std::size_t>(bed);
    const auto due = hr_at(k);
    const bool alarm = hr_probe_from_[b] >= 0 && due >= hr_probe_from_[b];
    const double bpm = alarm ? alarm_bpm : quiet_bpm(bed, k / o_.beds);
    const auto payload = codec::encode(heart_rate(bed, ++seq_[b], bpm, (o_.start_us + due) / 1000));
    if (alarm) hr_probe_sent_.emplace_back(bed, wall_us());
    publish(hr_topic_[b], payload, o_.hr_qos, due, now);
  }

  void publish_nibp(const scheduled& e, std::int64_t now) {
    const auto b = static_cast<std::size_t>(e.bed);
    const auto payload = codec::encode(
        nibp(e.bed, ++seq_[b], e.probe ? alarm_systolic : quiet_systolic,
             e.probe ? alarm_diastolic : quiet_diastolic, (o_.start_us + e.at_us) / 1000));
    if (e.probe) nibp_probe_sent_.emplace_back(e.bed, wall_us());
    publish(bp_topic_[b], payload, 1, e.at_us, now);
  }

  const options o_;
  const double rate_;
  const std::int64_t end_us_;
  mqtt::async_client client_;
  std::vector<std::string> hr_topic_, bp_topic_;
  std::vector<scheduled> events_;
  std::vector<std::int64_t> hr_probe_from_;
  std::vector<std::uint64_t> seq_;
  std::vector<std::pair<int, std::int64_t>> nibp_probe_sent_, hr_probe_sent_;  // bed, wall us
  const std::int64_t window_from_us_ = static_cast<std::int64_t>(o_.warmup_s * 1e6);
  std::int64_t sent_ = 0, window_sent_ = 0, failed_ = 0, late_us_ = 0;
  std::string first_failure_;
};

}  // namespace

int main(int argc, char** argv) {
  options o;
  CLI::App app{"vigil_loadgen: publishes a synthetic ward's vitals with alarm probes"};
  app.add_option("--broker", o.broker, "broker URI")->required();
  app.add_option("--beds", o.beds)->check(CLI::Range(1, 1'000'000));
  app.add_option("--shard", o.shard);
  app.add_option("--shards", o.shards)->check(CLI::Range(1, 64));
  app.add_option("--rate", o.rate, "heart rates/s in total (default: one per bed per second)");
  app.add_option("--start-us", o.start_us, "wall-clock Unix us of time 0")->required();
  app.add_option("--warmup-s", o.warmup_s);
  app.add_option("--duration-s", o.duration_s, "warm-up included");
  app.add_option("--nibp-probes", o.nibp_probes);
  app.add_option("--hr-probes", o.hr_probes);
  app.add_option("--hr-qos", o.hr_qos)->check(CLI::Range(0, 1));
  app.add_option("--tick-us", o.tick_us, "publish what falls due within this many us together")
      ->check(CLI::Range(0, 100'000));
  app.add_flag("--probe-new-beds", o.probe_new_beds,
               "cuff probes on beds after the ward's, each probe its bed's first message");
  CLI11_PARSE(app, argc, argv);
  if ((o.probe_new_beds ? 0 : o.nibp_probes) + o.hr_probes > o.beds) {
    std::fprintf(stderr, "more probes than beds\n");
    return 2;
  }
  try {
    generator g(o);
    g.connect();
    g.run();
    g.report();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil_loadgen: %s\n", e.what());
    return 1;
  }
  return 0;
}
