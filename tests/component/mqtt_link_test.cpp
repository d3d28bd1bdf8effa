// io::mqtt_link against a fake Paho client: what reaches the loop and when, ordering while
// disconnected, first-connect retries, and the shutdown handshake.
#include "io/mqtt_link.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <span>

#include "fake_async_client.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

class mqtt_link_test : public ::testing::Test {
 protected:
  void make_link(io::mqtt_link_config cfg = default_config()) {
    auto client = std::make_unique<fake_async_client>();
    fake_ = client.get();
    mqtt::connect_options opts;
    opts.set_properties({{mqtt::property::SESSION_EXPIRY_INTERVAL, 3600}});
    link_ = std::make_unique<io::mqtt_link>(
        loop_, std::move(client), std::move(opts), std::move(cfg),
        io::mqtt_link_handlers{[this](std::span<io::inbound_message> batch) {
                                 ++batches_;
                                 for (auto& m : batch) inbound_.push_back(std::move(m));
                               },
                               [this] { ++connected_calls_; },
                               {},
                               [this](std::span<const std::uint64_t> ids) {
                                 published_.insert(published_.end(), ids.begin(), ids.end());
                               }});
  }
  static io::mqtt_link_config default_config() {
    io::mqtt_link_config cfg;
    cfg.subscriptions = {"clinic/beds/+/vitals/heart_rate", "clinic/beds/+/infusion"};
    cfg.retry_min = 1ms;
    cfg.retry_max = 4ms;
    cfg.disconnect_timeout = 20ms;
    cfg.batch_interval_min = 0ms;  // the next batch is due at once: run_posted() takes it
    cfg.batch_interval_max = 0ms;
    return cfg;
  }
  // Runs what Paho's thread posted to the loop.
  void run_posted() {
    loop_.restart();
    loop_.poll();
  }
  // Runs the loop (timers included) until `done` or 2 s.
  template <class F>
  bool run_until(F done) {
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      loop_.restart();
      loop_.run_one_for(10ms);
    }
    return true;
  }
  void connect() {
    link_->start();
    fake_->connect_succeeds();
    run_posted();
  }
  static codec::outgoing message(std::string topic, std::string payload, bool retained = false,
                                 std::uint64_t outbox_id = 0) {
    return {std::move(topic), std::move(payload), retained, 1, outbox_id};
  }
  std::vector<std::string> published_payloads() const {
    std::vector<std::string> out;
    for (const auto& p : fake_->publishes) out.push_back(p.payload);
    return out;
  }

  boost::asio::io_context loop_{1};
  fake_async_client* fake_ = nullptr;
  std::unique_ptr<io::mqtt_link> link_;
  std::vector<io::inbound_message> inbound_;
  int batches_ = 0;
  std::vector<std::uint64_t> published_;
  int connected_calls_ = 0;
};

TEST_F(mqtt_link_test, connect_passes_session_expiry_property_to_paho) {
  make_link();
  link_->start();
  ASSERT_EQ(fake_->connect_calls, 1);
  const auto& props = fake_->last_connect_options.get_properties();
  ASSERT_TRUE(props.contains(mqtt::property::SESSION_EXPIRY_INTERVAL));
  EXPECT_EQ(mqtt::get<int>(props, mqtt::property::SESSION_EXPIRY_INTERVAL), 3600);
}

TEST_F(mqtt_link_test, connected_subscribes_every_filter_on_the_loop_then_reports) {
  make_link();
  link_->start();
  fake_->connect_succeeds();
  EXPECT_TRUE(fake_->subscriptions.empty()) << "subscribed on Paho's thread";
  run_posted();
  EXPECT_EQ(fake_->subscriptions, default_config().subscriptions);
  EXPECT_EQ(connected_calls_, 1);
  EXPECT_TRUE(link_->connected());
}

