#include "alerts/alert_queue.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <utility>

#include "store/sqlite_db.hpp"

namespace vigil::alerts {
namespace {

namespace fs = std::filesystem;
using store::sqlite::statement;

constexpr int schema_version = 1;
// A second gateway (or a sqlite3 shell) holding the lock: wait this long, then give up.
constexpr int busy_timeout_ms = 1000;

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS alert_queue (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  alarm_id TEXT NOT NULL,
  event_seq INTEGER NOT NULL,
  message BLOB NOT NULL,
  enqueued_at_ms INTEGER NOT NULL,
  done_at_ms INTEGER,
  outcome TEXT,
  UNIQUE (alarm_id, event_seq));
CREATE INDEX IF NOT EXISTS alert_queue_waiting ON alert_queue (done_at_ms, id);
)sql";

// Runs `f`, turning the SQLite helper's store_error into this room's queue_error.
template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const store::store_error& e) {
    throw queue_error(e.what());
  }
}

}  // namespace

struct alert_queue::impl {
  impl(const fs::path& f, std::int64_t keep) : db(f), keep_done_ms(keep) { open(); }

  store::sqlite::db db;
  std::int64_t keep_done_ms;
  std::unique_ptr<statement> insert, head, remove, prune, depth, done;

  std::int64_t query_int(const char* sql, const char* what) {
    statement q(db, sql);
    if (!q.get()) db.fail(what);
    return db.step(q.get(), what) == SQLITE_ROW ? store::sqlite::db::column_int(q.get(), 0) : 0;
  }

  std::string query_text(const char* sql, const char* what) {
    statement q(db, sql);
    if (!q.get()) db.fail(what);
    return db.step(q.get(), what) == SQLITE_ROW ? store::sqlite::db::column_text(q.get(), 0)
                                                : std::string();
  }

  void open() {
    const auto& file = db.file();
    // Made here so that it (and the -wal file SQLite makes like it) is the gateway's alone.
    if (const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); fd >= 0) {
      ::close(fd);
    }
    const int rc =
        sqlite3_open_v2(file.c_str(), db.handle(),
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) db.fail("cannot open the alert queue");
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busy_timeout_ms);
    db.exec("PRAGMA locking_mode=EXCLUSIVE", "cannot lock the alert queue");
    if (query_text("PRAGMA journal_mode=WAL", "cannot open the alert queue") != "wal") {
      throw queue_error(file.string() + ": cannot switch the alert queue to WAL journal mode");
    }
    db.exec("PRAGMA synchronous=FULL", "cannot set synchronous=FULL on the alert queue");
    db.exec("BEGIN IMMEDIATE", "cannot lock the alert queue");
    const std::string check = query_text("PRAGMA quick_check", "cannot check the alert queue");
    if (check != "ok") {
      db.exec_quietly("ROLLBACK");
      throw queue_error(file.string() + ": the alert queue is corrupt (integrity check: " + check +
                        ")");
    }
    check_version();
    db.exec(schema, "cannot create the alert queue's table in");
    db.exec("PRAGMA user_version = 1", "cannot write the schema version of");
    db.exec("COMMIT", "cannot commit the schema of");
    prepare();
  }

  // user_version 0 is a new file, unless it already has tables: then it is some other
  // database (vigild's state, say), which the queue must not write into.
  void check_version() {
    const auto version = query_int("PRAGMA user_version", "cannot read the schema version of");
    if (version > schema_version) {
      db.exec_quietly("ROLLBACK");
      throw queue_error(db.file().string() + ": alert queue schema " + std::to_string(version) +
                        " is newer than this vigil-gateway's (" + std::to_string(schema_version) +
                        ")");
    }
    const auto others = query_int(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT IN "
        "('alert_queue', 'sqlite_sequence')",
        "cannot list the tables of");
    if (version == 0 && others > 0) {
      db.exec_quietly("ROLLBACK");
      throw queue_error(db.file().string() + " is not an alert queue (it holds other tables)");
    }
  }

  void prepare() {
    insert = db.prepare(
        "INSERT INTO alert_queue (alarm_id, event_seq, message, enqueued_at_ms) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (alarm_id, event_seq) DO NOTHING");
    head = db.prepare(
        "SELECT id, alarm_id, event_seq, message, enqueued_at_ms FROM alert_queue "
        "WHERE done_at_ms IS NULL ORDER BY id LIMIT 1");
    remove = db.prepare(
        "UPDATE alert_queue SET done_at_ms = ?2, outcome = ?3 "
        "WHERE id = ?1 AND done_at_ms IS NULL");
    prune = db.prepare("DELETE FROM alert_queue WHERE done_at_ms IS NOT NULL AND done_at_ms < ?1");
    depth = db.prepare("SELECT count(*) FROM alert_queue WHERE done_at_ms IS NULL");
    done = db.prepare("SELECT count(*) FROM alert_queue WHERE outcome = ?1");
  }

  std::size_t count(sqlite3_stmt* s, const char* what) {
    std::size_t n = 0;
    if (db.step(s, what) == SQLITE_ROW) n = static_cast<std::size_t>(sqlite3_column_int64(s, 0));
    sqlite3_reset(s);
    return n;
  }
};

