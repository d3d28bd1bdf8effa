// The beds and the outbox on any store (store_backend.hpp): what a commit wrote loads back
// after reopening, in order, per prefix; a failed change applies nothing; import() adds only
// what is absent; undecodable beds are set aside; a newer schema is refused.
#include <gtest/gtest.h>

#include "store/bed_record.hpp"
#include "store_backend.hpp"

namespace vigil::store {
namespace {

class store_contract : public backend_test {
 protected:
  static codec::outgoing message(std::uint64_t id, std::string payload) {
    return {"clinic/beds/chair-1/alarms/events", std::move(payload), false, 1, id};
  }
};

TEST_P(store_contract, a_committed_bed_loads_back_equal_after_reopening) {
  const auto bed = busy_bed();
  {
    auto s = open();
    change_set c;
    c.beds.push_back(make_row(bed));
    s->commit(c);
  }
  const auto loaded = open()->load();
  ASSERT_TRUE(loaded.problems.empty());
  ASSERT_EQ(loaded.beds.size(), 1u);
  const auto& b = loaded.beds[0];
  EXPECT_EQ(encode_bed(b), encode_bed(bed));
  EXPECT_EQ(b.phase, core::phase::infusion);
  EXPECT_EQ(b.baseline->systolic, 124);
  const auto& sbp = b.open[core::index(core::condition_id::sbp_high)];
  ASSERT_TRUE(sbp);
  EXPECT_EQ(sbp->state, core::alarm_state::acknowledged);
  EXPECT_EQ(sbp->acknowledged_by, "kim");
  EXPECT_EQ(*sbp->remind_at, 123'000);
  EXPECT_EQ(b.event_seq, bed.event_seq);
  EXPECT_EQ(b.report_interval_ms, 60'000u) << "HR_SIGNAL_LOST would fire early after a restart";
}

TEST_P(store_contract, a_later_commit_of_a_bed_replaces_it) {
  auto s = open();
  change_set c;
  c.beds.push_back(make_row(bed_with_cuff("chair-1", 120)));
  c.beds.push_back(make_row(bed_with_cuff("chair-2", 130)));
  s->commit(c);
  c.beds = {make_row(bed_with_cuff("chair-1", 150))};
  s->commit(c);
  const auto loaded = s->load();
  ASSERT_EQ(loaded.beds.size(), 2u);
  EXPECT_EQ(loaded.beds[0].last_nibp->systolic, 150);
  EXPECT_EQ(loaded.beds[1].last_nibp->systolic, 130);
}

TEST_P(store_contract, outbox_messages_load_in_id_order_until_acknowledged) {
  {
    auto s = open();
    change_set c;
    c.outbox = {message(7, "a"), message(8, "b"), message(9, "c")};
    s->commit(c);
    change_set acked;
    acked.published = {8};
    s->commit(acked);
  }
  const auto loaded = open()->load();
  ASSERT_EQ(loaded.outbox.size(), 2u);
  EXPECT_EQ(loaded.outbox[0].outbox_id, 7u);
  EXPECT_EQ(loaded.outbox[0].payload, "a");
  EXPECT_EQ(loaded.outbox[0].topic, "clinic/beds/chair-1/alarms/events");
  EXPECT_EQ(loaded.outbox[0].qos, 1);
  EXPECT_EQ(loaded.outbox[1].payload, "c");
  EXPECT_EQ(loaded.next_outbox_id, 10u);
}

TEST_P(store_contract, a_change_that_fails_applies_nothing) {
  auto s = open();
  change_set first;
  first.outbox = {message(1, "a")};
  s->commit(first);
  change_set bad;
  bad.beds.push_back(make_row(busy_bed()));
  bad.outbox = {message(1, "again")};  // the id is taken: the transaction fails
  EXPECT_THROW(s->commit(bad), store_error);
  const auto loaded = s->load();
  EXPECT_TRUE(loaded.beds.empty()) << "the bed of the failed change was kept";
  ASSERT_EQ(loaded.outbox.size(), 1u);
  EXPECT_EQ(loaded.outbox[0].payload, "a");
}

TEST_P(store_contract, each_prefix_sees_only_its_own_beds_and_messages) {
  {
    auto east = open("east");
    change_set c;
    c.beds.push_back(make_row(busy_bed("chair-1")));
    c.outbox = {message(1, "east")};
    east->commit(c);
  }
  {
    auto west = open("west");
    change_set c;
    c.beds.push_back(make_row(bed_with_cuff("chair-1", 99)));
    west->commit(c);
  }
  const auto west = open("west")->load();
  ASSERT_EQ(west.beds.size(), 1u);
  EXPECT_EQ(west.beds[0].last_nibp->systolic, 99);
  EXPECT_TRUE(west.outbox.empty());
  EXPECT_EQ(west.other_prefix_beds, 1u);
  EXPECT_EQ(open("east")->load().outbox.size(), 1u);
}

TEST_P(store_contract, import_adds_only_the_beds_the_store_does_not_hold) {
  auto s = open();
  change_set c;
  c.beds.push_back(make_row(bed_with_cuff("chair-1", 150)));
  s->commit(c);
  EXPECT_EQ(s->import({make_row(bed_with_cuff("chair-1", 110)), make_row(busy_bed("chair-2"))}),
            1u);
  const auto loaded = s->load();
  ASSERT_EQ(loaded.beds.size(), 2u);
  EXPECT_EQ(loaded.beds[0].last_nibp->systolic, 150) << "a newer bed was overwritten";
}

TEST_P(store_contract, a_bed_row_that_does_not_decode_is_set_aside_and_reported) {
  {
    auto s = open();
    change_set c;
    c.beds = {make_row(busy_bed("chair-1")), make_row(busy_bed("chair-2"))};
    s->commit(c);
  }
  backend->sql("UPDATE beds SET state = " + backend->bytes_literal("0102ffff") +
               " WHERE bed_id = 'chair-1'");
  const auto loaded = open()->load();
  ASSERT_EQ(loaded.beds.size(), 1u);
  EXPECT_EQ(loaded.beds[0].id, "chair-2");
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_NE(loaded.problems[0].find("bed 'chair-1' in " + backend->location() +
                                    ": undecodable state record; moved to table beds_corrupt"),
            std::string::npos)
      << loaded.problems[0];
  EXPECT_TRUE(open()->load().problems.empty()) << "reported again at the next start";
}

TEST_P(store_contract, a_database_of_a_newer_schema_is_refused) {
  open();
  backend->sql("UPDATE vigil_meta SET value = '99' WHERE key = 'schema_version'");
  const auto error = open_error();
  EXPECT_NE(error.find("schema version 99"), std::string::npos) << error;
}

INSTANTIATE_TEST_SUITE_P(store, store_contract, ::testing::ValuesIn(backends_under_test()),
                         backend_name);

}  // namespace
}  // namespace vigil::store
