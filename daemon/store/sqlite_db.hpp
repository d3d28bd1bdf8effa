// A SQLite connection and the few calls the store's tables make on it: statements prepared
// once, steps that throw store_error naming the database and SQLite's cause, binding and
// reading columns. Shared by the beds/outbox tables (sqlite_store.cpp) and the record's
// (sqlite_record.cpp). Used by one thread at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace vigil::store::sqlite {

class statement {
 public:
  statement(sqlite3* db, const char* sql);
  ~statement() { sqlite3_finalize(stmt_); }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

class db {
 public:
  explicit db(std::filesystem::path file) : file_(std::move(file)) {}
  ~db() { sqlite3_close_v2(p_); }
  db(const db&) = delete;
  db& operator=(const db&) = delete;

  // Opens (creating it 0600) the file for this process alone: exclusive lock held from now to
  // close, WAL, synchronous=FULL, a quick integrity check; then runs `first` (the schema) in the
  // same transaction and commits. Throws store_error naming the file: not a database, damaged,
  // held by another process.
  template <class F>
  void open_exclusive(F&& first) {
    open_locked();
    first();
    exec("COMMIT", "cannot commit the schema of");
  }
  // The first column of the first row as text ("" when there is none); up to five rows of a
  // multi-row answer (quick_check's list of problems) joined by "; ".
  std::string query_text(const char* sql, const char* what);

  sqlite3** handle() { return &p_; }
  operator sqlite3*() const { return p_; }  // NOLINT: used as the handle it wraps
  const std::filesystem::path& file() const { return file_; }

  // Throws store_error: "<what> <file>: <SQLite's message>".
  [[noreturn]] void fail(const std::string& what) const;
  void exec(const char* sql, const char* what);
  void exec_quietly(const char* sql) { sqlite3_exec(p_, sql, nullptr, nullptr, nullptr); }
  std::unique_ptr<statement> prepare(const char* sql);
  // SQLITE_ROW or SQLITE_DONE; anything else throws.
  int step(sqlite3_stmt* s, const char* what);
  // Runs a write statement once and resets it for the next use.
  void run(sqlite3_stmt* s, const char* what);

  static void bind_text(sqlite3_stmt* s, int at, std::string_view v) {
    sqlite3_bind_text(s, at, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  static void bind_blob(sqlite3_stmt* s, int at, std::string_view v) {
    sqlite3_bind_blob(s, at, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  static void bind_int(sqlite3_stmt* s, int at, std::int64_t v) {
    sqlite3_bind_int64(s, at, static_cast<sqlite3_int64>(v));
  }
  static std::string column_text(sqlite3_stmt* s, int col);
  static std::string_view column_blob(sqlite3_stmt* s, int col);
  static std::int64_t column_int(sqlite3_stmt* s, int col) {
    return static_cast<std::int64_t>(sqlite3_column_int64(s, col));
  }

 private:
  void open_locked();  // open_exclusive() up to its first transaction, left open

  std::filesystem::path file_;
  sqlite3* p_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if commit() is never reached.
class transaction {
 public:
  explicit transaction(db& d) : d_(d) {
    d_.exec("BEGIN IMMEDIATE", "cannot begin a transaction in");
  }
  ~transaction() {
    if (!done_) d_.exec_quietly("ROLLBACK");
  }
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  void commit() {
    d_.exec("COMMIT", "cannot commit to");
    done_ = true;
  }

 private:
  db& d_;
  bool done_ = false;
};

}  // namespace vigil::store::sqlite