TEST_F(mqtt_link_test, received_message_is_copied_and_handled_on_the_loop_only) {
  make_link();
  connect();
  fake_->deliver("clinic/beds/b1/vitals/heart_rate", std::string("\x08\x01", 2));
  EXPECT_TRUE(inbound_.empty()) << "handled on Paho's thread";
  run_posted();
  ASSERT_EQ(inbound_.size(), 1u);
  EXPECT_EQ(inbound_[0].topic, "clinic/beds/b1/vitals/heart_rate");
  EXPECT_EQ(inbound_[0].payload, std::string("\x08\x01", 2));
  EXPECT_EQ(link_->counters().received, 1u);
}

TEST_F(mqtt_link_test, an_idle_loop_is_woken_at_once_and_a_busy_one_takes_arrivals_together) {
  auto cfg = default_config();
  cfg.batch_interval_min = 30ms;
  cfg.batch_interval_max = 30ms;
  cfg.batch_idle_rate = 0;  // however slowly they come
  make_link(cfg);
  connect();
  const std::string topic = "clinic/beds/b1/vitals/heart_rate";
  fake_->deliver(topic, "1");
  run_posted();
  ASSERT_EQ(inbound_.size(), 1u) << "an idle loop waited for the batch interval";
  // Messages keep coming: the loop looks again after the interval, not at every arrival.
  for (const auto* p : {"2", "3", "4"}) fake_->deliver(topic, p);
  run_posted();
  EXPECT_EQ(inbound_.size(), 1u) << "woken per message while a batch was due";
  ASSERT_TRUE(run_until([&] { return inbound_.size() == 4; }));
  EXPECT_EQ(batches_, 2);
  EXPECT_EQ(inbound_[3].payload, "4");
  // Nothing more came: the loop goes idle and the next arrival wakes it at once again.
  ASSERT_TRUE(run_until([&] {
    fake_->deliver(topic, "5");
    run_posted();
    return inbound_.size() >= 5 && inbound_.back().payload == "5" && batches_ >= 3;
  }));
}

TEST_F(mqtt_link_test, a_trickle_of_messages_is_handled_each_at_once) {
  auto cfg = default_config();
  cfg.batch_interval_min = 10s;  // a batch due later would never be taken by run_posted()
  cfg.batch_interval_max = 10s;
  cfg.batch_idle_rate = 1e9;  // every rate counts as a trickle
  make_link(cfg);
  connect();
  for (const auto* p : {"1", "2", "3"}) {
    fake_->deliver("clinic/beds/b/infusion", p);
    run_posted();
    EXPECT_EQ(inbound_.back().payload, p) << "waited for a batch";
  }
  EXPECT_EQ(batches_, 3);
}

TEST_F(mqtt_link_test, a_backlog_is_handed_over_in_batches_of_at_most_max_batch) {
  auto cfg = default_config();
  cfg.max_batch = 2;
  make_link(cfg);
  connect();
  for (const auto* p : {"1", "2", "3", "4", "5"}) fake_->deliver("clinic/beds/b/infusion", p);
  run_posted();
  ASSERT_EQ(inbound_.size(), 5u);
  EXPECT_EQ(batches_, 3);
  EXPECT_EQ(link_->counters().batches, 3u);
}

TEST_F(mqtt_link_test, acknowledged_outbox_ids_are_reported_and_others_are_not) {
  make_link();
  connect();
  link_->publish(message("a", "1", false, 41));
  link_->publish(message("status", "ONLINE", true));  // not from an outbox
  link_->publish(message("a", "2", false, 42));
  fake_->acknowledge(2);
  fake_->acknowledge(1);
  fake_->acknowledge(0);
  EXPECT_TRUE(published_.empty()) << "reported on Paho's thread";
  run_posted();
  EXPECT_EQ(published_, (std::vector<std::uint64_t>{42, 41}));
}

