// The project's one include of Boost.Asio, with two GCC 12 reports about Asio's own code
// silenced so -Werror builds pass: at -O2 a "potential null pointer dereference" inside its
// scheduler (scheduler.ipp, thread_info), and under -fsanitize=thread its atomic_thread_fence
// (-Wtsan). Both warnings stay on for our code.
#pragma once

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#pragma GCC diagnostic ignored "-Wtsan"
#endif
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#pragma GCC diagnostic pop
