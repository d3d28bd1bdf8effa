#include "app/record_writer.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>
#include <utility>

#include "record/book.hpp"
#include "report/report.hpp"

namespace vigil::app {

namespace fs = std::filesystem;

namespace {
constexpr std::size_t due_per_job = 16;  // a backlog is read in pieces, between commits

core::time_ms wall_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

record_writer::record_writer(store::store_thread& store, fs::path dir,
                             std::vector<record::limit_line> limits, std::string generator)
    : store_(store),
      dir_(std::move(dir)),
      limits_(std::move(limits)),
      generator_(std::move(generator)),
      thread_([this] { run(); }) {}

record_writer::~record_writer() { stop(); }

void record_writer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

record_writer_counters record_writer::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

void record_writer::session_ended() {
  store_.post([this](store::store& s) {
    const auto due = s.awaiting_record(due_per_job);
    {
      std::lock_guard lock(mutex_);
      more_due_ = due.size() == due_per_job;
      wrote_any_ = false;
    }
    for (const auto& info : due) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_ || !queued_.emplace(info.bed_id, info.session_id).second) continue;
      }
      store::record_filter f;
      f.bed_id = info.bed_id;
      f.since_ms = info.started_ms;
      f.until_ms = info.ended_ms;
      f.limit = 100'000;  // a day of 10 s buckets of HR and an arterial line
      auto trend = s.trend(f).rows;
      f.session_id = info.session_id;
      f.since_ms = INT64_MIN;
      auto events = s.history(f).rows;
      auto r = record::assemble(info, std::move(trend), std::move(events), limits_, info.ended_ms,
                                generator_);
      {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(r));
      }
      wake_.notify_one();
    }
  });
}

void record_writer::run() {
  ::pthread_setname_np(::pthread_self(), "vigil-records");
  for (;;) {
    record::session_record r;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      r = std::move(queue_.front());
      queue_.pop_front();
    }
    const bool written = write(r);
    bool read_more = false;
    {
      std::lock_guard lock(mutex_);
      queued_.erase({r.info.bed_id, r.info.session_id});
      wrote_any_ = wrote_any_ || written;
      ++(written ? counters_.written : counters_.failed);
      // A backlog (many sessions ended at once, or left due): the next batch, read after the
      // marks of this one (store jobs run in order).
      read_more = queue_.empty() && std::exchange(more_due_, false) && wrote_any_ && !stopping_;
    }
    if (read_more) session_ended();
  }
}

bool record_writer::write(const record::session_record& r) {
  const fs::path stem = dir_ / record::file_stem(r.info);
  const auto whole = [](const fs::path& final_path, auto&& make) {
    const fs::path part = final_path.string() + ".part";
    make(part);
    fs::rename(part, final_path);
  };
  try {
    fs::create_directories(dir_);
    whole(fs::path(stem.string() + ".pdf"),
          [&](const fs::path& p) { report::write_pdf(r, p.string()); });
    whole(fs::path(stem.string() + ".fhir.json"), [&](const fs::path& p) {
      const std::string json = report::fhir_bundle(r);
      std::ofstream out(p, std::ios::binary | std::ios::trunc);
      out.write(json.data(), static_cast<std::streamsize>(json.size()));
      out.put('\n');
      if (!out.flush()) throw std::runtime_error(p.string() + ": cannot write");
    });
  } catch (const std::exception& e) {
    spdlog::error("record: cannot write the record of {} session {}: {}; it stays due",
                  r.info.bed_id, r.info.session_id, e.what());
    return false;
  }
  spdlog::info("record: {} session {} written to {}.pdf and .fhir.json", r.info.bed_id,
               r.info.session_id, stem.string());
  store_.post([bed = r.info.bed_id, session = r.info.session_id](store::store& s) {
    s.record_written(bed, session, wall_now());
  });
  return true;
}

}  // namespace vigil::app
