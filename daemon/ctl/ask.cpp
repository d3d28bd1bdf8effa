#include "ctl/ask.hpp"

#include <unistd.h>

#include <mqtt/async_client.h>
#include <spdlog/fmt/fmt.h>

#include <set>
#include <utility>

#include "codec/topics.hpp"
#include "ctl/mqtt_session.hpp"
#include "io/connect_options.hpp"

namespace vigil::ctl {

namespace {
using namespace std::chrono_literals;
constexpr auto broker_timeout = 5s;
constexpr int max_pages = 1000;  // 5,000,000 events: a guard against a loop, not a limit seen
}  // namespace

asker::asker(const settings::mqtt_settings& broker, const std::string& prefix)
    : uri_(broker.broker_uri), request_topic_(codec::history_request_topic(prefix)) {
  const std::string id = "vigilctl-history-" + std::to_string(::getpid());
  response_topic_ = codec::history_response_root(prefix) + id;
  try {
    client_ = std::make_unique<mqtt::async_client>(uri_, id, mqtt::create_options(MQTTVERSION_5));
    auto opts = mqtt::connect_options_builder()
                    .mqtt_version(MQTTVERSION_5)
                    .clean_start(true)
                    .connect_timeout(broker_timeout)
                    .finalize();
    io::set_login_and_tls(opts, broker);
    client_->start_consuming();
    if (!client_->connect(opts)->wait_for(broker_timeout)) {
      throw ctl_error("cannot connect to " + uri_ + ": no answer within 5 s");
    }
    auto sub = client_->subscribe(response_topic_, 1);
    if (!sub->wait_for(broker_timeout)) throw ctl_error("cannot subscribe on " + uri_);
    const auto codes = sub->get_subscribe_response().get_reason_codes();
    if (!codes.empty() && codes.front() >= mqtt::ReasonCode::UNSPECIFIED_ERROR) {
      throw ctl_error("the broker refused the subscription to " + response_topic_ +
                      " (is this account allowed to read the history's answers?)");
    }
  } catch (const mqtt::exception& e) {
    throw ctl_error("cannot connect to " + uri_ + ": " + e.what());
  } catch (const std::runtime_error& e) {
    if (dynamic_cast<const ctl_error*>(&e)) throw;
    throw ctl_error(e.what());
  }
}

asker::~asker() {
  try {
    if (client_ && client_->is_connected()) client_->disconnect()->wait_for(2s);
  } catch (const mqtt::exception&) {
    // Gone already.
  }
}

codec::history_response asker::ask(const codec::history_request& r,
                                   std::chrono::milliseconds timeout) {
  // Appended, not "q" + std::to_string(): GCC 12 at -O2 warns (-Wrestrict, a false positive).
  std::string correlation(1, 'q');
  correlation += std::to_string(next_++);
  auto msg = mqtt::make_message(request_topic_, codec::encode(r), 1, false);
  msg->set_properties({{mqtt::property::RESPONSE_TOPIC, response_topic_},
                       {mqtt::property::CORRELATION_DATA, correlation}});
  try {
    if (!client_->publish(msg)->wait_for(broker_timeout)) {
      throw ctl_error("cannot publish the request on " + uri_);
    }
  } catch (const mqtt::exception& e) {
    throw ctl_error("cannot publish the request on " + uri_ + ": " + e.what());
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = deadline - std::chrono::steady_clock::now();
    mqtt::const_message_ptr answer;
    if (left <= 0ms || !client_->try_consume_message_for(&answer, left)) {
      throw ctl_error(fmt::format(
          "no answer from vigild within {:g} s (is vigild running, and may this account ask? "
          "the broker drops a request its ACL refuses)",
          static_cast<double>(timeout.count()) / 1000));
    }
    if (!answer) continue;  // a connection event
    const auto& props = answer->get_properties();
    if (!props.contains(mqtt::property::CORRELATION_DATA) ||
        mqtt::get<std::string>(props, mqtt::property::CORRELATION_DATA) != correlation) {
      continue;  // an earlier request's late answer
    }
    const auto& payload = answer->get_payload_ref();
    auto decoded = codec::decode_history_response(std::string_view(payload.data(), payload.size()));
    if (!decoded) throw ctl_error("vigild's answer: " + decoded.error());
    auto response = std::move(decoded).value();
    if (!response.error.empty()) throw ctl_error("vigild refused: " + response.error);
    return response;
  }
}

codec::history_response asker::ask_all(codec::history_request r,
                                       std::chrono::milliseconds timeout) {
  codec::history_response all;
  std::set<std::pair<std::string, std::uint64_t>> seen;
  std::set<std::pair<std::string, std::string>> sessions;
  for (int page = 0; page < max_pages; ++page) {
    auto part = ask(r, timeout);
    for (auto& e : part.events) {
      if (seen.emplace(e.bed_id, e.event_seq).second) all.events.push_back(std::move(e));
    }
    for (auto& s : part.sessions) {
      if (sessions.emplace(s.bed_id, s.session_id).second) all.sessions.push_back(std::move(s));
    }
    all.at_ms = part.at_ms;
    if (!part.truncated || part.events.empty()) return all;
    const auto last = all.events.back().at_ms;
    if (last == r.since_ms) {
      throw ctl_error(
          "more than one answer's worth of events in one millisecond; narrow the query");
    }
    r.since_ms = last;
    if (r.until_ms == 0) r.until_ms = part.at_ms;  // the same window on every page
  }
  throw ctl_error("too many events; narrow the query with --since, --until or --bed");
}

}  // namespace vigil::ctl
