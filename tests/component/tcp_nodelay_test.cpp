#include "io/tcp_nodelay.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace vigil::io {
namespace {

int nodelay(int fd) {
  int on = -1;
  socklen_t len = sizeof on;
  EXPECT_EQ(::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, &len), 0);
  return on;
}

// A connected loopback pair: what Paho's connection to a local broker looks like.
struct loopback_pair {
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  int client = ::socket(AF_INET, SOCK_STREAM, 0);
  int accepted = -1;
  loopback_pair() {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    EXPECT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&a), len), 0);
    EXPECT_EQ(::listen(listener, 1), 0);
    EXPECT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len), 0);
    EXPECT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&a), len), 0);
    accepted = ::accept(listener, nullptr, nullptr);
  }
  ~loopback_pair() {
    ::close(accepted);
    ::close(client);
    ::close(listener);
  }
};

TEST(tcp_nodelay_test, turns_nagle_off_on_connected_tcp_sockets) {
  loopback_pair p;
  ASSERT_EQ(nodelay(p.client), 0);  // the kernel's default: Nagle on
  EXPECT_GE(disable_nagle_on_tcp_sockets(), 2u);
  EXPECT_NE(nodelay(p.client), 0);
  EXPECT_NE(nodelay(p.accepted), 0);
}

}  // namespace
}  // namespace vigil::io
