#include "alerts/alert_sender.hpp"

// After io/asio.hpp, which includes Asio's core under the pragmas its warnings need.
#include "io/asio.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <optional>
#include <utility>

#include "hl7/ack.hpp"
#include "hl7/er7.hpp"
#include "hl7/mllp.hpp"

namespace vigil::alerts {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

// TCP keepalive tuned so a silently dead AM (power cut, cable) is noticed within about a
// minute on an idle link instead of Linux's two hours: probes after 30 s idle, every 10 s, 3.
void keep_alive(tcp::socket& s) {
  error_code ec;
  s.set_option(asio::socket_base::keep_alive(true), ec);
  const int fd = s.native_handle();
  const int idle = 30;
  const int interval = 10;
  const int count = 3;
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
}

// MSH-10 of one of our own messages; "" when it cannot be read.
std::string control_id_of(const std::string& message) {
  hl7::message m;
  if (hl7::parse_er7(message, m)) return "";
  const auto* msh = m.find("MSH");
  return msh ? m.text(*msh, 10) : "";
}

std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct alert_sender::state : std::enable_shared_from_this<alert_sender::state> {
  state(asio::io_context& l, alert_queue& q, sender_settings s, wall_clock n)
      : loop(l),
        queue(q),
        settings(std::move(s)),
        now(n ? std::move(n) : wall_clock(system_now_ms)),
        resolver(l),
        socket(l),
        deadline(l),
        retry(l),
        reader(settings.max_frame_bytes),
        backoff(settings.backoff_initial) {}

  struct flight_info {
    std::uint64_t id = 0;
    std::string control_id;
    std::string alarm_id;
  };

  asio::io_context& loop;
  alert_queue& queue;
  sender_settings settings;
  wall_clock now;
  status_handler on_status;
  tcp::resolver resolver;
  tcp::socket socket;
  asio::steady_timer deadline;  // the connect attempt's, then the ACK's
  asio::steady_timer retry;     // the next connect, or an AE/CE resend
  hl7::mllp_reader reader;
  std::array<char, 4096> buffer{};
  std::deque<std::string> out;  // frames to write, the front one being written
  bool writing = false;
  bool stopped = true;
  bool connecting = false;
  std::uint64_t generation = 0;  // a handler of an older connection finds it changed
  std::optional<flight_info> flight;
  std::uint64_t last_sent_id = 0;  // to tell a resend from a first send
  std::uint64_t error_id = 0;      // the message the AE/CE answers were for
  std::uint32_t error_answers = 0;
  std::uint64_t acks_sent = 0;  // our own ACKs' MSH-10
  std::chrono::milliseconds backoff;
  sender_counters counters;

  bool stale(std::uint64_t gen) const { return stopped || gen != generation; }

  void connect() {
    if (stopped || connecting || counters.connected) return;
    connecting = true;
    const auto gen = ++generation;
    deadline.expires_after(settings.connect_timeout);
    deadline.async_wait([self = shared_from_this(), gen](const error_code& ec) {
      if (ec || self->stale(gen) || !self->connecting) return;
      self->fail("connecting timed out");
    });
    resolver.async_resolve(
        settings.host, std::to_string(settings.port),
        [self = shared_from_this(), gen](const error_code& ec, tcp::resolver::results_type r) {
          if (self->stale(gen)) return;
          if (ec) return self->fail("cannot resolve " + self->settings.host + ": " + ec.message());
          asio::async_connect(self->socket, r,
                              [self, gen](const error_code& e, const tcp::endpoint&) {
                                if (self->stale(gen)) return;
                                if (e) return self->fail(e.message());
                                self->connected(gen);
                              });
        });
  }

  void connected(std::uint64_t gen) {
    connecting = false;
    deadline.cancel();
    counters.connected = true;
    ++counters.connects;
    keep_alive(socket);
    reader = hl7::mllp_reader(settings.max_frame_bytes);
    spdlog::info("alert manager {}:{}: connected", settings.host, settings.port);
    read(gen);
    send_next();
  }

  // The connection is lost or never came: close it and try again after the backoff.
  void fail(const std::string& why) {
    spdlog::warn("alert manager {}:{}: {}; reconnecting in {} ms", settings.host, settings.port,
                 why, backoff.count());
    ++counters.connect_failures;
    close();
    retry.expires_after(backoff);
    backoff = std::min(backoff * 2, settings.backoff_max);
    retry.async_wait([self = shared_from_this()](const error_code& ec) {
      if (!ec && !self->stopped) self->connect();
    });
  }

  void close() {
    ++generation;
    error_code ec;
    resolver.cancel();
    socket.close(ec);
    deadline.cancel();
    connecting = false;
    counters.connected = false;
    out.clear();
    writing = false;
    flight.reset();  // sent again on the next connection
  }

  void read(std::uint64_t gen) {
    socket.async_read_some(asio::buffer(buffer), [self = shared_from_this(), gen](
                                                     const error_code& ec, std::size_t n) {
      if (self->stale(gen)) return;
      if (ec) {
        return self->fail(ec == asio::error::eof ? "the AM closed the connection" : ec.message());
      }
      self->reader.feed(std::string_view(self->buffer.data(), n));
      while (auto item = self->reader.next()) {
        if (self->stale(gen)) return;
        if (!item->is_frame) {
          ++self->counters.bad_frames;
          spdlog::warn("alert manager: {}", item->error);
          continue;
        }
        self->handle(item->frame);
      }
      if (!self->stale(gen)) self->read(gen);
    });
  }

  void write(std::string frame) {
    out.push_back(std::move(frame));
    if (!writing) write_front();
  }

  void write_front() {
    writing = true;
    asio::async_write(
        socket, asio::buffer(out.front()),
        [self = shared_from_this(), gen = generation](const error_code& ec, std::size_t) {
          if (self->stale(gen)) return;
          self->writing = false;
          if (ec) return self->fail(ec.message());
          self->out.pop_front();
          if (!self->out.empty()) self->write_front();
        });
  }

  // A queue that cannot be read or written (disk full, I/O error): logged, tried again later.
  void queue_failed(const queue_error& e) {
    spdlog::error("alert queue: {}; trying again in {} ms", e.what(), settings.backoff_max.count());
    retry.expires_after(settings.backoff_max);
    retry.async_wait([self = shared_from_this()](const error_code& ec) {
      if (!ec && !self->stopped) self->send_next();
    });
  }

  void send_next() {
    if (stopped || !counters.connected || flight) return;
    try {
      auto head = queue.head();
      while (head) {
        auto control = control_id_of(head->message);
        if (!control.empty()) {
          if (head->id == last_sent_id) ++counters.retries;
          last_sent_id = head->id;
          flight = flight_info{head->id, std::move(control), head->alarm_id};
          break;
        }
        spdlog::error("alert queue: message {} for {} has no readable MSH-10; dropped", head->id,
                      head->alarm_id);
        queue.remove(head->id, outcome::dropped, now());
        ++counters.dropped;
        head = queue.head();
      }
      if (!head) return;
      write(hl7::mllp_wrap(head->message));
    } catch (const queue_error& e) {
      return queue_failed(e);
    }
    ++counters.sent;
    const auto gen = generation;
    const auto id = flight->id;
    deadline.expires_after(settings.ack_timeout);
    deadline.async_wait([self = shared_from_this(), gen, id](const error_code& ec) {
      if (ec || self->stale(gen) || !self->flight || self->flight->id != id) return;
      ++self->counters.ack_timeouts;
      self->fail("no ACK for " + self->flight->control_id + " within " +
                 std::to_string(self->settings.ack_timeout.count()) + " ms");
    });
  }

  void handle(const std::string& frame) {
    const hl7::ack_params params{.application = settings.application,
                                 .control_id = settings.application + "-ACK-" +
                                               std::to_string(now()) + "-" +
                                               std::to_string(++acks_sent),
                                 .timestamp = hl7::format_dtm_utc(now())};
    auto m = hl7::read_am_message(frame, params);
    switch (m.what) {
      case hl7::am_message::kind::ack: return handle_ack(m.ack);
      case hl7::am_message::kind::status:
        ++counters.status_reports;
        if (m.status) {
          spdlog::info("alert manager: {}", hl7::describe(*m.status));
          if (on_status) on_status(*m.status);
        } else {
          spdlog::warn("alert manager: unreadable PCD-05: {}", m.error);
        }
        return write(hl7::mllp_wrap(m.reply));
      case hl7::am_message::kind::other: break;
    }
    ++counters.bad_frames;
    spdlog::warn("alert manager: ignored a frame: {}", m.error);
  }

  void handle_ack(const hl7::ack_reply& a) {
    if (!flight || a.control_id != flight->control_id) {
      ++counters.stale_acks;
      spdlog::info("alert manager: ignored a stale {} for {} (waiting for {})", a.code,
                   a.control_id, flight ? flight->control_id : std::string("nothing"));
      return;
    }
    deadline.cancel();
    const auto f = std::move(*flight);
    flight.reset();
    try {
      if (a.accepted()) {
        queue.remove(f.id, outcome::acked, now());
        ++counters.acked;
        backoff = settings.backoff_initial;
      } else if (a.rejected()) {
        queue.remove(f.id, outcome::rejected, now());
        ++counters.rejected;
        spdlog::error("alert manager rejected {} ({}) for {}: {}; dropped", f.control_id, a.code,
                      f.alarm_id, a.error_text);
      } else {
        return answer_error(f, a);
      }
    } catch (const queue_error& e) {
      return queue_failed(e);
    }
    send_next();
  }

  // AE/CE (or a code HL7 does not have): resend after a pause, a bounded number of times.
  void answer_error(const flight_info& f, const hl7::ack_reply& a) {
    ++counters.errors;
    if (error_id != f.id) error_answers = 0;
    error_id = f.id;
    if (++error_answers > settings.error_retries) {
      queue.remove(f.id, outcome::dropped, now());
      ++counters.dropped;
      spdlog::error("alert manager answered {} to {} for {} {} times: {}; dropped", a.code,
                    f.control_id, f.alarm_id, error_answers, a.error_text);
      return send_next();
    }
    spdlog::warn("alert manager answered {} to {} for {}: {}; resending in {} ms", a.code,
                 f.control_id, f.alarm_id, a.error_text, settings.backoff_initial.count());
    retry.expires_after(settings.backoff_initial);
    retry.async_wait([self = shared_from_this()](const error_code& ec) {
      if (!ec && !self->stopped) self->send_next();
    });
  }
};

alert_sender::alert_sender(asio::io_context& loop, alert_queue& queue, sender_settings settings,
                           wall_clock now)
    : state_(std::make_shared<state>(loop, queue, std::move(settings), std::move(now))) {}

alert_sender::~alert_sender() { stop(); }

void alert_sender::on_status(status_handler h) { state_->on_status = std::move(h); }

void alert_sender::start() {
  state_->stopped = false;
  state_->connect();
}

void alert_sender::wake() { state_->send_next(); }

void alert_sender::stop() {
  if (state_->stopped) return;
  state_->close();
  state_->stopped = true;
  state_->retry.cancel();
}

const sender_counters& alert_sender::counters() const { return state_->counters; }

std::size_t alert_sender::queue_depth() const { return state_->queue.depth(); }

}  // namespace vigil::alerts
