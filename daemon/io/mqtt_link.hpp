// vigild's MQTT connection: a Paho async client driven from the Asio loop.
//
// Threads: constructed, called and destroyed on the loop thread. Paho runs its callbacks on
// its own thread; there they only copy what arrived into our own buffers under a short lock,
// and every handler below runs on the loop.
//
// Arrival, in batches: Paho's thread appends each message to a buffer whose strings are reused
// (no allocation once warm). A message that arrives while the loop is idle wakes it at once;
// while messages keep coming the loop takes whatever arrived every batch_interval, so a
// thousand readings a second cost a few hundred wake-ups instead of one post, one epoll_ctl
// and several context switches each. Messages waiting for the loop are bounded by their bytes:
// past max_inbound_bytes (the loop far behind: a flood while it stalls) arrivals are dropped
// on Paho's thread, counted, and logged once per thousand, rather than grown without limit.
//
// Delivery: everything is published in the order publish() was called, except that bulk
// messages (a restart's thousands of retained snapshots, which the broker usually still has)
// go after the others; a bulk snapshot whose topic is published again meanwhile is dropped as
// stale. Paho gets at most max_in_flight publishes awaiting acknowledgement (fewer if the
// broker's Receive Maximum is lower), bulk ones at most max_bulk_in_flight of them: what Paho
// queues beyond the broker's limit it sends only when next woken (measured: ~20 a second
// behind a Debian mosquitto, whose limit is 20), so a burst of alarms must wait here, where
// each acknowledgement releases the next at once. While disconnected, messages wait in the
// queue (bounded: past max_queued the oldest is dropped and counted) and go out in order once
// connected again. Messages Paho has already taken are its to retransmit
// after a reconnect (persistent MQTT 5 session, QoS 1). The broker's acknowledgements of
// messages with an outbox id are reported back in batches (on_published), so the caller can
// forget what is delivered.
#pragma once

#include <mqtt/iasync_client.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "codec/outbox.hpp"
#include "io/asio.hpp"
#include "io/inbound_batcher.hpp"
#include "io/outbound_queue.hpp"

namespace vigil::io {

struct mqtt_link_config {
  std::vector<std::string> subscriptions;  // filters, subscribed at QoS 1 on every connect
  // Backoff for a failed first connect, which Paho's automatic reconnect does not retry.
  std::chrono::milliseconds retry_min{1000};
  std::chrono::milliseconds retry_max{5000};
  // stop() waits this long at most for the broker to acknowledge what is in flight.
  std::chrono::milliseconds disconnect_timeout{1000};
  std::size_t max_queued = 100'000;
  std::size_t max_in_flight = 16;
  std::size_t max_bulk_in_flight = 8;
  // Publishes held at max_in_flight with no acknowledgement for this long: count again what
  // Paho still holds (a token it never reported must not stop publishing for good).
  std::chrono::milliseconds stall_check{2000};
  // Topic and payload bytes received and not yet handled by the loop. 64 MiB holds over half a
  // million ordinary readings (a ward's retained snapshots after a reconnect are a few
  // thousand) but only ~900 payloads at the 70 KiB a flooder may send.
  std::size_t max_inbound_bytes = 64 * 1024 * 1024;
  // While messages keep arriving the loop takes them every so often, aiming at batch_target
  // messages a wake-up at the arrival rate of the last several batches, within these bounds:
  // at 1,000 a second every 20 ms, at 5,000 every 13 ms, at 20,000 every 3 ms. Part of a reading's
  // latency under load; an idle loop is woken by the first message at once. (A wake-up of the loop
  // thread costs about 45 µs of CPU on the 2-core VM of the README's figures, thirty times the
  // handling of a reading.)
  std::size_t batch_target = 64;
  std::chrono::microseconds batch_interval_min{2000};
  std::chrono::microseconds batch_interval_max{20000};
  // Below this many messages a second the loop is woken for each (a few hundred wake-ups a
  // second cost little, and a small ward's alarms then wait for nothing).
  double batch_idle_rate = 200;
  // The most messages handed to on_messages at once; a backlog goes in several calls.
  std::size_t max_batch = 1024;
};

struct mqtt_link_handlers {
  // Messages in arrival order. The handler may move the strings out; the buffers are reused.
  std::function<void(std::span<inbound_message>)> on_messages;
  // After each (re)connect, once the subscriptions and queued messages are handed to Paho.
  std::function<void()> on_connected;
  // When an established connection is lost (Paho is already reconnecting). Optional.
  std::function<void()> on_disconnected;
  // Outbox ids of messages the broker acknowledged (QoS 1 PUBACK), in batches. Optional.
  std::function<void(std::span<const std::uint64_t>)> on_published;
};

struct mqtt_link_counters {
  std::uint64_t connects = 0;          // successful connects, reconnects included
  std::uint64_t connect_failures = 0;  // failed first-connect attempts
  std::uint64_t connections_lost = 0;
  std::uint64_t received = 0;              // handed to on_messages
  std::uint64_t batches = 0;               // on_messages calls
  std::uint64_t dropped_inbound_full = 0;  // arrived while max_inbound_bytes waited
  std::uint64_t published = 0;             // handed to Paho
  std::uint64_t publish_failures = 0;      // refused by Paho, or no PUBACK
  std::uint64_t dropped_queue_full = 0;
};

class mqtt_link {
 public:
  // `connect_options` is kept for the link's life and passed to Paho by reference-copy, so its
  // MQTT 5 properties survive (Paho C++ 1.2 loses them on copies of copies).
  mqtt_link(boost::asio::io_context& loop, std::unique_ptr<mqtt::iasync_client> client,
            mqtt::connect_options connect_options, mqtt_link_config cfg,
            mqtt_link_handlers handlers);
  ~mqtt_link();
  mqtt_link(const mqtt_link&) = delete;
  mqtt_link& operator=(const mqtt_link&) = delete;

