#include "store/sqlite_db.hpp"

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
