#include "store/sqlite_record.hpp"

#include "codec/codec.hpp"
#include "store/schema.hpp"

namespace vigil::store::sqlite {

namespace {
void bind_optional(sqlite3_stmt* s, int at, const std::optional<double>& v) {
  if (v) {
    sqlite3_bind_double(s, at, *v);
  } else {
    sqlite3_bind_null(s, at);
  }
}
std::optional<double> column_optional(sqlite3_stmt* s, int col) {
  if (sqlite3_column_type(s, col) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_double(s, col);
}

void bind_filter(sqlite3_stmt* s, const std::string& prefix, const record_filter& f) {
  db::bind_text(s, 1, prefix);
  db::bind_text(s, 2, f.bed_id);
  db::bind_text(s, 3, f.session_id);
  db::bind_int(s, 4, f.since_ms);
  db::bind_int(s, 5, f.until_ms);
  db::bind_int(s, 6, static_cast<std::int64_t>(f.limit) + 1);
}
}  // namespace

record_tables::record_tables(db& d, std::string prefix) : db_(d), prefix_(std::move(prefix)) {
  add_event_ = db_.prepare(sql::add_event);
  add_trend_ = db_.prepare(sql::add_trend);
  upsert_session_ = db_.prepare(sql::upsert_session);
}

record_tables::~record_tables() = default;

void record_tables::apply(const record::rows& r, core::time_ms) {
  for (const auto& e : r.history) {
    sqlite3_stmt* s = add_event_->get();
    const std::string bytes = codec::encode(e);
    db::bind_text(s, 1, prefix_);
    db::bind_text(s, 2, e.bed_id);
    db::bind_int(s, 3, static_cast<std::int64_t>(e.event_seq));
    db::bind_text(s, 4, e.session_id);
    db::bind_text(s, 5, e.alarm_id);
    db::bind_int(s, 6, e.at_ms);
    db::bind_blob(s, 7, bytes);
    db_.run(s, "cannot add to the alarm history of");
  }
  for (const auto& t : r.trend) {
    sqlite3_stmt* s = add_trend_->get();
    db::bind_text(s, 1, prefix_);
    db::bind_text(s, 2, t.bed_id);
    db::bind_text(s, 3, t.session_id);
    db::bind_int(s, 4, t.point.at_ms);
    sqlite3_bind_int(s, 5, static_cast<int>(t.point.series));
    db::bind_int(s, 6, t.point.n);
    sqlite3_bind_double(s, 7, t.point.lo);
    sqlite3_bind_double(s, 8, t.point.mean);
    sqlite3_bind_double(s, 9, t.point.hi);
    db_.run(s, "cannot add to the trend of");
  }
  for (const auto& i : r.sessions) {
    sqlite3_stmt* s = upsert_session_->get();
    db::bind_text(s, 1, prefix_);
    db::bind_text(s, 2, i.bed_id);
    db::bind_text(s, 3, i.session_id);
    db::bind_text(s, 4, i.patient_id);
    db::bind_text(s, 5, i.encounter_id);
    db::bind_text(s, 6, i.drug);
    bind_optional(s, 7, i.dose_mg_per_kg);
    db::bind_int(s, 8, i.planned_minutes);
    db::bind_int(s, 9, i.started_ms);
    db::bind_int(s, 10, i.stopped_ms);
    db::bind_int(s, 11, i.ended_ms);
    bind_optional(s, 12, i.baseline_systolic_mmhg);
    bind_optional(s, 13, i.baseline_diastolic_mmhg);
    db_.run(s, "cannot save a session in");
  }
}

page<core::alarm_event> record_tables::history(const record_filter& f) {
  const std::string text = sql::history_query();
  statement q(db_, text.c_str());
  if (!q.get()) db_.fail("cannot prepare the history query for");
  bind_filter(q.get(), prefix_, f);
  page<core::alarm_event> out;
  while (db_.step(q.get(), "cannot read the alarm history of") == SQLITE_ROW) {
    auto e = codec::decode_alarm_event(db::column_blob(q.get(), 0));
    if (!e) {
      db_.fail("undecodable event " + db::column_text(q.get(), 1) + " #" +
               std::to_string(db::column_int(q.get(), 2)) + " in the alarm history of");
    }
    out.rows.push_back(std::move(e).value());
  }
  out.trim(f.limit);
  return out;
}

record::session_info record_tables::read_session(sqlite3_stmt* s) const {
  record::session_info i;
  i.bed_id = db::column_text(s, 0);
  i.session_id = db::column_text(s, 1);
  i.patient_id = db::column_text(s, 2);
  i.encounter_id = db::column_text(s, 3);
  i.drug = db::column_text(s, 4);
  i.dose_mg_per_kg = column_optional(s, 5);
  i.planned_minutes = static_cast<std::uint32_t>(db::column_int(s, 6));
  i.started_ms = db::column_int(s, 7);
  i.stopped_ms = db::column_int(s, 8);
  i.ended_ms = db::column_int(s, 9);
  i.baseline_systolic_mmhg = column_optional(s, 10);
  i.baseline_diastolic_mmhg = column_optional(s, 11);
  return i;
}

page<record::session_info> record_tables::sessions(const record_filter& f) {
  const std::string text = sql::sessions_query();
  statement q(db_, text.c_str());
  if (!q.get()) db_.fail("cannot prepare the sessions query for");
  bind_filter(q.get(), prefix_, f);
  page<record::session_info> out;
  while (db_.step(q.get(), "cannot read the sessions of") == SQLITE_ROW) {
    out.rows.push_back(read_session(q.get()));
  }
  out.trim(f.limit);
  return out;
}

page<record::trend_point> record_tables::trend(const record_filter& f) {
  const std::string text = sql::trend_query();
  statement q(db_, text.c_str());
  if (!q.get()) db_.fail("cannot prepare the trend query for");
  bind_filter(q.get(), prefix_, f);
  page<record::trend_point> out;
  while (db_.step(q.get(), "cannot read the trend of") == SQLITE_ROW) {
    const auto series = sqlite3_column_int(q.get(), 1);
    if (series < 0 || static_cast<std::size_t>(series) >= record::series_count) continue;
    out.rows.push_back({db::column_int(q.get(), 0), static_cast<record::series>(series),
                        static_cast<std::uint32_t>(db::column_int(q.get(), 2)),
                        sqlite3_column_double(q.get(), 3), sqlite3_column_double(q.get(), 4),
                        sqlite3_column_double(q.get(), 5)});
  }
  out.trim(f.limit);
  return out;
}

std::vector<record::session_info> record_tables::awaiting_record(std::size_t limit) {
  const std::string text = sql::awaiting_record_query();
  statement q(db_, text.c_str());
  if (!q.get()) db_.fail("cannot prepare the records query for");
  db::bind_text(q.get(), 1, prefix_);
  db::bind_int(q.get(), 2, static_cast<std::int64_t>(limit));
  std::vector<record::session_info> out;
  while (db_.step(q.get(), "cannot read the sessions of") == SQLITE_ROW) {
    out.push_back(read_session(q.get()));
  }
  return out;
}

void record_tables::record_written(const std::string& bed_id, const std::string& session_id,
                                   core::time_ms at_ms) {
  statement q(db_, sql::mark_record_written);
  db::bind_text(q.get(), 1, prefix_);
  db::bind_text(q.get(), 2, bed_id);
  db::bind_text(q.get(), 3, session_id);
  db::bind_int(q.get(), 4, at_ms);
  db_.run(q.get(), "cannot mark a session's record as written in");
}

std::size_t record_tables::prune(const prune_limits& l) {
  std::size_t removed = 0;
  for (const auto& step : sql::prune_steps) {
    if (removed >= l.max_rows) break;
    statement q(db_, step.sql);
    if (!q.get()) db_.fail("cannot prepare a prune statement for");
    db::bind_text(q.get(), 1, prefix_);
    db::bind_int(q.get(), 2, step.idle ? l.idle_trend_before : l.history_before);
    db::bind_int(q.get(), 3, static_cast<std::int64_t>(l.max_rows - removed));
    db_.run(q.get(), "cannot prune the record of");
    removed += static_cast<std::size_t>(sqlite3_changes(db_));
  }
  return removed;
}

}  // namespace vigil::store::sqlite
