#include "store/state_writer.hpp"

#include <unordered_map>
#include <utility>

namespace vigil::store {

state_writer::state_writer(state_store& store, error_handler on_error)
    : store_(store), on_error_(std::move(on_error)) {}

state_writer::~state_writer() { stop(); }

void state_writer::start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
}

void state_writer::commit(std::vector<serialized_bed> beds, callback done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(beds), std::move(done)});
  }
  wake_.notify_one();
}

void state_writer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

state_writer_counters state_writer::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

void state_writer::run() {
  for (;;) {
    std::vector<group> taken;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything is saved
      taken.swap(queue_);
    }
    // The latest bytes of each bed, in the order beds first appear.
    std::vector<serialized_bed> latest;
    std::unordered_map<std::string, std::size_t> slot;
    for (auto& g : taken) {
      for (auto& bed : g.beds) {
        const auto [it, fresh] = slot.try_emplace(bed.id, latest.size());
        if (fresh) {
          latest.push_back(std::move(bed));
        } else {
          latest[it->second].bytes = std::move(bed.bytes);
        }
      }
    }
    const auto errors = latest.empty() ? std::vector<std::string>{} : store_.save_all(latest);
    {
      std::lock_guard lock(mutex_);
      counters_.writes += latest.empty() ? 0 : 1;
      counters_.files += latest.size();
      counters_.failures += errors.size();
    }
    if (on_error_) {
      for (const auto& e : errors) on_error_(e);
    }
    for (auto& g : taken) {
      if (g.done) g.done();
      std::lock_guard lock(mutex_);
      ++counters_.groups;
    }
  }
}

}  // namespace vigil::store
