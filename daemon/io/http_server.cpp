#include "io/http_server.hpp"

// After io/asio.hpp, which includes Asio's core under the pragmas its warnings need.
#include "io/asio.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <optional>
#include <stdexcept>

namespace vigil::io {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct http_server::state : std::enable_shared_from_this<http_server::state> {
  state(asio::io_context& loop, std::map<std::string, http_handler> r)
      : acceptor(loop), routes(std::move(r)) {}
  tcp::acceptor acceptor;
  std::map<std::string, http_handler> routes;
  std::size_t open = 0;
  bool stopped = false;

  void accept();
  http::response<http::string_body> answer(const http::request<http::empty_body>& req);
};

namespace {

constexpr auto request_timeout = std::chrono::seconds(10);
constexpr std::uint32_t header_limit = 8 * 1024;

class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket socket, std::shared_ptr<http_server::state> server)
      : stream_(std::move(socket)), server_(std::move(server)) {
    ++server_->open;
  }
  ~session() { --server_->open; }

  void read() {
    parser_.emplace();
    parser_->header_limit(header_limit);
    parser_->body_limit(0);
    stream_.expires_after(request_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

 private:
  void on_read(beast::error_code ec) {
    if (ec) {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      return;
    }
    const auto req = parser_->release();
    response_ = server_->answer(req);
    response_.keep_alive(req.keep_alive() && !server_->stopped);
    response_.prepare_payload();
    if (req.method() == http::verb::head) response_.body().clear();
    http::async_write(
        stream_, response_,
        [self = shared_from_this()](beast::error_code e, std::size_t) { self->on_write(e); });
  }

  void on_write(beast::error_code ec) {
    if (!ec && response_.keep_alive()) return read();
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  http::response<http::string_body> response_;
  std::shared_ptr<http_server::state> server_;
};

}  // namespace

void http_server::state::accept() {
  acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    if (self->stopped || !self->acceptor.is_open()) return;
    if (!ec) {
      if (self->open >= max_connections) {
        socket.close(ec);  // too many at once: this one is refused, the loop is not
      } else {
        std::make_shared<session>(std::move(socket), self)->read();
      }
    }
    self->accept();
  });
}

http::response<http::string_body> http_server::state::answer(
    const http::request<http::empty_body>& req) {
  http::response<http::string_body> res;
  res.version(req.version());
  res.set(http::field::server, "vigild");
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    res.result(http::status::method_not_allowed);
    res.set(http::field::allow, "GET, HEAD");
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = "only GET and HEAD\n";
    return res;
  }
  std::string_view target(req.target().data(), req.target().size());
  target = target.substr(0, target.find('?'));
  const auto route = routes.find(std::string{target});
  if (route == routes.end()) {
    res.result(http::status::not_found);
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = "not found\n";
    return res;
  }
  auto answer = route->second();
  res.result(answer.status);
  res.set(http::field::content_type, answer.content_type);
  res.body() = std::move(answer.body);
  return res;
}

http_server::http_server(asio::io_context& loop, std::map<std::string, http_handler> routes)
    : state_(std::make_shared<state>(loop, std::move(routes))) {}

http_server::~http_server() { stop(); }

namespace {

// "127.0.0.1:9739", "[::1]:9739".
std::string host_port(const std::string& host, std::uint16_t port) {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
         std::to_string(port);
}

}  // namespace

void http_server::start(const std::string& host, std::uint16_t port) {
  const auto listen = host_port(host, port);
  beast::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("cannot listen on " + listen + ": not an IP address");
  const tcp::endpoint endpoint(address, port);
  auto& a = state_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + listen + ": " + ec.message());
  }
  port_ = a.local_endpoint().port();
  address_ = host_port(host, port_);
  state_->accept();
}

void http_server::stop() {
  state_->stopped = true;
  beast::error_code ec;
  state_->acceptor.close(ec);
}

}  // namespace vigil::io
