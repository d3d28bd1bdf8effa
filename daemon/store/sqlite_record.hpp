// The record's tables on SQLite (store.hpp lists them): the alarm history, the trend and the
// sessions, written in the transaction of the change that made them, read by the queries of
// vigilctl, the dashboard and the session's record, and pruned at the retention.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/sqlite_db.hpp"
#include "store/store.hpp"

namespace vigil::store::sqlite {

class record_tables {
 public:
  // The tables must exist (sql::record_schema); `d` must outlive this object.
  record_tables(db& d, std::string prefix);
  ~record_tables();

  // Inside the caller's transaction.
  void apply(const record::rows& r, core::time_ms at_ms);
  std::size_t prune(const prune_limits& limits);

  page<core::alarm_event> history(const record_filter& f);
  page<record::session_info> sessions(const record_filter& f);
  page<record::trend_point> trend(const record_filter& f);
  std::vector<record::session_info> awaiting_record(std::size_t limit);
  void record_written(const std::string& bed_id, const std::string& session_id,
                      core::time_ms at_ms);

 private:
  record::session_info read_session(sqlite3_stmt* s) const;

  db& db_;
  std::string prefix_;
  std::unique_ptr<statement> add_event_, add_trend_, upsert_session_;
};

}  // namespace vigil::store::sqlite
