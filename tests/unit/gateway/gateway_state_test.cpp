// gateway.db: what vigil-gateway must remember across restarts (seq, the last NIBP, beds).
#include "gateway/gateway_state.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "store/store.hpp"
#include "temp_dir.hpp"

namespace vigil::gateway {
namespace {

class gateway_state_test : public ::testing::Test {
 protected:
  std::filesystem::path file() const { return dir.path() / "gateway.db"; }
  test::temp_dir dir;
};

TEST_F(gateway_state_test, seq_counts_per_device_and_keeps_rising_after_a_restart) {
  {
    gateway_state s(file());
    EXPECT_EQ(s.next_seq("a"), 1u);
    EXPECT_EQ(s.next_seq("a"), 2u);
    EXPECT_EQ(s.next_seq("b"), 1u);
  }
  gateway_state s(file());
  const auto after = s.next_seq("a");
  EXPECT_GT(after, 2u) << "a restart must never repeat a seq";
  EXPECT_EQ(s.next_seq("a"), after + 1);
}

TEST_F(gateway_state_test, seq_rises_past_a_block_of_1000_and_after_a_restart_inside_the_next) {
  std::uint64_t last = 0;
  {
    gateway_state s(file());
    for (int i = 0; i < 1500; ++i) last = s.next_seq("a");
  }
  EXPECT_EQ(last, 1500u);
  gateway_state s(file());
  EXPECT_GT(s.next_seq("a"), 1500u);
}

TEST_F(gateway_state_test, an_nibp_is_new_once_and_a_repeat_stays_old_after_a_restart) {
  {
    gateway_state s(file());
    EXPECT_TRUE(s.newer_nibp("a", core::bp_source::nibp, 1'000));
    EXPECT_FALSE(s.newer_nibp("a", core::bp_source::nibp, 1'000));
    EXPECT_FALSE(s.newer_nibp("a", core::bp_source::nibp, 999)) << "older than the last";
    EXPECT_TRUE(s.newer_nibp("b", core::bp_source::nibp, 1'000)) << "another device";
  }
  gateway_state s(file());
  EXPECT_FALSE(s.newer_nibp("a", core::bp_source::nibp, 1'000));
  EXPECT_TRUE(s.newer_nibp("a", core::bp_source::nibp, 2'000));
}

TEST_F(gateway_state_test, an_nibp_undone_goes_back_to_the_one_before_also_after_a_restart) {
  {
    gateway_state s(file());
    ASSERT_TRUE(s.newer_nibp("a", core::bp_source::nibp, 1'000));
    ASSERT_TRUE(s.newer_nibp("a", core::bp_source::nibp, 2'000));
    s.undo_nibp("a", core::bp_source::nibp, 2'000, 1'000);
    ASSERT_TRUE(s.newer_nibp("b", core::bp_source::nibp, 5'000));
    s.undo_nibp("b", core::bp_source::nibp, 5'000, std::nullopt);
    ASSERT_TRUE(s.newer_nibp("c", core::bp_source::nibp, 1'000));
    ASSERT_TRUE(s.newer_nibp("c", core::bp_source::nibp, 3'000));
    s.undo_nibp("c", core::bp_source::nibp, 2'000, 1'000);  // not the latest: kept
  }
  gateway_state s(file());
  EXPECT_EQ(s.last_nibp("a", core::bp_source::nibp), 1'000);
  EXPECT_EQ(s.last_nibp("b", core::bp_source::nibp), std::nullopt);
  EXPECT_EQ(s.last_nibp("c", core::bp_source::nibp), 3'000);
}

TEST_F(gateway_state_test, beds_and_their_senders_are_remembered) {
  {
    gateway_state s(file());
    s.remember_bed({"bed-1", "icu", "dev-1"});
    s.remember_bed({"bed-1", "icu", "dev-2"});
    s.remember_bed({"bed-2", "ward", "dev-3"});
  }
  gateway_state s(file());
  ASSERT_EQ(s.beds().size(), 2u);
  EXPECT_EQ(s.beds()[0].bed, "bed-1");
  EXPECT_EQ(s.beds()[0].device, "dev-2");
  EXPECT_EQ(s.beds()[1].sender, "ward");
}

TEST_F(gateway_state_test, a_file_that_is_not_a_database_is_refused_naming_it) {
  std::ofstream(file()) << "this is not a database, it is a text file of some length.......";
  try {
    gateway_state s(file());
    FAIL() << "opened a text file";
  } catch (const store::store_error& e) {
    EXPECT_NE(std::string(e.what()).find(file().string()), std::string::npos) << e.what();
  }
}

TEST_F(gateway_state_test, a_second_gateway_on_the_same_file_is_refused) {
  gateway_state first(file());
  EXPECT_THROW(gateway_state second(file()), store::store_error);
}

}  // namespace
}  // namespace vigil::gateway
