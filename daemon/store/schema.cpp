#include "store/schema.hpp"

#include <cctype>
#include <chrono>

#include "store/store.hpp"

namespace vigil::store::sql {

const char* const state_schema = R"sql(
CREATE TABLE IF NOT EXISTS vigil_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS beds (
  prefix TEXT NOT NULL,
  bed_id TEXT NOT NULL,
  state BLOB NOT NULL,
  event_seq INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (prefix, bed_id));
CREATE TABLE IF NOT EXISTS outbox (
  prefix TEXT NOT NULL,
  id INTEGER NOT NULL,
  topic TEXT NOT NULL,
  payload BLOB NOT NULL,
  qos INTEGER NOT NULL,
  retained INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  PRIMARY KEY (prefix, id));
CREATE TABLE IF NOT EXISTS beds_corrupt (
  prefix TEXT NOT NULL,
  bed_id TEXT NOT NULL,
  state BLOB NOT NULL,
  error TEXT NOT NULL,
  moved_at_ms INTEGER NOT NULL);
)sql";

const char* const record_schema = R"sql(
CREATE TABLE IF NOT EXISTS alarm_history (
  prefix TEXT NOT NULL,
  bed_id TEXT NOT NULL,
  event_seq INTEGER NOT NULL,
  session_id TEXT NOT NULL,
  alarm_id TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  event BLOB NOT NULL,
  PRIMARY KEY (prefix, bed_id, event_seq));
CREATE INDEX IF NOT EXISTS alarm_history_by_time ON alarm_history (prefix, at_ms);
CREATE INDEX IF NOT EXISTS alarm_history_by_session ON alarm_history (prefix, session_id);
CREATE TABLE IF NOT EXISTS trend (
  prefix TEXT NOT NULL,
  bed_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  series INTEGER NOT NULL,
  n INTEGER NOT NULL,
  lo REAL NOT NULL,
  mean REAL NOT NULL,
  hi REAL NOT NULL,
  PRIMARY KEY (prefix, bed_id, at_ms, series));
CREATE INDEX IF NOT EXISTS trend_by_time ON trend (prefix, at_ms);
CREATE TABLE IF NOT EXISTS sessions (
  prefix TEXT NOT NULL,
  bed_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  encounter_id TEXT NOT NULL,
  drug TEXT NOT NULL,
  dose_mg_per_kg REAL,
  planned_minutes INTEGER NOT NULL,
  started_ms INTEGER NOT NULL,
  stopped_ms INTEGER NOT NULL,
  ended_ms INTEGER NOT NULL,
  baseline_systolic_mmhg REAL,
  baseline_diastolic_mmhg REAL,
  record_written_ms INTEGER,
  PRIMARY KEY (prefix, bed_id, session_id));
CREATE INDEX IF NOT EXISTS sessions_by_start ON sessions (prefix, started_ms);
)sql";

const char* const read_version = "SELECT value FROM vigil_meta WHERE key = 'schema_version'";
const char* const write_version =
    "INSERT INTO vigil_meta (key, value) VALUES ('schema_version', ?1)";

const char* const upsert_bed =
    "INSERT INTO beds (prefix, bed_id, state, event_seq, updated_at_ms) VALUES "
    "(?1, ?2, ?3, ?4, ?5) ON CONFLICT (prefix, bed_id) DO UPDATE SET state = "
    "excluded.state, event_seq = excluded.event_seq, updated_at_ms = excluded.updated_at_ms";
const char* const insert_bed_if_absent =
    "INSERT INTO beds (prefix, bed_id, state, event_seq, updated_at_ms) VALUES "
    "(?1, ?2, ?3, ?4, ?5) ON CONFLICT (prefix, bed_id) DO NOTHING";
const char* const add_outbox =
    "INSERT INTO outbox (prefix, id, topic, payload, qos, retained, created_at_ms) VALUES "
    "(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
const char* const remove_outbox = "DELETE FROM outbox WHERE prefix = ?1 AND id = ?2";
const char* const load_beds = "SELECT bed_id, state FROM beds WHERE prefix = ?1 ORDER BY bed_id";
const char* const load_outbox =
    "SELECT id, topic, payload, qos, retained FROM outbox WHERE prefix = ?1 ORDER BY id";
const char* const count_other_beds = "SELECT count(*) FROM beds WHERE prefix <> ?1";
const char* const set_aside_copy =
    "INSERT INTO beds_corrupt (prefix, bed_id, state, error, moved_at_ms) SELECT prefix, "
    "bed_id, state, CAST(?3 AS TEXT), CAST(?4 AS BIGINT) FROM beds WHERE prefix = ?1 AND "
    "bed_id = ?2";
