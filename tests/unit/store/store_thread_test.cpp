#include "store/store_thread.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>

#include "store/sqlite_store.hpp"
#include "store_fixture.hpp"

namespace vigil::store {
namespace {

namespace fs = std::filesystem;

class store_thread_test : public store_fixture {
 protected:
  store_thread::opener sqlite() {
    return [this] { return open_sqlite_store(dir / "vigil.db", "clinic"); };
  }
  static change_set with_bed(const std::string& id, double systolic) {
    change_set c;
    c.beds.push_back(make_row(bed_with_cuff(id, systolic)));
    return c;
  }
  double stored_systolic(const std::string& id) {
    for (const auto& b : open_sqlite_store(dir / "vigil.db", "clinic")->load().beds)
      if (b.id == id) return b.last_nibp->systolic;
    return -1;
  }
};

TEST_F(store_thread_test, callbacks_run_in_commit_order_after_their_change_is_durable) {
  store_thread t({});
  t.start(sqlite(), [](store&) {});
  std::mutex m;
  std::vector<std::string> order;
  std::promise<void> all;
  for (int i = 0; i < 3; ++i) {
    t.commit(with_bed("chair-" + std::to_string(i), 100 + i), [&, i](change_set&& c) {
      std::lock_guard lock(m);
      order.push_back(c.beds.at(0).id);
      if (i == 2) all.set_value();
    });
  }
  all.get_future().wait();
  EXPECT_EQ(order, (std::vector<std::string>{"chair-0", "chair-1", "chair-2"}));
  t.stop();
  EXPECT_EQ(stored_systolic("chair-2"), 102);
  const auto c = t.counters();
  EXPECT_EQ(c.changes, 3u);
  EXPECT_EQ(c.bed_rows, 3u);
  EXPECT_GE(c.commits, 1u);
  EXPECT_LE(c.commits, 3u);
  EXPECT_EQ(c.commit_seconds.count(), c.commits);  // one duration per transaction
  EXPECT_GT(c.commit_seconds.sum(), 0);
  EXPECT_FALSE(c.last_failed);
}

TEST_F(store_thread_test, the_latest_change_of_a_bed_wins) {
  store_thread t({});
  t.start(sqlite(), [](store&) {});
  for (double sbp : {110.0, 120.0, 130.0}) t.commit(with_bed("chair-1", sbp), {});
  t.stop();
  EXPECT_EQ(stored_systolic("chair-1"), 130);
}

TEST_F(store_thread_test, a_failed_commit_is_reported_and_its_callbacks_still_run) {
  std::vector<std::string> errors;
  store_thread t([&](const std::string& e) { errors.push_back(e); });
  t.start(sqlite(), [](store&) {});
  change_set taken;
  taken.outbox = {{"t", "a", false, 1, 5}};
  t.commit(taken, {});
  bool ran = false;
  t.commit(taken, [&](change_set&&) { ran = true; });  // the same outbox id again: fails
  t.stop();
  EXPECT_TRUE(ran);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("vigil.db"), std::string::npos) << errors[0];
  EXPECT_EQ(t.counters().failures, 1u);
  EXPECT_TRUE(t.counters().last_failed);
  const auto c = t.counters();  // the failed transaction took its time too
  EXPECT_EQ(c.commit_seconds.count(), c.commits + c.failures);
}

TEST_F(store_thread_test, stop_commits_what_is_queued) {
  {
    store_thread t({});
    t.start(sqlite(), [](store&) {});
    for (int i = 0; i < 50; ++i) t.commit(with_bed("chair-" + std::to_string(i), 90 + i), {});
  }
  EXPECT_EQ(stored_systolic("chair-49"), 139);
}

TEST_F(store_thread_test, start_runs_the_first_task_on_the_store_and_rethrows_its_failure) {
  store_thread t({});
  std::size_t beds = 99;
  t.start(sqlite(), [&](store& s) { beds = s.load().beds.size(); });
  EXPECT_EQ(beds, 0u);
  store_thread second({});
  EXPECT_THROW(second.start(sqlite(), [](store&) {}), store_error) << "the lock was not held";
}

// The seam of a shared database: a SQLite store whose "connection" the test can cut, after
// which every commit and check throws fenced_error, as PostgreSQL's store does.
class cuttable_store final : public store {
 public:
  cuttable_store(std::unique_ptr<store> inner, std::atomic<bool>& cut)
      : inner_(std::move(inner)), cut_(cut) {}
  loaded_state load() override { return inner_->load(); }
  using store::commit;
  void commit(const std::vector<const change_set*>& c) override {
    check_fence();
    inner_->commit(c);
  }
  std::size_t import(const std::vector<bed_row>& b) override { return inner_->import(b); }
  page<core::alarm_event> history(const record_filter& f) override { return inner_->history(f); }
  page<record::session_info> sessions(const record_filter& f) override {
    return inner_->sessions(f);
  }
  page<record::trend_point> trend(const record_filter& f) override { return inner_->trend(f); }
  std::vector<record::session_info> awaiting_record(std::size_t n) override {
    return inner_->awaiting_record(n);
  }
  void record_written(const std::string& b, const std::string& s, core::time_ms at) override {
    inner_->record_written(b, s, at);
  }
  std::size_t prune(const prune_limits& l) override { return inner_->prune(l); }
  void check_fence() override {
    if (cut_) throw fenced_error("lost the connection holding the leader's lock");
  }
  std::string describe() const override { return inner_->describe(); }

