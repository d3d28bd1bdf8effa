// The project's one include of Boost.Asio. GCC 12 at -O2 reports a "potential null pointer
// dereference" inside Asio's own scheduler (scheduler.ipp, thread_info), which -Werror would
// turn into a failed Release build; the warning stays on for our code.
#pragma once

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#pragma GCC diagnostic pop