  // Starts connecting; a failed first connect is retried on a timer until it succeeds.
  void start();
  // QoS and retain flag as given; queued while disconnected.
  void publish(codec::outgoing message, publish_priority p = publish_priority::normal);
  // Disconnects once the broker acknowledged what is in flight (at most disconnect_timeout);
  // `done` runs on the loop, exactly once, when Paho has disconnected or 500 ms later.
  void stop(std::function<void()> done);
  // Stops at once: hands Paho nothing more of what is queued and disconnects without waiting
  // for acknowledgements (an instance that lost the leader's lock must fall silent). `done` as
  // for stop().
  void abandon(std::function<void()> done);

  bool connected() const { return state_.connected; }
  std::size_t queued() const { return outbound_.queued(); }        // not yet with Paho
  std::size_t in_flight() const { return outbound_.in_flight(); }  // with Paho, no PUBACK yet
  mqtt_link_counters counters() const;

 private:
  class paho_callbacks;
  class connect_listener;
  class disconnect_listener;

  void connect();
  void on_connect_failed(std::string why);
  void on_connected();
  void subscribe();
  void on_connection_lost(std::string why);
  // stop()'s and abandon()'s start: false when already stopping, or not connected (then done
  // is reported from the loop at once).
  bool begin_stop(std::function<void()> done);
  void disconnect();
  void finish_stop();

  boost::asio::io_context& loop_;
  mqtt::connect_options connect_options_;
  mqtt_link_config cfg_;
  mqtt_link_handlers handlers_;
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer stop_timer_;
  std::chrono::milliseconds retry_delay_;
  mqtt_link_counters counters_;  // those of connecting; inbound_ and outbound_ keep the rest
  link_state state_;
  bool ever_connected_ = false;
  bool disconnecting_ = false;
  std::function<void()> stop_done_;
  std::optional<std::chrono::steady_clock::time_point> lost_at_;  // while disconnected
  // Paho calls these until the client is destroyed: they are declared before it so they
  // outlive it ("pure virtual method called" otherwise).
  inbound_batcher inbound_;
  outbound_queue outbound_;
  std::unique_ptr<paho_callbacks> callbacks_;
  std::unique_ptr<connect_listener> connect_listener_;
  std::unique_ptr<disconnect_listener> disconnect_listener_;
  std::unique_ptr<mqtt::iasync_client> client_;
};

}  // namespace vigil::io