const char* const set_aside_drop = "DELETE FROM beds WHERE prefix = ?1 AND bed_id = ?2";
bool version_to_write(const std::string& found, const std::string& where) {
  if (found.empty()) return true;
  if (found != our_version()) {
    throw store_error(where + " has schema version " + found + "; this vigild reads " +
                      our_version() + " (written by a newer vigild?)");
  }
  return false;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const char* const add_event =
    "INSERT INTO alarm_history (prefix, bed_id, event_seq, session_id, alarm_id, at_ms, "
    "event) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING";
const char* const add_trend =
    "INSERT INTO trend (prefix, bed_id, session_id, at_ms, series, n, lo, mean, hi) VALUES "
    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (prefix, bed_id, at_ms, series) DO "
    "UPDATE SET mean = (trend.mean * trend.n + excluded.mean * excluded.n) / (trend.n + "
    "excluded.n), n = trend.n + excluded.n, lo = CASE WHEN excluded.lo < trend.lo THEN "
    "excluded.lo ELSE trend.lo END, hi = CASE WHEN excluded.hi > trend.hi THEN excluded.hi "
    "ELSE trend.hi END";
const char* const upsert_session =
    "INSERT INTO sessions (prefix, bed_id, session_id, patient_id, encounter_id, drug, "
    "dose_mg_per_kg, planned_minutes, started_ms, stopped_ms, ended_ms, "
    "baseline_systolic_mmhg, baseline_diastolic_mmhg) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
    "?9, ?10, ?11, ?12, ?13) ON CONFLICT (prefix, bed_id, session_id) DO UPDATE SET "
    "patient_id = excluded.patient_id, encounter_id = excluded.encounter_id, drug = "
    "excluded.drug, dose_mg_per_kg = excluded.dose_mg_per_kg, planned_minutes = "
    "excluded.planned_minutes, started_ms = excluded.started_ms, stopped_ms = "
    "excluded.stopped_ms, ended_ms = excluded.ended_ms, baseline_systolic_mmhg = "
    "excluded.baseline_systolic_mmhg, baseline_diastolic_mmhg = "
    "excluded.baseline_diastolic_mmhg";

namespace {
constexpr const char* session_columns =
    "bed_id, session_id, patient_id, encounter_id, drug, dose_mg_per_kg, planned_minutes, "
    "started_ms, stopped_ms, ended_ms, baseline_systolic_mmhg, baseline_diastolic_mmhg";
constexpr const char* bed_and_session =
    " WHERE prefix = ?1 AND (?2 = '' OR bed_id = ?2) AND (?3 = '' OR session_id = ?3) AND ";
}  // namespace

std::string history_query() {
  return std::string("SELECT event, bed_id, event_seq FROM alarm_history") + bed_and_session +
         "at_ms BETWEEN ?4 AND ?5 ORDER BY at_ms, bed_id, event_seq LIMIT ?6";
}
std::string sessions_query() {
  // Overlapping the window: started before its end, and not ended before its start.
  return std::string("SELECT ") + session_columns + " FROM sessions" + bed_and_session +
         "started_ms <= ?5 AND (ended_ms = 0 OR ended_ms >= ?4) ORDER BY started_ms, bed_id "
         "LIMIT ?6";
}
std::string trend_query() {
  return std::string("SELECT at_ms, series, n, lo, mean, hi FROM trend") + bed_and_session +
         "at_ms BETWEEN ?4 AND ?5 ORDER BY at_ms, series LIMIT ?6";
}
std::string awaiting_record_query() {
  return std::string("SELECT ") + session_columns +
         " FROM sessions WHERE prefix = ?1 AND ended_ms <> 0 AND record_written_ms IS NULL "
         "ORDER BY ended_ms LIMIT ?2";
}
const char* const mark_record_written =
    "UPDATE sessions SET record_written_ms = ?4 WHERE prefix = ?1 AND bed_id = ?2 AND "
    "session_id = ?3";

// A session goes with its history: once it ended before the retention (or, never ended,
// started before it and its bed has moved on: ended_ms stays 0 only for a session in
// progress, which is never that old).
const prune_step prune_steps[4] = {
    {"DELETE FROM alarm_history WHERE rowid IN (SELECT rowid FROM alarm_history WHERE prefix = "
     "?1 AND at_ms < ?2 LIMIT ?3)",
     false},
    {"DELETE FROM trend WHERE rowid IN (SELECT rowid FROM trend WHERE prefix = ?1 AND at_ms < "
     "?2 LIMIT ?3)",
     false},
    {"DELETE FROM trend WHERE rowid IN (SELECT rowid FROM trend WHERE prefix = ?1 AND "
     "session_id = '' AND at_ms < ?2 LIMIT ?3)",
     true},
    {"DELETE FROM sessions WHERE rowid IN (SELECT rowid FROM sessions WHERE prefix = ?1 AND "
     "ended_ms <> 0 AND ended_ms < ?2 LIMIT ?3)",
     false},
};

std::string postgres(std::string_view in) {
  const auto word_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  };
  std::string out;
  out.reserve(in.size() + 32);
  for (std::size_t i = 0; i < in.size();) {
    const char c = in[i];
    if (c == '\'') {  // a literal, copied as it is
      const auto end = in.find('\'', i + 1);
      const auto stop = end == std::string_view::npos ? in.size() : end + 1;
      out.append(in.substr(i, stop - i));
      i = stop;
    } else if (c == '?') {
      out += '$';
      ++i;
    } else if (word_char(c)) {
      std::size_t j = i;
      while (j < in.size() && word_char(in[j])) ++j;
      const auto word = in.substr(i, j - i);
      if (word == "INTEGER") {
        out += "BIGINT";
      } else if (word == "BLOB") {
        out += "BYTEA";
      } else if (word == "REAL") {
        out += "DOUBLE PRECISION";
      } else if (word == "rowid") {
        out += "ctid";
      } else {
        out.append(word);
      }
      i = j;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

}  // namespace vigil::store::sql
