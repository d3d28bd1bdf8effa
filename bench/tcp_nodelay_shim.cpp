// LD_PRELOAD shim for the end-to-end benchmark's --tcp-nodelay runs: sets TCP_NODELAY on every
// TCP socket the process connects. Paho C 1.3 leaves Nagle's algorithm on and offers no way to
// turn it off, so this is how the benchmark measures what Nagle costs the alarm path (a
// client that has just sent a PUBACK holds its next small PUBLISH until that is acknowledged,
// and the broker delays its ACK). Never part of vigild.
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

extern "C" int connect(int fd, const sockaddr* addr, socklen_t len) {
  using connect_fn = int (*)(int, const sockaddr*, socklen_t);
  static const auto real = reinterpret_cast<connect_fn>(dlsym(RTLD_NEXT, "connect"));
  if (addr && (addr->sa_family == AF_INET || addr->sa_family == AF_INET6)) {
    const int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  }
  return real(fd, addr, len);
}