 private:
  std::unique_ptr<store> inner_;
  std::atomic<bool>& cut_;
};

TEST_F(store_thread_test, once_fenced_nothing_more_is_committed_or_handed_back) {
  std::atomic<bool> cut = false;
  std::vector<std::string> errors, fenced;
  store_thread t([&](const std::string& e) { errors.push_back(e); },
                 [&](const std::string& e) { fenced.push_back(e); });
  t.start([&] { return std::make_unique<cuttable_store>(sqlite()(), cut); }, [](store&) {});
  std::promise<void> first;
  t.commit(with_bed("chair-1", 110), [&](change_set&&) { first.set_value(); });
  first.get_future().wait();
  cut = true;
  std::atomic<int> ran = 0;
  t.commit(with_bed("chair-1", 180), [&](change_set&&) { ++ran; });  // fenced: not published
  t.post([&](store&) { ++ran; });                                    // nor any job after it
  t.commit(with_bed("chair-2", 120), [&](change_set&&) { ++ran; });
  t.stop();
  EXPECT_EQ(ran, 0) << "a fenced leader handed back a change to publish";
  ASSERT_EQ(fenced.size(), 1u) << "reported once";
  EXPECT_NE(fenced[0].find("leader's lock"), std::string::npos);
  EXPECT_TRUE(errors.empty()) << "a fence is not an ordinary failure";
  EXPECT_EQ(stored_systolic("chair-1"), 110);
  EXPECT_EQ(stored_systolic("chair-2"), -1);
  EXPECT_EQ(t.counters().dropped, 2u);
}

TEST_F(store_thread_test, a_fence_found_by_a_check_job_stops_the_commits_after_it) {
  std::atomic<bool> cut = true;
  std::vector<std::string> fenced;
  store_thread t({}, [&](const std::string& e) { fenced.push_back(e); });
  t.start([&] { return std::make_unique<cuttable_store>(sqlite()(), cut); }, [](store&) {});
  t.post([](store& s) { s.check_fence(); });  // an idle leader's periodic check
  bool ran = false;
  t.commit(with_bed("chair-1", 110), [&](change_set&&) { ran = true; });
  t.stop();
  EXPECT_FALSE(ran);
  EXPECT_EQ(fenced.size(), 1u);
}

}  // namespace
}  // namespace vigil::store
