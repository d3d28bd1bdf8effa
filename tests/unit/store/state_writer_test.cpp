#include "store/state_writer.hpp"

#include <gtest/gtest.h>

#include <future>
#include <mutex>

#include "core/engine.hpp"

namespace vigil::store {
namespace {

namespace fs = std::filesystem;

class state_writer_test : public ::testing::Test {
 protected:
  fs::path dir;
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("vigil-writer-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  // A real bed whose file contents differ with `systolic`.
  static serialized_bed bed(const std::string& id, double systolic) {
    core::engine eng;
    core::engine_output out;
    core::blood_pressure bp;
    bp.device_id = "d";
    bp.systolic_mmhg = systolic;
    bp.diastolic_mmhg = 70;
    eng.on_blood_pressure(id, bp, 0, out);
    return {id, state_store::serialize(*eng.state_of(id))};
  }

  static double saved_systolic(const fs::path& d, const std::string& id) {
    for (const auto& b : state_store(d).load_all().beds)
      if (b.id == id) return b.last_nibp->systolic;
    return -1;
  }
};

TEST_F(state_writer_test, callbacks_run_in_commit_order_after_their_beds_are_saved) {
  state_store store(dir);
  state_writer w(store, {});
  std::mutex m;
  std::vector<std::string> seen;  // what each callback found on disk
  for (int i = 1; i <= 3; ++i) {
    const auto id = "chair-" + std::to_string(i);
    w.commit({bed(id, 100 + i)}, [&, id] {
      std::lock_guard lock(m);
      seen.push_back(id + "=" + std::to_string(static_cast<int>(saved_systolic(dir, id))));
    });
  }
  w.start();
  w.stop();
  EXPECT_EQ(seen, (std::vector<std::string>{"chair-1=101", "chair-2=102", "chair-3=103"}));
}

TEST_F(state_writer_test, a_bed_changed_by_several_queued_groups_is_written_once_with_its_latest) {
  state_store store(dir);
  state_writer w(store, {});
  // Queued before start(): the writer takes all three in one pass.
  w.commit({bed("chair-1", 110)}, {});
  w.commit({bed("chair-1", 120), bed("chair-2", 90)}, {});
  w.commit({bed("chair-1", 130)}, {});
  w.start();
  w.stop();
  const auto c = w.counters();
  EXPECT_EQ(c.groups, 3u);
  EXPECT_EQ(c.writes, 1u);
  EXPECT_EQ(c.files, 2u);
  EXPECT_EQ(c.failures, 0u);
  EXPECT_EQ(saved_systolic(dir, "chair-1"), 130);
  EXPECT_EQ(saved_systolic(dir, "chair-2"), 90);
}

TEST_F(state_writer_test, an_empty_group_waits_for_the_groups_before_it) {
  state_store store(dir);
  state_writer w(store, {});
  w.start();
  w.commit({bed("chair-1", 140)}, {});
  std::promise<double> found;
  w.commit({}, [&] { found.set_value(saved_systolic(dir, "chair-1")); });
  EXPECT_EQ(found.get_future().get(), 140);
}

TEST_F(state_writer_test, a_failed_save_is_reported_and_the_callback_still_runs) {
  // A directory where the temporary file would go: fails for root too (a read-only directory
  // would not).
  state_store store(dir);
  fs::create_directories(dir / "beds" / "bed-chair-1.state.tmp");
  std::vector<std::string> errors;
  state_writer w(store, [&](const std::string& e) { errors.push_back(e); });
  bool published = false;
  w.commit({bed("chair-1", 150)}, [&] { published = true; });
  w.start();
  w.stop();
  EXPECT_TRUE(published);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("bed-chair-1.state.tmp"), std::string::npos) << errors[0];
  EXPECT_EQ(w.counters().failures, 1u);
}

TEST_F(state_writer_test, stop_saves_what_is_queued) {
  state_store store(dir);
  {
    state_writer w(store, {});
    w.start();
    for (int i = 0; i < 50; ++i) w.commit({bed("chair-1", 100 + i)}, {});
  }  // destroyed: stops
  EXPECT_EQ(saved_systolic(dir, "chair-1"), 149);
}

}  // namespace
}  // namespace vigil::store
