// The subcommands that talk to a broker: publish and record (Paho MQTT C++ async client).
// Paho's callbacks run on Paho's thread: record posts each message to its Asio loop, which owns
// the writer; publish only stores the bed's latest retained active alarms under a mutex.
#include <unistd.h>

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange unincluded

#include <mqtt/async_client.h>
#include <chrono>
#include <deque>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>
#include "io/asio.hpp"

#include "codec/codec.hpp"
#include "codec/topics.hpp"
#include "io/connect_options.hpp"
#include "io/recording.hpp"
#include "replay/ack_resolution.hpp"
#include "replay/commands.hpp"

namespace vigil::replay {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr auto connect_timeout = 5s;
constexpr std::size_t max_unconfirmed = 1000;  // publishes in flight before we wait

core::time_ms wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string client_id(std::string_view what) {
  return "vigil-replay-" + std::string(what) + "-" + std::to_string(::getpid());
}

// Connects or explains why not. A first connect is not retried: a tool run by hand or by a
// test should fail fast with the broker's address in the message.
bool connect(mqtt::async_client& client, const settings::mqtt_settings& login) {
  const std::string& broker = login.broker_uri;
  auto opts = mqtt::connect_options_builder()
                  .clean_session(true)
                  .automatic_reconnect(1s, 5s)
                  .connect_timeout(connect_timeout)
                  .finalize();
  try {
    io::set_login_and_tls(opts, login);
  } catch (const std::runtime_error& e) {
    std::cerr << e.what() << '\n';
    return false;
  }
  try {
    if (client.connect(opts)->wait_for(connect_timeout + 1s)) return true;
    std::cerr << broker << ": no connection within " << (connect_timeout + 1s).count() << " s\n";
  } catch (const mqtt::exception& e) {
    std::cerr << broker << ": cannot connect: " << e.what() << '\n';
  }
  return false;
}

void disconnect(mqtt::async_client& client) {
  try {
    client.disconnect()->wait_for(2s);
  } catch (const mqtt::exception&) {
    // Already gone: nothing left to flush to it.
  }
}

// The latest retained ActiveAlarms of every bed, fed by Paho's thread.
class active_alarms_view {
 public:
  void update(std::string_view payload) {
    auto a = codec::decode_active_alarms(payload);
    if (!a) return;
    const std::lock_guard lock(mutex_);
    beds_[a.value().bed_id] = std::move(a.value());
  }
  std::optional<std::string> resolve(const std::string& bed, std::string_view condition) {
    const std::lock_guard lock(mutex_);
    const auto it = beds_.find(bed);
    return it == beds_.end() ? std::nullopt : resolve_ack(condition, it->second);
  }

 private:
  std::mutex mutex_;
  std::map<std::string, core::active_alarms> beds_;
};

// Checks the whole recording before anything is published: a corrupt file publishes nothing.
bool check_recording(const std::string& path) {
  io::recording_reader reader;
  if (reader.open(path)) {
    while (reader.next()) {
    }
  }
  const auto& err = reader.error();
  if (!err) return true;
  if (err->fault == io::read_fault::truncated_frame) {
    std::cerr << path << ": warning: " << err->message
              << "; publishing the whole frames before it\n";
    return true;
  }
  std::cerr << path << ": " << err->message << '\n';
  return false;
}

// Reports each SUBACK to the loop. Paho keeps a reference: it must outlive the client.
class subscribe_listener : public mqtt::iaction_listener {
 public:
  explicit subscribe_listener(std::function<void(bool)> done) : done_(std::move(done)) {}
  void on_success(const mqtt::token&) override { done_(true); }
  void on_failure(const mqtt::token&) override { done_(false); }

 private:
  std::function<void(bool)> done_;
};

}  // namespace

