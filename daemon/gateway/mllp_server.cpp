#include "gateway/mllp_server.hpp"

// After io/asio.hpp, which includes Asio's core under the pragmas its warnings need.
#include "io/asio.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <spdlog/spdlog.h>

#include <array>
#include <deque>
#include <list>
#include <optional>
#include <stdexcept>

#include "hl7/mllp.hpp"

namespace vigil::gateway {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct connection_base {
  virtual ~connection_base() = default;
  virtual void close() = 0;
};

struct mllp_server::state : std::enable_shared_from_this<mllp_server::state> {
  state(asio::io_context& l, const settings::mllp_settings& st, mllp_handler h)
      : loop(l), acceptor(l), s(st), handler(std::move(h)) {}
  asio::io_context& loop;
  tcp::acceptor acceptor;
  settings::mllp_settings s;
  mllp_handler handler;
  std::optional<ssl::context> tls;
  mllp_counters counters;
  std::list<std::weak_ptr<connection_base>> open;
  bool stopped = false;

  void accept();
};

namespace {

using std::chrono::milliseconds;

// One sender's connection over a plain socket or a TLS stream.
template <class Stream>
class connection : public connection_base, public std::enable_shared_from_this<connection<Stream>> {
 public:
  connection(Stream stream, std::string peer, std::shared_ptr<mllp_server::state> server)
      : stream_(std::move(stream)),
        peer_(std::move(peer)),
        server_(std::move(server)),
        timer_(server_->loop),
        reader_(server_->s.max_frame_bytes) {
    ++server_->counters.open;
  }
  ~connection() override { --server_->counters.open; }

  void begin() {
    if constexpr (std::is_same_v<Stream, tcp::socket>) {
      read();
    } else {
      arm();
      stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](
                                                            boost::system::error_code ec) {
        if (ec) {
          ++self->server_->counters.tls_failures;
          spdlog::warn("mllp: TLS handshake with {} failed: {}", self->peer_, ec.message());
          return self->close();
        }
        self->read();
      });
    }
  }

  void close() override {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    boost::system::error_code ec;
    lowest().shutdown(tcp::socket::shutdown_both, ec);
    lowest().close(ec);
  }

 private:
  tcp::socket& lowest() {
    if constexpr (std::is_same_v<Stream, tcp::socket>) return stream_;
    else return stream_.next_layer();
  }

  // The connection's one deadline: finish the frame begun, or say something.
  void arm() {
    const bool mid = reader_.mid_frame();
    timer_.expires_after(
        milliseconds(mid ? server_->s.frame_timeout_ms : server_->s.idle_timeout_ms));
    timer_.async_wait([self = this->shared_from_this(), mid](boost::system::error_code ec) {
      if (ec || self->closed_) return;
      ++self->server_->counters.timeouts;
      spdlog::warn("mllp: closing {}: {}", self->peer_,
                   mid ? "a frame begun and not finished in time" : "nothing sent in time");
      self->close();
    });
  }

  void read() {
    if (closed_) return;
    arm();
    stream_.async_read_some(asio::buffer(buffer_), [self = this->shared_from_this()](
                                                       boost::system::error_code ec,
                                                       std::size_t n) { self->on_read(ec, n); });
  }

  void on_read(boost::system::error_code ec, std::size_t n) {
    if (ec || closed_) return close();
    reader_.feed(std::string_view(buffer_.data(), n));
    while (auto item = reader_.next()) {
      if (!item->is_frame) {
        ++server_->counters.framing_errors;
        spdlog::warn("mllp: from {}: {}", peer_, item->error);
        continue;
      }
      ++server_->counters.frames;
      const std::uint64_t slot = first_slot_ + replies_.size();
      replies_.emplace_back();
      server_->handler(item->frame, peer_, [weak = this->weak_from_this(), slot](std::string ack) {
        if (auto self = weak.lock()) self->answer(slot, std::move(ack));
      });
      if (closed_) return;
    }
    read();
  }

  // The answer to the frame numbered `slot`; answers go out in frame order.
  void answer(std::uint64_t slot, std::string ack) {
    if (closed_ || slot < first_slot_ || slot - first_slot_ >= replies_.size()) return;
    if (ack.empty()) return close();  // the handler could not take it: the sender resends
    replies_[slot - first_slot_] = std::move(ack);
    while (!replies_.empty() && replies_.front()) {
      send(hl7::mllp_wrap(*replies_.front()));
      replies_.pop_front();
      ++first_slot_;
    }
  }

