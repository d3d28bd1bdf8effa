// alarms.md section 8: a restarted engine continues the stream as if nothing happened.
#include "engine_fixture.hpp"

#include "core/engine_books.hpp"

namespace vigil::core::testing {
namespace {

using restore_test = engine_test;

// Copy every bed of the running engine into a new one, as vigild does through its state files.
engine restarted(engine& old, time_ms now, const engine_config& cfg) {
  engine fresh(cfg);
  for (const auto& id : old.beds())
    engine_books(fresh).restore(*engine_books(old).state_of(id), now);
  return fresh;
}

TEST_F(restore_test, escalating_acknowledged_and_latched_alarms_continue_after_a_restart) {
  bp(0, 165, 80);                    // SBP_HIGH MEDIUM: escalates at 120 s
  bp(1'000, 165, 105);               // DBP_HIGH MEDIUM
  ack(2'000, "chair-1:DBP_HIGH:1");  // reminder due at 122 s
  bed = "chair-2";
  bp(3'000, 190, 80);  // HIGH
  bp(4'000, 130, 80);  // LATCHED
  bed = "chair-1";
  const std::uint64_t seq_before = engine_books(e()).state_of("chair-1")->event_seq;

  eng.emplace(restarted(*eng, 10'000, cfg));

  auto esc = at(120'000);
  ASSERT_EQ(esc.size(), 1u);
  EXPECT_EQ(esc[0].alarm_id, "chair-1:SBP_HIGH:1");
  EXPECT_EQ(esc[0].transition, transition::escalated);
  EXPECT_EQ(esc[0].event_seq, seq_before + 1);
  auto rem = at(122'000);
  ASSERT_EQ(rem.size(), 1u);
  EXPECT_EQ(rem[0].alarm_id, "chair-1:DBP_HIGH:1");
  EXPECT_EQ(rem[0].transition, transition::reminded);
  bed = "chair-2";
  EXPECT_EQ(e().active("chair-2").alarms.at(0).state, alarm_state::latched);
  EXPECT_EQ(ack(130'000, "chair-2:SBP_HIGH:1").at(0).transition, transition::ended);
  // ids are never reused
  bp(140'000, 190, 80);
  EXPECT_EQ(events.back().alarm_id, "chair-2:SBP_HIGH:2");
}

TEST_F(restore_test, overdue_deadlines_fire_at_once_on_the_first_advance) {
  bp(0, 165, 80);
  eng.emplace(restarted(*eng, 300'000, cfg));  // down through the 120 s escalation
  auto step = at(300'000);
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].transition, transition::escalated);
  EXPECT_EQ(step[0].at_ms, 300'000);
}

TEST_F(restore_test, signal_lost_counts_from_the_restart_at_the_latest) {
  start(0);
  hr(5'000, 80);
  eng.emplace(restarted(*eng, 60'000, cfg));
  EXPECT_TRUE(at(69'999).empty());
  EXPECT_EQ(of(at(70'000), "HR_SIGNAL_LOST").size(), 1u);
}

TEST_F(restore_test, only_changes_a_restart_must_keep_make_a_bed_dirty) {
  hr(0, 80);
  EXPECT_TRUE(engine_books(e()).take_dirty().empty());
  bp(1'000, 120, 80);
  EXPECT_EQ(engine_books(e()).take_dirty(), std::vector<std::string>{bed});
  EXPECT_TRUE(engine_books(e()).take_dirty().empty());
  hr_run(2'000, 12'000, 130);  // raises HR_HIGH
  EXPECT_EQ(engine_books(e()).take_dirty(), std::vector<std::string>{bed});
}

TEST_F(restore_test, a_bed_keeps_its_slot_and_new_beds_take_the_next) {
  hr(0, 80);
  const auto first = engine_books(e()).bed_slot(bed);
  EXPECT_EQ(engine_books(e()).bed_slot("chair-9"), first + 1);
  EXPECT_EQ(e().beds(), (std::vector<std::string>{bed, "chair-9"}));
  // Lookups of other beds in between change nothing; a message after bed_slot lands on its bed.
  EXPECT_EQ(engine_books(e()).bed_slot(bed), first);
  bed = "chair-9";
  bp(1'000, 120, 80);
  EXPECT_EQ(engine_books(e()).take_dirty(), std::vector<std::string>{"chair-9"});
  EXPECT_EQ(engine_books(e()).bed_slot("chair-9"), first + 1);
}

TEST_F(restore_test, many_beds_added_keep_their_slots) {
  std::vector<std::size_t> slots;
  for (int i = 0; i < 100; ++i)
    slots.push_back(engine_books(e()).bed_slot("bed-" + std::to_string(i)));
  for (int i = 99; i >= 0; --i) {
    EXPECT_EQ(engine_books(e()).bed_slot("bed-" + std::to_string(i)),
              slots[static_cast<std::size_t>(i)]);
  }
  EXPECT_EQ(engine_books(e()).state_of("bed-42")->id, "bed-42");
}

}  // namespace
}  // namespace vigil::core::testing
