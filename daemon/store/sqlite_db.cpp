#include "store/sqlite_db.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace vigil::store::sqlite {

statement::statement(sqlite3* db, const char* sql) {
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK)
    stmt_ = nullptr;
}

void db::fail(const std::string& what) const {
  const int rc = p_ ? sqlite3_extended_errcode(p_) : SQLITE_CANTOPEN;
  std::string cause = p_ ? sqlite3_errmsg(p_) : sqlite3_errstr(rc);
  if ((rc & 0xff) == SQLITE_BUSY) {
    cause += " (another process holds it: is a second vigild using this state_dir?)";
  }
  throw store_error(what + " " + file_.string() + ": " + cause);
}

void db::open_locked() {
  constexpr int busy_timeout_ms = 1000;
  // Made here so that it (and the -wal file SQLite makes like it) is this process's alone.
  if (const int fd = ::open(file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); fd >= 0)
    ::close(fd);
  const int rc =
      sqlite3_open_v2(file_.c_str(), &p_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) fail("cannot open");
  sqlite3_extended_result_codes(p_, 1);
  sqlite3_busy_timeout(p_, busy_timeout_ms);
  // Exclusive before WAL: the lock is held from the first write to close, and the WAL index
  // lives in this process's memory (no -shm file another process could use).
  exec("PRAGMA locking_mode=EXCLUSIVE", "cannot set the locking mode of");
  if (query_text("PRAGMA journal_mode=WAL", "cannot open") != "wal")
    throw store_error(file_.string() + ": cannot switch to WAL journal mode");
  exec("PRAGMA synchronous=FULL", "cannot set synchronous=FULL on");
  exec("BEGIN IMMEDIATE", "cannot lock");  // takes the lock now, not at the first commit
  const std::string check = query_text("PRAGMA quick_check", "cannot check");
  if (check != "ok") {
    exec_quietly("ROLLBACK");
    throw store_error(file_.string() + " is corrupt (integrity check: " + check + ")");
  }
}

std::string db::query_text(const char* sql, const char* what) {
  statement q(p_, sql);
  if (!q.get()) fail(what);
  std::string all;
  for (int rows = 0; step(q.get(), what) == SQLITE_ROW && rows < 5; ++rows) {
    if (!all.empty()) all += "; ";
    all += column_text(q.get(), 0);
  }
  return all;
}

void db::exec(const char* sql, const char* what) {
  if (sqlite3_exec(p_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(what);
}

std::unique_ptr<statement> db::prepare(const char* sql) {
  auto s = std::make_unique<statement>(p_, sql);
  if (!s->get()) fail("cannot prepare a statement for");
  return s;
}

int db::step(sqlite3_stmt* s, const char* what) {
  const int rc = sqlite3_step(s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail(what);
  return rc;
}

void db::run(sqlite3_stmt* s, const char* what) {
  const int rc = sqlite3_step(s);
  sqlite3_reset(s);
  if (rc != SQLITE_DONE) fail(what);
}

std::string db::column_text(sqlite3_stmt* s, int col) {
  const auto* p = sqlite3_column_text(s, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(s, col)))
           : std::string();
}

std::string_view db::column_blob(sqlite3_stmt* s, int col) {
  const void* p = sqlite3_column_blob(s, col);
  return p ? std::string_view(static_cast<const char*>(p),
                              static_cast<std::size_t>(sqlite3_column_bytes(s, col)))
           : std::string_view();
}

}  // namespace vigil::store::sqlite