TEST_F(mqtt_link_test, paho_gets_at_most_max_in_flight_and_each_acknowledgement_releases_one) {
  auto cfg = default_config();
  cfg.max_in_flight = 2;
  make_link(cfg);
  connect();
  for (const auto* p : {"1", "2", "3", "4"}) link_->publish(message("alarm", p));
  EXPECT_EQ(published_payloads(), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(link_->queued(), 2u);
  fake_->acknowledge(0);
  run_posted();
  EXPECT_EQ(published_payloads(), (std::vector<std::string>{"1", "2", "3"}));
}

TEST_F(mqtt_link_test, bulk_messages_wait_for_room_in_flight_and_let_others_pass) {
  auto cfg = default_config();
  cfg.max_bulk_in_flight = 1;
  make_link(cfg);
  connect();
  for (const auto* t : {"s/1", "s/2", "s/3"}) {
    link_->publish(message(t, std::string("old ") + t, true), io::publish_priority::bulk);
  }
  EXPECT_EQ(published_payloads(), std::vector<std::string>{"old s/1"});
  link_->publish(message("alarm", "raised", false, 7));  // not held behind the bulk
  link_->publish(message("s/3", "new s/3", true));       // makes the queued s/3 stale
  EXPECT_EQ(published_payloads(), (std::vector<std::string>{"old s/1", "raised", "new s/3"}));
  EXPECT_EQ(link_->queued(), 2u);
  for (std::size_t i = 0; i < 3; ++i) fake_->acknowledge(i);
  run_posted();
  EXPECT_EQ(published_payloads(),
            (std::vector<std::string>{"old s/1", "raised", "new s/3", "old s/2"}));
  fake_->acknowledge(3);
  run_posted();
  EXPECT_EQ(fake_->publishes.size(), 4u) << "the stale snapshot went out after the new one";
  EXPECT_EQ(link_->queued(), 0u);
}

TEST_F(mqtt_link_test, a_publish_paho_never_reports_does_not_stop_publishing) {
  auto cfg = default_config();
  cfg.max_in_flight = 1;
  cfg.stall_check = 5ms;
  make_link(cfg);
  connect();
  link_->publish(message("a", "1"));
  link_->publish(message("a", "2"));
  EXPECT_EQ(published_payloads(), std::vector<std::string>{"1"});
  fake_->forget(0);  // neither success nor failure ever comes
  ASSERT_TRUE(run_until([&] { return fake_->publishes.size() == 2; }));
  EXPECT_EQ(published_payloads(), (std::vector<std::string>{"1", "2"}));
}

TEST_F(mqtt_link_test, after_a_reconnect_what_paho_still_holds_counts_as_in_flight) {
  auto cfg = default_config();
  cfg.max_in_flight = 2;
  make_link(cfg);
  connect();
  link_->publish(message("a", "1"));
  link_->publish(message("a", "2"));
  fake_->lose_connection();
  run_posted();
  fake_->acknowledge(0);  // Paho finished one across the outage; the other it will resend
  link_->publish(message("a", "3"));
  link_->publish(message("a", "4"));
  fake_->connect_succeeds();
  run_posted();
  EXPECT_EQ(published_payloads(), (std::vector<std::string>{"1", "2", "3"}));
}

TEST_F(mqtt_link_test, arrivals_past_the_inbound_bound_are_dropped_until_the_loop_catches_up) {
  auto cfg = default_config();
  const std::string topic = "clinic/beds/b1/vitals/heart_rate";
  const std::string payload(30, 'p');
  cfg.max_inbound_bytes = 2 * (topic.size() + payload.size());  // two messages wait, not three
  make_link(cfg);
  connect();
  for (int i = 0; i < 3; ++i) fake_->deliver(topic, payload);
  EXPECT_EQ(link_->counters().dropped_inbound_full, 1u);
  run_posted();
  EXPECT_EQ(inbound_.size(), 2u);
  // The loop has caught up: the bound is free again.
  for (int i = 0; i < 2; ++i) fake_->deliver(topic, payload);
  run_posted();
  EXPECT_EQ(inbound_.size(), 4u);
  EXPECT_EQ(link_->counters().received, 4u);
  EXPECT_EQ(link_->counters().dropped_inbound_full, 1u);
}

TEST_F(mqtt_link_test, a_message_larger_than_the_whole_inbound_bound_is_dropped) {
  auto cfg = default_config();
  cfg.max_inbound_bytes = 1024;
  make_link(cfg);
  connect();
  fake_->deliver("clinic/beds/b1/vitals/heart_rate", std::string(2048, 'x'));
  fake_->deliver("clinic/beds/b1/vitals/heart_rate", "small");
  run_posted();
  ASSERT_EQ(inbound_.size(), 1u);
  EXPECT_EQ(inbound_[0].payload, "small");
  EXPECT_EQ(link_->counters().dropped_inbound_full, 1u);
}

TEST_F(mqtt_link_test, publishes_before_the_first_connect_go_out_in_order_once_connected) {
  make_link();
  link_->start();
  link_->publish(message("a", "1", true));
  link_->publish(message("b", "2"));
  link_->publish(message("c", "3"));
  EXPECT_TRUE(fake_->publishes.empty());
  EXPECT_EQ(link_->queued(), 3u);
  fake_->connect_succeeds();
  run_posted();
  EXPECT_EQ(published_payloads(), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_TRUE(fake_->publishes[0].retained);
  EXPECT_FALSE(fake_->publishes[1].retained);
  EXPECT_EQ(fake_->publishes[0].qos, 1);
  EXPECT_EQ(link_->queued(), 0u);
}

TEST_F(mqtt_link_test, publishes_after_connection_loss_wait_and_reconnect_resubscribes) {
  make_link();
  connect();
  link_->publish(message("a", "before"));
  fake_->lose_connection();
  run_posted();
  link_->publish(message("a", "during-1"));
  link_->publish(message("a", "during-2"));
  EXPECT_EQ(published_payloads(), std::vector<std::string>{"before"});
  fake_->connect_succeeds();  // Paho's automatic reconnect
  run_posted();
  EXPECT_EQ(published_payloads(), (std::vector<std::string>{"before", "during-1", "during-2"}));
  EXPECT_EQ(fake_->subscriptions.size(), 2 * default_config().subscriptions.size());
  EXPECT_EQ(connected_calls_, 2);
  EXPECT_EQ(link_->counters().connections_lost, 1u);
}

TEST_F(mqtt_link_test, publish_refused_by_a_connection_just_lost_is_kept_first_in_line) {
  make_link();
  connect();
  fake_->connected = false;  // Paho lost it; its callback has not reached the loop yet
  link_->publish(message("a", "1"));
  link_->publish(message("a", "2"));
  EXPECT_TRUE(fake_->publishes.empty());
  EXPECT_FALSE(link_->connected());
  fake_->connect_succeeds();
  run_posted();
  EXPECT_EQ(published_payloads(), (std::vector<std::string>{"1", "2"}));
}

TEST_F(mqtt_link_test, publish_paho_rejects_while_connected_is_dropped_not_retried_forever) {
  make_link();
  connect();
  fake_->refuse_publish = true;
  link_->publish(message("bad", "1"));
  fake_->refuse_publish = false;
  link_->publish(message("good", "2"));
  EXPECT_EQ(published_payloads(), std::vector<std::string>{"2"});
  EXPECT_EQ(link_->counters().publish_failures, 1u);
}

TEST_F(mqtt_link_test, queue_full_drops_the_oldest) {
  auto cfg = default_config();
  cfg.max_queued = 2;
  make_link(cfg);
  link_->start();
  for (auto p : {"1", "2", "3"}) link_->publish(message("a", p));
  fake_->connect_succeeds();
  run_posted();
  EXPECT_EQ(published_payloads(), (std::vector<std::string>{"2", "3"}));
  EXPECT_EQ(link_->counters().dropped_queue_full, 1u);
}

TEST_F(mqtt_link_test, failed_first_connect_is_retried_on_a_timer) {
  // A backoff long enough that no poll() of a slow (sanitized, loaded) machine reaches it: with
  // 1 ms the timer had expired by the time run_posted() ran and the "at once" check failed in CI.
  auto cfg = default_config();
  cfg.retry_min = 250ms;
  cfg.retry_max = 500ms;
  make_link(cfg);
  link_->start();
  fake_->connect_fails();
  run_posted();
  EXPECT_EQ(fake_->connect_calls, 1) << "retried at once, without the backoff timer";
  ASSERT_TRUE(run_until([&] { return fake_->connect_calls == 2; }));
  fake_->connect_fails();
  ASSERT_TRUE(run_until([&] { return fake_->connect_calls == 3; }));
  EXPECT_EQ(link_->counters().connect_failures, 2u);
  fake_->connect_succeeds();
  run_posted();
  EXPECT_TRUE(link_->connected());
}

TEST_F(mqtt_link_test, connect_failure_after_the_first_success_is_left_to_paho) {
  make_link();
  connect();
  fake_->lose_connection();
  fake_->connect_fails();  // a failed automatic reconnect attempt
  run_posted();
  loop_.restart();
  loop_.run_for(20ms);
  EXPECT_EQ(fake_->connect_calls, 1);
}

TEST_F(mqtt_link_test, stop_disconnects_after_the_last_acknowledgement_and_reports_once) {
  make_link();
  connect();
  link_->publish(message("status", "OFFLINE", true));
  int done = 0;
  link_->stop([&] { ++done; });
  EXPECT_EQ(fake_->disconnect_calls, 0) << "disconnected before the PUBACK";
  fake_->acknowledge(0);
  run_posted();
  EXPECT_EQ(fake_->disconnect_calls, 1);
  EXPECT_EQ(done, 0);
  fake_->disconnect_completes();
  run_posted();
  EXPECT_EQ(done, 1);
  loop_.restart();
  loop_.run_for(50ms);  // the fallback timer must not report a second time
  EXPECT_EQ(done, 1);
}

TEST_F(mqtt_link_test, stop_does_not_wait_forever_for_a_missing_acknowledgement) {
  make_link();
  connect();
  link_->publish(message("status", "OFFLINE", true));
  bool done = false;
  link_->stop([&] { done = true; });
  ASSERT_TRUE(run_until([&] { return done; }));
  EXPECT_EQ(fake_->disconnect_calls, 1);
}

TEST_F(mqtt_link_test, stop_while_disconnected_reports_at_once) {
  make_link();
  link_->start();
  bool done = false;
  link_->stop([&] { done = true; });
  run_posted();
  EXPECT_TRUE(done);
  EXPECT_EQ(fake_->disconnect_calls, 0);
}

TEST_F(mqtt_link_test, abandon_hands_paho_nothing_more_and_disconnects_without_waiting) {
  auto cfg = default_config();
  cfg.max_in_flight = 1;
  make_link(cfg);
  connect();
  for (const auto* p : {"1", "2", "3"}) link_->publish(message("alarm", p));
  ASSERT_EQ(published_payloads(), (std::vector<std::string>{"1"}));
  int done = 0;
  link_->abandon([&] { ++done; });
  EXPECT_EQ(fake_->disconnect_calls, 1) << "waited for the acknowledgement in flight";
  fake_->acknowledge(0);  // room in flight again: nothing queued may follow
  link_->publish(message("alarm", "4"));
  run_posted();
  EXPECT_EQ(published_payloads(), (std::vector<std::string>{"1"}));
  fake_->disconnect_completes();
  run_posted();
  EXPECT_EQ(done, 1);
}

TEST_F(mqtt_link_test, abandon_after_stop_began_still_silences_the_link) {
  auto cfg = default_config();
  cfg.max_in_flight = 1;
  make_link(cfg);
  connect();
  for (const auto* p : {"1", "2"}) link_->publish(message("alarm", p));
  int done = 0;
  link_->stop([&] { ++done; });
  link_->abandon([&] { done += 10; });  // stop()'s report stands; nothing more goes out
  fake_->acknowledge(0);
  run_posted();
  EXPECT_EQ(published_payloads(), (std::vector<std::string>{"1"}));
  ASSERT_TRUE(run_until([&] {
    if (fake_->disconnect_calls > 0 && done == 0) fake_->disconnect_completes();
    return done != 0;
  }));
  EXPECT_EQ(done, 1);
}

}  // namespace
}  // namespace vigil::test
