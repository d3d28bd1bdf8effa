// The durable ORU^R40 queue: FIFO order, idempotent enqueue on (alarm_id, event_seq), restarts,
// and files it must refuse with a clear error.
#include "alerts/alert_queue.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <string>

#include "queue_dir.hpp"

namespace vigil::alerts {
namespace {

using alert_queue_test = queue_dir;

constexpr std::int64_t hour_ms = 3600 * 1000;

// Runs SQL on a file with the plain SQLite API (to make files the queue must refuse).
void sql(const std::filesystem::path& file, const char* text) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, text, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

std::string error_of(const std::filesystem::path& file) {
  try {
    alert_queue q(file);
  } catch (const queue_error& e) {
    return e.what();
  }
  return "";
}

TEST_F(alert_queue_test, HeadIsTheOldestWaitingMessage) {
  alert_queue q(file);
  EXPECT_FALSE(q.head());
  EXPECT_EQ(q.depth(), 0u);
  EXPECT_TRUE(q.enqueue("m1", "bed-1:SBP_HIGH:1", 7, 1000));
  EXPECT_TRUE(q.enqueue("m2", "bed-2:HR_LOW:1", 3, 1001));
  EXPECT_TRUE(q.enqueue("m3", "bed-1:SBP_HIGH:1", 8, 1002));
  EXPECT_EQ(q.depth(), 3u);

  auto h = q.head();
  ASSERT_TRUE(h);
  EXPECT_EQ(h->message, "m1");
  EXPECT_EQ(h->alarm_id, "bed-1:SBP_HIGH:1");
  EXPECT_EQ(h->event_seq, 7u);
  EXPECT_EQ(h->enqueued_at_ms, 1000);
  EXPECT_EQ(q.head()->id, h->id) << "peeking does not consume";

  EXPECT_TRUE(q.remove(h->id, outcome::acked, 2000));
  EXPECT_EQ(q.head()->message, "m2");
  EXPECT_GT(q.head()->id, h->id);
  EXPECT_FALSE(q.remove(h->id, outcome::acked, 2001)) << "already removed";
  EXPECT_TRUE(q.remove(q.head()->id, outcome::rejected, 2002));
  EXPECT_TRUE(q.remove(q.head()->id, outcome::dropped, 2003));
  EXPECT_FALSE(q.head());
  EXPECT_EQ(q.depth(), 0u);
  EXPECT_EQ(q.done(outcome::acked), 1u);
  EXPECT_EQ(q.done(outcome::rejected), 1u);
  EXPECT_EQ(q.done(outcome::dropped), 1u);
}

TEST_F(alert_queue_test, MessagesKeepTheirBytes) {
  alert_queue q(file);
  const std::string message = std::string("MSH|^~\\&|\r") + '\0' + "\xe2\x89\xa5 180\r";
  ASSERT_TRUE(q.enqueue(message, "a", 1, 0));
  EXPECT_EQ(q.head()->message, message);
}

TEST_F(alert_queue_test, ARedeliveredEventIsNotQueuedTwice) {
  alert_queue q(file, hour_ms);
  ASSERT_TRUE(q.enqueue("first", "bed-1:SBP_HIGH:1", 7, 0));
  EXPECT_FALSE(q.enqueue("again", "bed-1:SBP_HIGH:1", 7, 10)) << "still waiting";
  EXPECT_EQ(q.depth(), 1u);

  ASSERT_TRUE(q.remove(q.head()->id, outcome::acked, 100));
  EXPECT_FALSE(q.enqueue("again", "bed-1:SBP_HIGH:1", 7, 200)) << "sent, and remembered";
  EXPECT_EQ(q.depth(), 0u);
  EXPECT_TRUE(q.enqueue("next", "bed-1:SBP_HIGH:1", 8, 200)) << "another event of that alarm";

  // An hour after its removal the done row is pruned (at the next removal) and forgotten.
  ASSERT_TRUE(q.remove(q.head()->id, outcome::acked, 100 + hour_ms + 1));
  EXPECT_EQ(q.done(outcome::acked), 1u);
  EXPECT_TRUE(q.enqueue("much later", "bed-1:SBP_HIGH:1", 7, 100 + hour_ms + 2));
}

TEST_F(alert_queue_test, ARestartKeepsTheOrderAndWhatWasSent) {
  {
    alert_queue q(file);
    ASSERT_TRUE(q.enqueue("m1", "a", 1, 0));
    ASSERT_TRUE(q.enqueue("m2", "a", 2, 1));
    ASSERT_TRUE(q.enqueue("m3", "b", 3, 2));
    ASSERT_TRUE(q.remove(q.head()->id, outcome::acked, 3));
  }
  alert_queue q(file);
  EXPECT_EQ(q.depth(), 2u);
  EXPECT_EQ(q.head()->message, "m2");
  EXPECT_FALSE(q.enqueue("m1 again", "a", 1, 4)) << "the sent one is remembered across restarts";
  ASSERT_TRUE(q.enqueue("m4", "b", 4, 5));
  ASSERT_TRUE(q.remove(q.head()->id, outcome::acked, 6));
  EXPECT_EQ(q.head()->message, "m3");
  ASSERT_TRUE(q.remove(q.head()->id, outcome::acked, 7));
  EXPECT_EQ(q.head()->message, "m4");
}

TEST_F(alert_queue_test, IdsKeepRisingAfterTheQueueEmptiesAndRestarts) {
  std::uint64_t last = 0;
  {
    alert_queue q(file, 0);  // done rows pruned at once
    ASSERT_TRUE(q.enqueue("m1", "a", 1, 0));
    last = q.head()->id;
    ASSERT_TRUE(q.remove(last, outcome::acked, 1));
    ASSERT_TRUE(q.enqueue("m2", "a", 2, 2));
    ASSERT_TRUE(q.remove(q.head()->id, outcome::acked, 3));
  }
  alert_queue q(file);
  ASSERT_TRUE(q.enqueue("m3", "a", 3, 4));
  EXPECT_GT(q.head()->id, last + 1);
}

TEST_F(alert_queue_test, AFileThatIsNotADatabaseIsAClearError) {
  std::ofstream(file) << std::string(8192, 'x');
  const auto error = error_of(file);
  EXPECT_NE(error.find(file.string()), std::string::npos) << error;
  EXPECT_NE(error.find("not a database"), std::string::npos) << error;
}

TEST_F(alert_queue_test, ACorruptPageIsAClearError) {
  {
    alert_queue q(file);
    for (std::uint64_t i = 0; i < 200; ++i) {
      ASSERT_TRUE(q.enqueue(std::string(300, 'm'), "bed:SBP_HIGH:1", i, 0));
    }
  }
  // Overwrite the middle of the file (past the header page) with garbage.
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(std::filesystem::file_size(file) / 2));
    const std::string junk(4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  const auto error = error_of(file);
  EXPECT_NE(error.find(file.string()), std::string::npos) << error;
  EXPECT_TRUE(error.find("corrupt") != std::string::npos ||
              error.find("malformed") != std::string::npos)
      << error;
}

TEST_F(alert_queue_test, AnotherDatabaseIsRefusedNotWrittenInto) {
  sql(file, "CREATE TABLE beds (bed_id TEXT)");
  const auto error = error_of(file);
  EXPECT_NE(error.find("is not an alert queue"), std::string::npos) << error;
}

TEST_F(alert_queue_test, ANewerSchemaIsRefused) {
  { alert_queue q(file); }
  sql(file, "PRAGMA user_version = 2");
  const auto error = error_of(file);
  EXPECT_NE(error.find("schema 2 is newer"), std::string::npos) << error;
}

TEST_F(alert_queue_test, AMissingDirectoryIsAClearError) {
  const auto error = error_of(dir / "no-such-dir" / "alerts.db");
  EXPECT_NE(error.find("no-such-dir"), std::string::npos) << error;
}

}  // namespace
}  // namespace vigil::alerts
