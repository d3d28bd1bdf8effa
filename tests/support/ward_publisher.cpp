#include "ward_publisher.hpp"

#include <mqtt/async_client.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "mqtt_test_client.hpp"

namespace vigil::test {

ward_publisher::ward_publisher(ward_options opts) : opts_(std::move(opts)) {
  plan();
  // A second of every bed's readings is more than the 100 unsent publishes Paho accepts by
  // default: let it buffer, as a real gateway's client would.
  client_ = std::make_unique<mqtt::async_client>(opts_.broker_uri,
                                                 "vigil-test-ward-" + std::to_string(getpid()),
                                                 mqtt::create_options(MQTTVERSION_5, 1'000'000));
  auto connect_opts =
      mqtt::connect_options_builder().mqtt_version(MQTTVERSION_5).clean_start(true).finalize();
  if (!client_->connect(connect_opts)->wait_for(std::chrono::seconds(10))) {
    throw std::runtime_error("ward publisher could not connect to " + opts_.broker_uri);
  }
}

ward_publisher::~ward_publisher() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  try {
    if (client_->is_connected()) client_->disconnect()->wait_for(std::chrono::seconds(5));
  } catch (const mqtt::exception&) {
    // The broker may already be gone.
  }
}

std::string ward_publisher::bed_id(int bed) const {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%03d", bed);
  return opts_.bed_prefix + digits;
}

void ward_publisher::plan() {
  const std::int64_t duration_us = opts_.duration.count() * 1000;
  std::vector<std::vector<std::size_t>> hr_of_bed(static_cast<std::size_t>(opts_.beds));
  for (int b = 0; b < opts_.beds; ++b) {
    for (std::int64_t t = b * 1'000'000LL / opts_.beds; t < duration_us; t += 1'000'000) {
      hr_of_bed[static_cast<std::size_t>(b)].push_back(schedule_.size());
      schedule_.push_back({t, b, false, quiet_bpm});
    }
  }
  std::map<int, int> nibp_probes_of_bed;
  for (const auto& p : opts_.probes) {
    const std::int64_t at_us = p.at.count() * 1000;
    if (p.what == ward_probe::kind::nibp) {
      const double systolic = probe_systolic + nibp_probes_of_bed[p.bed]++;
      schedule_.push_back({at_us, p.bed, true, systolic});
      continue;
    }
    int j = 0;
    for (const auto i : hr_of_bed.at(static_cast<std::size_t>(p.bed))) {
      auto& s = schedule_[i];
      if (s.at_us >= at_us && j < opts_.hr_readings) s.value = first_probe_bpm + j++;
    }
  }
  std::stable_sort(schedule_.begin(), schedule_.end(),
                   [](const scheduled& a, const scheduled& b) { return a.at_us < b.at_us; });
}

void ward_publisher::start() {
  thread_ = std::thread([this, start = std::chrono::steady_clock::now()] { run(start); });
}

void ward_publisher::join() {
  if (thread_.joinable()) thread_.join();
}

void ward_publisher::run(std::chrono::steady_clock::time_point start) {
  for (const auto& s : schedule_) {
    const auto due = start + std::chrono::microseconds(s.at_us);
    std::this_thread::sleep_until(due);
    if (stop_) return;
    const auto late = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - due);
    max_late_ms_ = std::max<std::int64_t>(max_late_ms_, late.count());
    publish(s);
  }
}

void ward_publisher::publish(const scheduled& s) {
  const auto bed = bed_id(s.bed);
  const auto now = wall_ms();
  const auto seq = published_.load() + 1;
  std::string topic, payload;
  int qos = 0;
  if (s.nibp) {
    topic = codec::input_topic_name(opts_.prefix, bed, codec::input_kind::blood_pressure);
    payload = codec::encode(core::blood_pressure{"gw-" + bed, now, seq, s.value, probe_diastolic,
                                                 std::nullopt, core::bp_source::nibp,
                                                 core::validity::valid});
    qos = 1;  // contract.md: blood pressure at QoS 1
  } else {
    topic = codec::input_topic_name(opts_.prefix, bed, codec::input_kind::heart_rate);
    payload =
        codec::encode(core::heart_rate{"gw-" + bed, now, seq, s.value, core::validity::valid});
  }
  if (s.nibp || s.value != quiet_bpm) {
    std::lock_guard lock(mutex_);
    sent_at_[{bed, s.value}] = now;
    if (!s.nibp) probe_started_at_.try_emplace(bed, now);
  }
  try {
    client_->publish(topic, payload.data(), payload.size(), qos, false);
    ++published_;
  } catch (const mqtt::exception&) {
    ++refused_;
  }
}

std::optional<std::int64_t> ward_publisher::sent_at(const std::string& bed, double value) const {
  std::lock_guard lock(mutex_);
  const auto it = sent_at_.find({bed, value});
  if (it == sent_at_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::int64_t> ward_publisher::probe_started_at(const std::string& bed) const {
  std::lock_guard lock(mutex_);
  const auto it = probe_started_at_.find(bed);
  if (it == probe_started_at_.end()) return std::nullopt;
  return it->second;
}

}  // namespace vigil::test
