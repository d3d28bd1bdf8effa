#include "app/durable_outbox.hpp"

#include <algorithm>
#include <csignal>
#include <utility>

namespace vigil::app {

namespace asio = boost::asio;

durable_outbox::durable_outbox(asio::io_context& loop, store::store_thread& store,
                               publisher publish, std::uint64_t next_id)
    : loop_(loop),
      store_(store),
      publish_(std::move(publish)),
      next_id_(next_id),
      prune_timer_(loop) {}

void durable_outbox::submit(std::vector<store::bed_row> beds,
                            std::vector<codec::outgoing> messages, core::time_ms now) {
  if (beds.empty() && messages.empty()) return;
  store::change_set change;
  change.at_ms = now;
  for (auto& m : messages) m.outbox_id = next_id_++;
  change.beds = std::move(beds);
  change.outbox = std::move(messages);
  change.published = std::exchange(acknowledged_, {});
  commit(std::move(change), [this](store::change_set&& done) {
    for (auto& m : done.outbox) publish_(std::move(m));
  });
}

void durable_outbox::published(std::span<const std::uint64_t> ids) {
  acknowledged_.insert(acknowledged_.end(), ids.begin(), ids.end());
  prune_soon();
}

void durable_outbox::drain(std::function<void()> done) {
  store::change_set change;
  change.published = std::exchange(acknowledged_, {});
  commit(std::move(change), [done = std::move(done)](store::change_set&&) { done(); });
}

void durable_outbox::commit(store::change_set change,
                            std::function<void(store::change_set&&)> then) {
  ++in_store_;
  // On the store thread: the change is durable (or its failure logged); back to the loop.
  store_.commit(std::move(change), [this, then = std::move(then)](store::change_set&& c) mutable {
    if (kill_after_commit_ &&
        std::any_of(c.outbox.begin(), c.outbox.end(), [](const codec::outgoing& m) {
          return m.topic.ends_with("/alarms/events");
        })) {
      std::raise(SIGKILL);
    }
    asio::post(loop_, [this, then = std::move(then), c = std::move(c)]() mutable {
      --in_store_;
      then(std::move(c));
    });
  });
}

void durable_outbox::prune_soon() {
  if (prune_armed_ || acknowledged_.empty()) return;
  prune_armed_ = true;
  prune_timer_.expires_after(prune_delay);
  prune_timer_.async_wait([this](boost::system::error_code ec) {
    prune_armed_ = false;
    if (ec || acknowledged_.empty()) return;
    store::change_set change;
    change.published = std::exchange(acknowledged_, {});
    commit(std::move(change), [](store::change_set&&) {});
  });
}

}  // namespace vigil::app
