// The metrics HTTP server on a real socket at a free port on 127.0.0.1, its loop on a thread of
// its own, a plain socket client in the test.
#include "io/http_server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <string>
#include <thread>
#include <vector>

namespace vigil::io {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct http_server_test : ::testing::Test {
  asio::io_context loop{1};
  http_server server{loop,
                     {{"/metrics",
                       [] {
                         return http_response{200, "text/plain", "up 1\n"};
                       }},
                      {"/ready", [] {
                         return http_response{503, "text/plain", "not ready\n"};
                       }}}};
  std::thread runner;

  void SetUp() override {
    server.start("127.0.0.1", 0);
    runner = std::thread([this] { loop.run(); });
  }
  void TearDown() override {
    asio::post(loop, [this] {
      server.stop();
      loop.stop();
    });
    runner.join();
  }

  // Sends `request` raw and reads until the server closes the connection.
  std::string exchange(const std::string& request) {
    asio::io_context client;
    tcp::socket s(client);
    s.connect({asio::ip::make_address("127.0.0.1"), server.port()});
    std::string reply;
    boost::system::error_code ec;  // a refused connection may be reset: no reply, no throw
    asio::write(s, asio::buffer(request), ec);
    if (!ec) asio::read(s, asio::dynamic_buffer(reply), ec);  // to EOF
    return reply;
  }
};

TEST_F(http_server_test, serves_a_route_with_its_status_type_and_body) {
  const auto r = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(r.substr(0, 17), "HTTP/1.1 200 OK\r\n");
  EXPECT_NE(r.find("Content-Type: text/plain\r\n"), std::string::npos);
  EXPECT_NE(r.find("Content-Length: 5\r\n"), std::string::npos);
  EXPECT_EQ(r.substr(r.size() - 5), "up 1\n");
  EXPECT_EQ(server.address(), "127.0.0.1:" + std::to_string(server.port()));
}

TEST_F(http_server_test, a_handler_chooses_its_status) {
  const auto r = exchange("GET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(r.substr(0, 12), "HTTP/1.1 503");
}

TEST_F(http_server_test, the_query_string_is_ignored) {
  const auto r = exchange("GET /metrics?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(r.substr(0, 12), "HTTP/1.1 200");
}

TEST_F(http_server_test, an_unknown_path_is_404) {
  const auto r = exchange("GET /admin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(r.substr(0, 12), "HTTP/1.1 404");
}

TEST_F(http_server_test, a_post_is_405_and_says_what_is_allowed) {
  const auto r = exchange("POST /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(r.substr(0, 12), "HTTP/1.1 405");
  EXPECT_NE(r.find("Allow: GET, HEAD\r\n"), std::string::npos);
}

TEST_F(http_server_test, head_has_the_length_but_no_body) {
  const auto r = exchange("HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(r.substr(0, 12), "HTTP/1.1 200");
  EXPECT_EQ(r.substr(r.size() - 4), "\r\n\r\n");
}

TEST_F(http_server_test, keep_alive_serves_two_requests_on_one_connection) {
  const auto r = exchange(
      "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto first = r.find("HTTP/1.1 200");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(r.find("HTTP/1.1 200", first + 1), std::string::npos);
}

TEST_F(http_server_test, garbage_and_oversized_headers_close_the_connection_and_nothing_else) {
  EXPECT_EQ(exchange("\x01\x02 not http\r\n\r\n").find("HTTP/1.1 200"), std::string::npos);
  const std::string huge = "GET /metrics HTTP/1.1\r\nX: " + std::string(9000, 'a') + "\r\n\r\n";
  EXPECT_EQ(exchange(huge).find("HTTP/1.1 200"), std::string::npos);
  // The server still answers.
  const auto r = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(r.substr(0, 12), "HTTP/1.1 200");
}

TEST_F(http_server_test, connections_over_the_limit_are_closed_and_a_freed_slot_serves_again) {
  asio::io_context client;
  std::vector<tcp::socket> idle;
  for (std::size_t i = 0; i < http_server::max_connections; ++i) {
    idle.emplace_back(client).connect({asio::ip::make_address("127.0.0.1"), server.port()});
  }
  // Accepted in order, so the one over the limit meets a full house: closed unanswered.
  EXPECT_EQ(exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), "");
  idle.pop_back();  // closing one frees its slot once the server reads its end
  std::string r;
  for (int i = 0; i < 100 && r.empty(); ++i) {
    r = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    if (r.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(r.substr(0, 12), "HTTP/1.1 200");
}

TEST(http_server_start_test, a_port_in_use_is_a_clear_error) {
  asio::io_context loop{1};
  http_server first(loop, {});
  first.start("127.0.0.1", 0);
  http_server second(loop, {});
  try {
    second.start("127.0.0.1", first.port());
    FAIL() << "bound twice";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen on 127.0.0.1:"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace vigil::io