int run_publish(const publish_args& a) {
  if (!check_recording(a.recording)) return exit_bad_input;
  mqtt::async_client client(a.broker.broker_uri, client_id("publish"));
  active_alarms_view active;
  client.set_message_callback([&](mqtt::const_message_ptr m) { active.update(m->get_payload()); });
  if (!connect(client, a.broker)) return exit_bad_input;
  io::recording_reader reader;
  (void)reader.open(a.recording);  // checked above
  std::deque<mqtt::delivery_token_ptr> unconfirmed;
  std::optional<core::time_ms> first_time;
  std::uint64_t published = 0;
  try {
    // Retained: every bed's open alarms arrive at once, so imported acks can be resolved.
    client.subscribe(a.prefix + "/beds/+/alarms/active", 1)->wait_for(connect_timeout);
    const auto wall_start = std::chrono::steady_clock::now();
    while (auto f = reader.next()) {
      if (f->kind == io::frame_kind::end) break;
      if (!first_time) first_time = f->time;
      const auto due = wall_start + std::chrono::duration<double, std::milli>(
                                        static_cast<double>(f->time - *first_time) / a.speed);
      std::this_thread::sleep_until(std::chrono::time_point_cast<std::chrono::nanoseconds>(due));

      std::string payload(f->payload);
      const auto topic = codec::parse_input_topic(a.prefix, f->topic);
      const bool status = topic && topic.value().kind == codec::input_kind::monitor_status;
      if (topic && topic.value().kind == codec::input_kind::ack) {
        if (auto ack = codec::decode_alarm_ack(payload)) {
          if (auto condition = unresolved_condition(ack.value().alarm_id)) {
            if (auto id = active.resolve(topic.value().bed, *condition)) {
              ack.value().alarm_id = *id;
              payload = codec::encode(ack.value());
            } else {
              std::cerr << "warning: bed " << topic.value().bed << ": ack " << *condition
                        << " found no open alarm in the retained active topic\n";
            }
          }
        }
      }
      // QoS 1 for every input (HR may be 0 or 1); monitor status is retained, as gateways do.
      unconfirmed.push_back(
          client.publish(mqtt::make_message(std::string(f->topic), payload, 1, status)));
      ++published;
      if (unconfirmed.size() > max_unconfirmed) {
        unconfirmed.front()->wait();
        unconfirmed.pop_front();
      }
    }
    for (auto& t : unconfirmed) t->wait();
  } catch (const mqtt::exception& e) {
    std::cerr << a.broker.broker_uri << ": publish failed: " << e.what() << '\n';
    disconnect(client);
    return exit_bad_input;
  }
  disconnect(client);
  std::cerr << a.recording << ": published " << published << " messages\n";
  return exit_ok;
}

namespace {

// Runs the loop until SIGINT or SIGTERM, or for `duration_s` when given; then disconnects the
// client and lets the writes already queued run.
void run_until_stopped(asio::io_context& loop,
                       asio::executor_work_guard<asio::io_context::executor_type>& work,
                       mqtt::async_client& client, std::optional<double> duration_s) {
  asio::signal_set signals(loop, SIGINT, SIGTERM);
  asio::steady_timer timer(loop);
  const auto stop = [&] {
    signals.cancel();
    timer.cancel();
    disconnect(client);  // after this no callback posts; the queued writes still run
    work.reset();
  };
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) stop();
  });
  if (duration_s) {
    timer.expires_after(std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::duration<double>(*duration_s)));
    timer.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) stop();
    });
  }
  loop.run();
}

}  // namespace

int run_record(const record_args& a) {
  io::recording_writer writer;
  const io::recording_header header{
      io::format_version, wall_ms(),
      "vigil-replay record --broker " + a.broker.broker_uri + " --prefix " + a.prefix};
  if (auto ec = writer.open(a.out, header)) {
    std::cerr << a.out << ": " << ec.message() << '\n';
    return exit_bad_input;
  }

  asio::io_context loop(1);
  auto work = asio::make_work_guard(loop);
  std::uint64_t frames = 0;
  std::error_code write_error;
  const auto write = [&](core::time_ms t, const mqtt::const_message_ptr& m) {
    if (write_error) return;
    write_error = writer.append(t, m->get_topic(), m->get_payload());
    if (write_error) {
      std::cerr << a.out << ": " << write_error.message() << "; stopping\n";
      ::raise(SIGTERM);  // stops through the signal_set below, closing what was written
    }
    ++frames;
  };

  const auto filters = codec::input_filters(a.prefix);
  bool announced = false;
  subscribe_listener subscribed([&](bool ok) {
    asio::post(loop, [&, ok] {
      // Scripts and tests wait for this line before they publish.
      if (ok && !announced) std::cerr << a.out << ": recording " << a.prefix << "/beds/+/...\n";
      if (!ok) std::cerr << a.broker.broker_uri << ": warning: subscription refused\n";
      announced = announced || ok;
    });
  });
  mqtt::async_client client(a.broker.broker_uri, client_id("record"));
  client.set_message_callback([&](mqtt::const_message_ptr m) {
    const core::time_ms received = wall_ms();  // the receive time, as vigild would stamp it
    asio::post(loop, [&write, received, m] { write(received, m); });
  });
  // Runs after every (re)connect: a clean session has lost its subscriptions. Never wait on a
  // token here: the SUBACK arrives on this same thread.
  client.set_connected_handler([&](const std::string&) {
    client.subscribe(mqtt::string_collection::create(filters),
                     mqtt::iasync_client::qos_collection(filters.size(), 1), nullptr, subscribed);
  });
  if (!connect(client, a.broker)) return exit_bad_input;

  run_until_stopped(loop, work, client, a.duration_s);

  if (auto ec = writer.close(wall_ms())) {
    std::cerr << a.out << ": " << ec.message() << '\n';
    return exit_bad_input;
  }
  std::cerr << a.out << ": recorded " << frames << " messages\n";
  return write_error ? exit_bad_input : exit_ok;
}

}  // namespace vigil::replay
