#include "am_stand_in.hpp"

#include "io/asio.hpp"

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <list>
#include <stdexcept>

#include "hl7/er7.hpp"
#include "hl7/mllp.hpp"

namespace vigil::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

std::string am_ack(std::string_view code, std::string_view control_id,
                   std::string_view error_text) {
  std::string m = "MSH|^~\\&|AM|HOSP|VIGIL||20261201120000+0000||ACK^R40^ACK|am-";
  m.append(control_id).append("|P|2.6\rMSA|").append(code).append("|").append(control_id);
  m.append("\r");
  if (!error_text.empty()) m.append("ERR|||207^Application internal error^HL70357|E|||");
  if (!error_text.empty()) m.append(error_text).append("\r");
  return m;
}

struct connection {
  explicit connection(tcp::socket s) : socket(std::move(s)), reader(1 << 20) {}
  tcp::socket socket;
  hl7::mllp_reader reader;
  std::array<char, 4096> buffer{};
};

struct am_stand_in::state : std::enable_shared_from_this<am_stand_in::state> {
  state(asio::io_context& l, script s) : loop(l), acceptor(l), answer(std::move(s)) {}
  asio::io_context& loop;
  tcp::acceptor acceptor;
  script answer;
  std::list<std::shared_ptr<connection>> open;
  std::vector<am_received> received;
  std::size_t accepted = 0;

  void listen(std::uint16_t port) {
    const tcp::endpoint at(asio::ip::make_address("127.0.0.1"), port);
    acceptor.open(at.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(at);
    acceptor.listen();
    accept();
  }

  void accept() {
    acceptor.async_accept([self = shared_from_this()](const error_code& ec, tcp::socket s) {
      if (ec) return;
      ++self->accepted;
      auto c = std::make_shared<connection>(std::move(s));
      self->open.push_back(c);
      self->read(c);
      self->accept();
    });
  }

  void read(const std::shared_ptr<connection>& c) {
    c->socket.async_read_some(asio::buffer(c->buffer),
                              [self = shared_from_this(), c](const error_code& ec, std::size_t n) {
                                if (ec) {
                                  self->open.remove(c);
                                  return;
                                }
                                c->reader.feed(std::string_view(c->buffer.data(), n));
                                while (auto item = c->reader.next()) {
                                  if (item->is_frame) self->on_message(c, item->frame);
                                }
                                if (c->socket.is_open()) self->read(c);
                              });
  }

  void on_message(const std::shared_ptr<connection>& c, const std::string& text) {
    hl7::message m;
    am_received r;
    r.text = text;
    if (!hl7::parse_er7(text, m)) {
      if (const auto* msh = m.find("MSH")) {
        r.control_id = m.text(*msh, 10);
        r.type = std::string(msh->field(9));
      }
      if (const auto* msa = m.find("MSA")) r.msa = m.text(*msa, 1) + "|" + m.text(*msa, 2);
    }
    received.push_back(r);
    if (r.type.rfind("ACK", 0) == 0) return;  // our ACK of a PCD-05: not answered
    std::size_t nth = 0;                      // how often this control id came, this time included
    for (const auto& x : received) nth += x.control_id == r.control_id ? 1 : 0;
    for (const auto& reply : answer(r, nth)) write(c, reply);
  }

  void write(const std::shared_ptr<connection>& c, const std::string& message) {
    auto frame = std::make_shared<std::string>(hl7::mllp_wrap(message));
    asio::async_write(c->socket, asio::buffer(*frame),
                      [c, frame](const error_code&, std::size_t) {});
  }

  void stop() {
    error_code ec;
    acceptor.close(ec);
    for (auto& c : open) c->socket.close(ec);
    open.clear();
  }
};

am_stand_in::am_stand_in(asio::io_context& loop, script answer)
    : state_(std::make_shared<state>(loop, std::move(answer))) {
  state_->listen(0);
  port_ = state_->acceptor.local_endpoint().port();
}

am_stand_in::~am_stand_in() { state_->stop(); }

const std::vector<am_received>& am_stand_in::received() const { return state_->received; }

std::size_t am_stand_in::connections() const { return state_->accepted; }

void am_stand_in::send(const std::string& message) {
  for (auto& c : state_->open) state_->write(c, message);
}

void am_stand_in::stop() { state_->stop(); }

void am_stand_in::restart() { state_->listen(port_); }

}  // namespace vigil::test