  void send(std::string framed) {
    writes_.push_back(std::move(framed));
    if (writes_.size() == 1) write_next();
  }

  void write_next() {
    asio::async_write(stream_, asio::buffer(writes_.front()),
                      [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
                        if (ec) return self->close();
                        self->writes_.pop_front();
                        if (!self->writes_.empty()) self->write_next();
                      });
  }

  Stream stream_;
  std::string peer_;
  std::shared_ptr<mllp_server::state> server_;
  asio::steady_timer timer_;
  hl7::mllp_reader reader_;
  std::array<char, 16 * 1024> buffer_{};
  std::deque<std::string> writes_;
  std::deque<std::optional<std::string>> replies_;  // answers not yet sent, in frame order
  std::uint64_t first_slot_ = 0;                    // the frame number of replies_.front()
  bool closed_ = false;
};

std::string peer_name(const tcp::socket& s) {
  boost::system::error_code ec;
  const auto ep = s.remote_endpoint(ec);
  return ec ? "an unknown peer" : ep.address().to_string() + ":" + std::to_string(ep.port());
}

}  // namespace

void mllp_server::state::accept() {
  acceptor.async_accept([self = shared_from_this()](boost::system::error_code ec,
                                                    tcp::socket socket) {
    if (self->stopped) return;
    if (!ec) {
      self->open.remove_if([](const auto& w) { return w.expired(); });
      if (self->counters.open >= self->s.max_connections) {
        ++self->counters.refused;
        spdlog::warn("mllp: refusing {}: {} connections already open", peer_name(socket),
                     self->counters.open);
      } else {
        ++self->counters.connections;
        // An ACK is a few dozen bytes: without this it may wait for the sender's delayed ACK.
        boost::system::error_code nodelay_ec;
        socket.set_option(tcp::no_delay(true), nodelay_ec);
        auto peer = peer_name(socket);
        std::shared_ptr<connection_base> c;
        if (self->tls) {
          auto conn = std::make_shared<connection<ssl::stream<tcp::socket>>>(
              ssl::stream<tcp::socket>(std::move(socket), *self->tls), std::move(peer), self);
          conn->begin();
          c = conn;
        } else {
          auto conn =
              std::make_shared<connection<tcp::socket>>(std::move(socket), std::move(peer), self);
          conn->begin();
          c = conn;
        }
        self->open.push_back(c);
      }
    }
    self->accept();
  });
}

mllp_server::mllp_server(asio::io_context& loop, const settings::mllp_settings& s, mllp_handler h)
    : state_(std::make_shared<state>(loop, s, std::move(h))) {}

mllp_server::~mllp_server() { stop(); }

void mllp_server::start() {
  const auto address = settings::parse_listen_address(state_->s.listen);
  if (!address) throw std::runtime_error("mllp.listen: not an address: " + state_->s.listen);
  if (state_->s.tls_cert_file) {
    auto& tls = state_->tls.emplace(ssl::context::tls_server);
    tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    tls.use_certificate_chain_file(*state_->s.tls_cert_file, ec);
    if (ec)
      throw std::runtime_error("mllp.tls_cert_file " + *state_->s.tls_cert_file + ": " +
                               ec.message());
    tls.use_private_key_file(*state_->s.tls_key_file, ssl::context::pem, ec);
    if (ec)
      throw std::runtime_error("mllp.tls_key_file " + *state_->s.tls_key_file + ": " +
                               ec.message());
    if (state_->s.tls_ca_file) {
      tls.load_verify_file(*state_->s.tls_ca_file, ec);
      if (ec)
        throw std::runtime_error("mllp.tls_ca_file " + *state_->s.tls_ca_file + ": " +
                                 ec.message());
      tls.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    }
  }
  boost::system::error_code ec;
  const tcp::endpoint ep(asio::ip::make_address(address->host, ec), address->port);
  auto& a = state_->acceptor;
  if (!ec) a.open(ep.protocol(), ec);
  if (!ec) a.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("mllp: cannot listen on " + state_->s.listen + ": " + ec.message());
  state_->accept();
}

void mllp_server::stop() {
  if (state_->stopped) return;
  state_->stopped = true;
  boost::system::error_code ec;
  state_->acceptor.close(ec);
  for (auto& w : state_->open)
    if (auto c = w.lock()) c->close();
  state_->open.clear();
}

std::uint16_t mllp_server::port() const {
  boost::system::error_code ec;
  const auto ep = state_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

const mllp_counters& mllp_server::counters() const { return state_->counters; }

}  // namespace vigil::gateway
