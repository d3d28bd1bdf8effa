// vigil_mllp_load: senders of PCD-01 reports over MLLP, for bench/gateway_bench.sh. Each of
// --connections connections sends a report, waits for its ACK, and sends the next, as an HL7
// sender does (stop and wait), cycling over --beds locations "BENCH^R^<i>" (every bed is new
// to the gateway at the start: its first report also announces it). Every report carries an
// ECG HR and, every --nibp-every reports of a bed, a new NIBP. With --retry-refused a report
// answered AE/CE/AR/CR is sent again 100 ms later (as a sender does while the gateway refuses
// for want of its broker) and counted as refused; otherwise it counts as not accepted. The ACK
// time is from the first transmission. Prints one line:
//   reports=N seconds=S rate=R/s ack_p50_ms=.. ack_p99_ms=.. ack_max_ms=.. refused=F not_accepted=K
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "pcd01_sample.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

struct sender {
  int fd = -1;
  std::string in;
  std::string frame;  // the report in flight, for a resend
  clock_type::time_point sent_at;
  std::optional<clock_type::time_point> resend_at;
};

void send_all(int fd, std::string_view rest) {
  while (!rest.empty()) {
    const auto w = ::send(fd, rest.data(), rest.size(), MSG_NOSIGNAL);
    if (w <= 0) {
      std::fprintf(stderr, "vigil_mllp_load: send failed\n");
      std::exit(1);
    }
    rest.remove_prefix(static_cast<std::size_t>(w));
  }
}

int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return -1;
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"vigil_mllp_load: PCD-01 senders over MLLP, stop and wait"};
  int port = 0, beds = 1000, connections = 32, nibp_every = 5;
  long reports = 100'000;
  bool retry_refused = false;
  cli.add_option("--port", port)->required();
  cli.add_option("--beds", beds);
  cli.add_option("--connections", connections);
  cli.add_option("--reports", reports);
  cli.add_option("--nibp-every", nibp_every);
  cli.add_flag("--retry-refused", retry_refused);
  CLI11_PARSE(cli, argc, argv);

  std::vector<sender> senders(static_cast<std::size_t>(connections));
  for (auto& s : senders) {
    s.fd = connect_to(port);
    if (s.fd < 0) {
      std::fprintf(stderr, "vigil_mllp_load: cannot connect to 127.0.0.1:%d\n", port);
      return 1;
    }
  }
  const std::int64_t base_ms = vigil::test::now_ms();
  long next = 0, done = 0, not_accepted = 0, refused = 0;
  std::vector<double> latencies;
  latencies.reserve(static_cast<std::size_t>(reports));
  auto send_next = [&](sender& s) {
    if (next >= reports) return;
    const long n = next++;
    const int bed = static_cast<int>(n % beds);
    const long round = n / beds;  // this bed's n-th report
    const std::int64_t at = base_ms + round * 1000;
    const std::int64_t nibp_at = base_ms + (round / nibp_every) * nibp_every * 1000;
    s.frame = "\x0b";
    s.frame += vigil::test::pcd01("L" + std::to_string(n), "BENCH^R^" + std::to_string(bed),
                                  120 + static_cast<int>(round % 7), 80, 93, 72, nibp_at, at);
    s.frame += "\x1c\x0d";
    s.sent_at = clock_type::now();
    send_all(s.fd, s.frame);
  };
  const auto t0 = clock_type::now();
  for (auto& s : senders) send_next(s);
  std::vector<pollfd> fds(senders.size());
  while (done < reports) {
    const auto now = clock_type::now();
    int wait_ms = 10'000;
    for (auto& s : senders) {
      if (!s.resend_at) continue;
      if (*s.resend_at <= now) {
        s.resend_at.reset();
        send_all(s.fd, s.frame);
      } else {
        wait_ms = std::min(
            wait_ms,
            static_cast<int>(
                std::chrono::duration_cast<std::chrono::milliseconds>(*s.resend_at - now).count()) +
                1);
      }
    }
    for (std::size_t i = 0; i < senders.size(); ++i) fds[i] = {senders[i].fd, POLLIN, 0};
    const int ready = ::poll(fds.data(), fds.size(), wait_ms);
    if (ready == 0 && wait_ms < 10'000) continue;
    if (ready <= 0) {
      std::fprintf(stderr, "vigil_mllp_load: no ACK for 10 s (%ld of %ld done)\n", done, reports);
      return 1;
    }
    for (std::size_t i = 0; i < senders.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      auto& s = senders[i];
      char buf[8192];
      const auto n = ::recv(s.fd, buf, sizeof buf, 0);
      if (n <= 0 && retry_refused) {  // the gateway gave the report up: reconnect, resend
        ::close(s.fd);
        s.in.clear();
        do s.fd = connect_to(port);
        while (s.fd < 0);
        ++refused;
        s.resend_at = clock_type::now() + std::chrono::milliseconds(100);
        continue;
      }
      if (n <= 0) {
        std::fprintf(stderr, "vigil_mllp_load: the gateway closed a connection\n");
        return 1;
      }
      s.in.append(buf, static_cast<std::size_t>(n));
      const auto end = s.in.find("\x1c\x0d");
      if (end == std::string::npos) continue;
      const bool ok =
          s.in.find("MSA|CA|") != std::string::npos || s.in.find("MSA|AA|") != std::string::npos;
      s.in.erase(0, end + 2);
      if (!ok && retry_refused) {
        ++refused;
        s.resend_at = clock_type::now() + std::chrono::milliseconds(100);
        continue;
      }
      if (!ok) ++not_accepted;
      latencies.push_back(
          std::chrono::duration<double, std::milli>(clock_type::now() - s.sent_at).count());
      ++done;
      send_next(s);
    }
  }
  const double seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    return latencies[std::min(latencies.size() - 1,
                              static_cast<std::size_t>(p * static_cast<double>(latencies.size())))];
  };
  std::printf(
      "reports=%ld seconds=%.2f rate=%.0f ack_p50_ms=%.2f ack_p99_ms=%.2f ack_max_ms=%.2f "
      "refused=%ld not_accepted=%ld\n",
      done, seconds, static_cast<double>(done) / seconds, pct(0.5), pct(0.99), latencies.back(),
      refused, not_accepted);
  for (auto& s : senders) ::close(s.fd);
  return 0;
}
