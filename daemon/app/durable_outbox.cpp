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
      defer_timer_(loop) {}

void durable_outbox::submit(std::vector<store::bed_row> beds, std::vector<codec::outgoing> messages,
                            record::rows record, core::time_ms now) {
  if (beds.empty() && messages.empty() && record.empty()) return;
  if (messages.empty()) {
    defer(std::move(beds), std::move(record), now);
    return;
  }
  // These rows are newer than any held back for the same beds.
  for (const auto& b : beds) {
    if (const auto it = deferred_at_.find(b.id); it != deferred_at_.end()) {
      deferred_.beds[it->second].id.clear();  // superseded: skipped when committed
      deferred_at_.erase(it);
    }
  }
  store::change_set change;
  change.at_ms = now;
  for (auto& m : messages) m.outbox_id = next_id_++;
  change.beds = std::move(beds);
  change.outbox = std::move(messages);
  change.record = std::move(record);
  commit(std::move(change), [this](store::change_set&& done) {
    for (auto& m : done.outbox) publish_(std::move(m));
  });
}

void durable_outbox::published(std::span<const std::uint64_t> ids) {
  store::change_set change;
  change.published.assign(ids.begin(), ids.end());
  commit(std::move(change), [](store::change_set&&) {});
}

void durable_outbox::defer(std::vector<store::bed_row> beds, record::rows record,
                           core::time_ms now) {
  deferred_.at_ms = now;
  deferred_.record.append(std::move(record));
  for (auto& b : beds) {
    const auto [it, fresh] = deferred_at_.try_emplace(b.id, deferred_.beds.size());
    if (fresh) {
      deferred_.beds.push_back(std::move(b));
    } else {
      deferred_.beds[it->second] = std::move(b);
    }
  }
  if (deferred_at_.size() >= max_deferred || deferred_.record.size() >= max_deferred) {
    commit_deferred();
    return;
  }
  if (defer_armed_) return;
  defer_armed_ = true;
  defer_timer_.expires_after(defer_for);
  defer_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    defer_armed_ = false;
    commit_deferred();
  });
}

void durable_outbox::commit_deferred() {
  if (defer_armed_) {
    defer_timer_.cancel();
    defer_armed_ = false;
  }
  if (deferred_at_.empty() && deferred_.record.empty()) return;
  auto change = std::exchange(deferred_, {});
  deferred_at_.clear();
  std::erase_if(change.beds, [](const store::bed_row& b) { return b.id.empty(); });
  commit(std::move(change), [](store::change_set&&) {});
}

void durable_outbox::drain(std::function<void()> done) {
  commit_deferred();
  commit({}, [done = std::move(done)](store::change_set&&) { done(); });
}

void durable_outbox::commit(store::change_set change,
                            std::function<void(store::change_set&&)> then) {
  // On the store thread: the change is durable (or its failure logged); back to the loop.
  store_.commit(std::move(change), [this, then = std::move(then)](store::change_set&& c) mutable {
    if (kill_after_commit_ &&
        std::any_of(c.outbox.begin(), c.outbox.end(),
                    [](const codec::outgoing& m) { return m.topic.ends_with("/alarms/events"); })) {
      std::raise(SIGKILL);
    }
    asio::post(loop_, [then = std::move(then), c = std::move(c)]() mutable { then(std::move(c)); });
  });
}

}  // namespace vigil::app
