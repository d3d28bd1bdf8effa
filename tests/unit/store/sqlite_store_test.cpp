#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>

#include "store/bed_record.hpp"
#include "store_fixture.hpp"

namespace vigil::store {
namespace {

namespace fs = std::filesystem;

class sqlite_store_test : public store_fixture {
 protected:
  fs::path db() const { return dir / "vigil.db"; }
  std::unique_ptr<store> open(const std::string& prefix = "clinic") {
    return open_sqlite_store(db(), prefix);
  }
  static codec::outgoing message(std::uint64_t id, std::string payload) {
    return {"clinic/beds/chair-1/alarms/events", std::move(payload), false, 1, id};
  }
  // Runs SQL on the file as another program would (the store must be closed).
  void sql(const std::string& statement) {
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(db().c_str(), &h), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(h, statement.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(h);
  }
  // The error opening the store gives, or "" if it opens.
  std::string open_error() {
    try {
      open();
    } catch (const store_error& e) {
      return e.what();
    }
    return "";
  }
};

TEST_F(sqlite_store_test, a_committed_bed_loads_back_equal_after_reopening) {
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

TEST_F(sqlite_store_test, a_later_commit_of_a_bed_replaces_it) {
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

TEST_F(sqlite_store_test, outbox_messages_load_in_id_order_until_acknowledged) {
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

TEST_F(sqlite_store_test, a_change_that_fails_applies_nothing) {
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

TEST_F(sqlite_store_test, each_prefix_sees_only_its_own_beds_and_messages) {
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

TEST_F(sqlite_store_test, import_adds_only_the_beds_the_store_does_not_hold) {
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

TEST_F(sqlite_store_test, the_database_is_made_for_the_daemon_alone_in_wal_mode) {
  open();
  struct stat st {};
  ASSERT_EQ(::stat(db().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream f(db(), std::ios::binary);
  std::string header(20, '\0');
  f.read(header.data(), 20);
  EXPECT_EQ(header.substr(0, 15), "SQLite format 3");
  EXPECT_EQ(header[18], 2) << "not WAL";  // file format write version 2 means WAL
}

TEST_F(sqlite_store_test, a_second_store_on_the_same_file_is_refused_naming_the_file) {
  auto first = open();
  const auto error = open_error();
  EXPECT_NE(error.find(db().string()), std::string::npos) << error;
  EXPECT_NE(error.find("database is locked"), std::string::npos) << error;
  EXPECT_NE(error.find("second vigild"), std::string::npos) << error;
  first.reset();
  EXPECT_EQ(open_error(), "") << "the lock outlived its store";
}

TEST_F(sqlite_store_test, a_file_that_is_not_a_database_is_refused_naming_the_file) {
  std::ofstream(db(), std::ios::binary) << std::string(8192, 'x');
  const auto error = open_error();
  EXPECT_NE(error.find(db().string()), std::string::npos) << error;
  EXPECT_NE(error.find("file is not a database"), std::string::npos) << error;
}

TEST_F(sqlite_store_test, a_damaged_database_is_refused_naming_the_file) {
  {
    auto s = open();
    change_set c;
    for (int i = 0; i < 200; ++i) {
      auto bed = busy_bed("chair-" + std::to_string(i));
      c.beds.push_back(make_row(bed));
    }
    s->commit(c);
  }
  sql("PRAGMA wal_checkpoint(TRUNCATE)");
  // Scribble over the middle of the second page: a b-tree page of the beds table.
  {
    std::fstream f(db(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096 + 8);
    const std::string junk(600, '\x7f');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  const auto error = open_error();
  EXPECT_NE(error.find(db().string()), std::string::npos) << error;
  EXPECT_NE(error.find("corrupt"), std::string::npos) << error;
}

TEST_F(sqlite_store_test, a_bed_row_that_does_not_decode_is_set_aside_and_reported) {
  {
    auto s = open();
    change_set c;
    c.beds = {make_row(busy_bed("chair-1")), make_row(busy_bed("chair-2"))};
    s->commit(c);
  }
  sql("UPDATE beds SET state = x'0102ffff' WHERE bed_id = 'chair-1'");
  const auto loaded = open()->load();
  ASSERT_EQ(loaded.beds.size(), 1u);
  EXPECT_EQ(loaded.beds[0].id, "chair-2");
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_NE(loaded.problems[0].find("bed 'chair-1' in " + db().string() +
                                    ": undecodable state record; moved to table beds_corrupt"),
            std::string::npos)
      << loaded.problems[0];
  EXPECT_TRUE(open()->load().problems.empty()) << "reported again at the next start";
}

TEST_F(sqlite_store_test, a_database_of_a_newer_schema_is_refused) {
  open();
  sql("UPDATE vigil_meta SET value = '99' WHERE key = 'schema_version'");
  const auto error = open_error();
  EXPECT_NE(error.find("schema version 99"), std::string::npos) << error;
}

}  // namespace
}  // namespace vigil::store
