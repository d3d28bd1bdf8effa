// Turns Nagle's algorithm off on the process's TCP sockets.
//
// Why: Paho C 1.3 leaves Nagle on and offers no option or socket hook. With Nagle on, a small
// PUBLISH that follows an unacknowledged segment waits for the peer's delayed ACK, up to 40 ms
// on Linux: the bench measured alarm p99 at 46-52 ms with Nagle on against about 2 ms with it
// off. vigild opens no TCP socket other than its broker connection, so after each connect it
// sets TCP_NODELAY on every connected TCP socket it has (the broker sets its own side with
// `set_tcp_nodelay true`, as the shipped configurations do).
#pragma once

#include <cstddef>

namespace vigil::io {

// Returns how many sockets it set; never fails (a socket it cannot set is left as it was).
std::size_t disable_nagle_on_tcp_sockets();

}  // namespace vigil::io
