// vigil_mllp_floor: the floor beside vigil-gateway in bench/gateway_bench.sh. The same Asio
// loop on one thread and the same MLLP framing (hl7::mllp_reader), answering every frame with
// a fixed accept ACK that echoes MSH-10 found by a plain search: no HL7 parsing, no mapping, no
// state file, no broker. What is left between it and the gateway is the gateway's own work.
#include "io/asio.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <CLI/CLI.hpp>
#include <array>
#include <cstdio>
#include <deque>
#include <memory>

#include "hl7/mllp.hpp"

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// MSH-10: the text after the ninth '|' of the first segment.
std::string_view control_id(std::string_view m) {
  std::size_t at = 0;
  for (int bars = 0; bars < 9; ++bars) {
    at = m.find('|', at);
    if (at == std::string_view::npos) return {};
    ++at;
  }
  return m.substr(at, m.find('|', at) - at);
}

class session : public std::enable_shared_from_this<session> {
 public:
  explicit session(tcp::socket s) : socket_(std::move(s)), reader_(1 << 20) {}
  void read() {
    socket_.async_read_some(
        asio::buffer(buf_), [self = shared_from_this()](auto ec, std::size_t n) {
          if (ec) return;
          self->reader_.feed(std::string_view(self->buf_.data(), n));
          while (auto item = self->reader_.next()) {
            if (!item->is_frame) continue;
            std::string ack = "MSH|^~\\&|FLOOR||||||ACK^R01^ACK|A|P|2.6\rMSA|CA|";
            ack += control_id(item->frame);
            ack += "\r";
            self->send(vigil::hl7::mllp_wrap(ack));
          }
          self->read();
        });
  }

 private:
  void send(std::string s) {
    out_.push_back(std::move(s));
    if (out_.size() == 1) write();
  }
  void write() {
    asio::async_write(socket_, asio::buffer(out_.front()),
                      [self = shared_from_this()](auto ec, std::size_t) {
                        if (ec) return;
                        self->out_.pop_front();
                        if (!self->out_.empty()) self->write();
                      });
  }
  tcp::socket socket_;
  vigil::hl7::mllp_reader reader_;
  std::array<char, 16 * 1024> buf_{};
  std::deque<std::string> out_;
};

void accept(tcp::acceptor& a) {
  a.async_accept([&a](auto ec, tcp::socket s) {
    if (!ec) {
      s.set_option(tcp::no_delay(true));
      std::make_shared<session>(std::move(s))->read();
    }
    accept(a);
  });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"vigil_mllp_floor: MLLP framing and a fixed ACK, nothing else"};
  int port = 0;
  cli.add_option("--port", port)->required();
  CLI11_PARSE(cli, argc, argv);
  asio::io_context loop;
  tcp::acceptor a(
      loop, tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<std::uint16_t>(port)));
  accept(a);
  asio::signal_set signals(loop, SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) { loop.stop(); });
  loop.run();
  return 0;
}