alert_queue::alert_queue(const fs::path& file, std::int64_t keep_done_ms)
    : impl_(guarded([&] { return std::make_unique<impl>(file, keep_done_ms); })) {}

alert_queue::~alert_queue() = default;

bool alert_queue::enqueue(std::string_view message, std::string_view alarm_id,
                          std::uint64_t event_seq, std::int64_t now_ms) {
  return guarded([&] {
    auto& d = impl_->db;
    auto* s = impl_->insert->get();
    store::sqlite::db::bind_text(s, 1, alarm_id);
    store::sqlite::db::bind_int(s, 2, static_cast<std::int64_t>(event_seq));
    store::sqlite::db::bind_blob(s, 3, message);
    store::sqlite::db::bind_int(s, 4, now_ms);
    d.run(s, "cannot enqueue an alert in");
    return sqlite3_changes(d) == 1;
  });
}

std::optional<queued_alert> alert_queue::head() const {
  return guarded([&]() -> std::optional<queued_alert> {
    auto* s = impl_->head->get();
    std::optional<queued_alert> out;
    if (impl_->db.step(s, "cannot read the head of") == SQLITE_ROW) {
      out.emplace();
      out->id = static_cast<std::uint64_t>(store::sqlite::db::column_int(s, 0));
      out->alarm_id = store::sqlite::db::column_text(s, 1);
      out->event_seq = static_cast<std::uint64_t>(store::sqlite::db::column_int(s, 2));
      out->message = std::string(store::sqlite::db::column_blob(s, 3));
      out->enqueued_at_ms = store::sqlite::db::column_int(s, 4);
    }
    sqlite3_reset(s);
    return out;
  });
}

bool alert_queue::remove(std::uint64_t id, outcome why, std::int64_t now_ms) {
  return guarded([&] {
    auto& d = impl_->db;
    store::sqlite::transaction t(d);
    auto* s = impl_->remove->get();
    store::sqlite::db::bind_int(s, 1, static_cast<std::int64_t>(id));
    store::sqlite::db::bind_int(s, 2, now_ms);
    store::sqlite::db::bind_text(s, 3, name(why));
    d.run(s, "cannot remove an alert from");
    const bool removed = sqlite3_changes(d) == 1;
    auto* p = impl_->prune->get();
    store::sqlite::db::bind_int(p, 1, now_ms - impl_->keep_done_ms);
    d.run(p, "cannot prune");
    t.commit();
    return removed;
  });
}

std::size_t alert_queue::depth() const {
  return guarded([&] { return impl_->count(impl_->depth->get(), "cannot count the alerts in"); });
}

std::size_t alert_queue::done(outcome why) const {
  return guarded([&] {
    auto* s = impl_->done->get();
    store::sqlite::db::bind_text(s, 1, name(why));
    return impl_->count(s, "cannot count the alerts in");
  });
}

const fs::path& alert_queue::file() const { return impl_->db.file(); }

std::string_view name(outcome o) {
  switch (o) {
    case outcome::acked: return "acked";
    case outcome::rejected: return "rejected";
    case outcome::dropped: return "dropped";
  }
  return "?";
}

}  // namespace vigil::alerts
