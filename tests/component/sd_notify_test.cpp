// sd_notifier against a datagram socket the test binds, and the journald priority prefixes.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "io/logging.hpp"
#include "io/sd_notify.hpp"

namespace vigil::io {
namespace {

// Binds `name` (a leading '@' means the abstract namespace) and returns the socket.
int bind_datagram(const std::string& name) {
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, name.data(), name.size());
  if (name[0] == '@') addr.sun_path[0] = '\0';
  const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), len), 0) << std::strerror(errno);
  timeval tv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  return fd;
}

std::string receive(int fd) {
  char buf[512];
  const auto n = ::recv(fd, buf, sizeof(buf), 0);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

TEST(sd_notifier_test, sends_each_state_as_one_datagram_to_an_abstract_socket) {
  const std::string name = "@vigil-sd-test-" + std::to_string(::getpid());
  const int fd = bind_datagram(name);
  sd_notifier n(name, std::nullopt);
  ASSERT_TRUE(n.enabled());
  EXPECT_TRUE(n.notify("READY=1\nSTATUS=connected"));
  EXPECT_TRUE(n.notify("WATCHDOG=1"));
  EXPECT_EQ(receive(fd), "READY=1\nSTATUS=connected");
  EXPECT_EQ(receive(fd), "WATCHDOG=1");
  ::close(fd);
}

TEST(sd_notifier_test, sends_to_a_socket_path) {
  const std::string path = "/tmp/vigil-sd-test-" + std::to_string(::getpid());
  ::unlink(path.c_str());
  const int fd = bind_datagram(path);
  sd_notifier n(path, std::chrono::microseconds(200'000));
  EXPECT_EQ(n.watchdog_interval(), std::chrono::microseconds(200'000));
  EXPECT_TRUE(n.notify("STOPPING=1"));
  EXPECT_EQ(receive(fd), "STOPPING=1");
  ::close(fd);
  ::unlink(path.c_str());
}

TEST(sd_notifier_test, without_a_socket_does_nothing) {
  sd_notifier none;
  EXPECT_FALSE(none.enabled());
  EXPECT_FALSE(none.notify("READY=1"));
  // A relative path is not a notify socket (sd_notify(3) ignores it too).
  EXPECT_FALSE(sd_notifier("relative/path", std::nullopt).enabled());
}

TEST(sd_notifier_test, reads_the_watchdog_only_when_it_is_meant_for_this_process) {
  ::setenv("NOTIFY_SOCKET", "@vigil-env-test", 1);
  ::setenv("WATCHDOG_USEC", "3000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  auto mine = sd_notifier::from_environment();
  EXPECT_TRUE(mine.enabled());
  EXPECT_EQ(mine.watchdog_interval(), std::chrono::microseconds(3'000'000));
  ::setenv("WATCHDOG_PID", "1", 1);
  EXPECT_EQ(sd_notifier::from_environment().watchdog_interval(), std::nullopt);
  ::unsetenv("WATCHDOG_PID");
  ::unsetenv("WATCHDOG_USEC");
  EXPECT_EQ(sd_notifier::from_environment().watchdog_interval(), std::nullopt);
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_FALSE(sd_notifier::from_environment().enabled());
}

TEST(journal_prefix_test, maps_levels_to_syslog_priorities) {
  EXPECT_EQ(journal_prefix(spdlog::level::err), "<3>");
  EXPECT_EQ(journal_prefix(spdlog::level::warn), "<4>");
  EXPECT_EQ(journal_prefix(spdlog::level::info), "<6>");
  EXPECT_EQ(journal_prefix(spdlog::level::debug), "<7>");
}

}  // namespace
}  // namespace vigil::io
