// The store's SQL in one place, for every backend: the tables (store.hpp lists them) and the
// statements on them, written once in SQLite's dialect and in forms PostgreSQL accepts too
// (CASE instead of scalar min/max, times bound rather than computed, qualified columns in
// ON CONFLICT ... DO UPDATE). postgres() derives PostgreSQL's text mechanically: column types,
// ?N parameters, rowid. A statement's parameters are the same on both.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::store::sql {

constexpr int schema_version = 1;

// CREATE TABLE/INDEX IF NOT EXISTS: beds, outbox, beds_corrupt and vigil_meta; the record's.
extern const char* const state_schema;
extern const char* const record_schema;

extern const char* const read_version;   // the schema_version row's value
extern const char* const write_version;  // ?1: the version
// What read_version found: "" (a new database: write ours), ours, or else a store_error naming
// `where` is thrown (a newer vigild wrote it). Returns whether ours must be written.
bool version_to_write(const std::string& found, const std::string& where);
inline std::string our_version() { return std::to_string(schema_version); }

// ?1 prefix, ?2 bed id, ?3 state, ?4 event_seq, ?5 updated_at_ms.
extern const char* const upsert_bed;
extern const char* const insert_bed_if_absent;
// ?1 prefix, ?2 id, ?3 topic, ?4 payload, ?5 qos, ?6 retained, ?7 created_at_ms.
extern const char* const add_outbox;
extern const char* const remove_outbox;     // ?1 prefix, ?2 id
extern const char* const load_beds;         // ?1 prefix: bed_id, state by bed_id
extern const char* const load_outbox;       // ?1 prefix: id, topic, payload, qos, retained by id
extern const char* const count_other_beds;  // ?1 prefix
// A bed that does not decode, moved to beds_corrupt: ?1 prefix, ?2 bed id, ?3 error, ?4 now.
extern const char* const set_aside_copy;
extern const char* const set_aside_drop;
std::int64_t now_ms();  // the wall clock, for set_aside_copy's ?4

// ?1 prefix, ?2 bed, ?3 event_seq, ?4 session, ?5 alarm id, ?6 at_ms, ?7 event.
extern const char* const add_event;
// ?1 prefix, ?2 bed, ?3 session, ?4 at_ms, ?5 series, ?6 n, ?7 lo, ?8 mean, ?9 hi. A bucket
// written twice (its first half before a restart, its second after) is merged.
extern const char* const add_trend;
// ?1 prefix, ?2 bed, ?3 session, ?4 patient, ?5 encounter, ?6 drug, ?7 dose, ?8 planned
// minutes, ?9 started, ?10 stopped, ?11 ended, ?12 baseline systolic, ?13 diastolic.
extern const char* const upsert_session;

// The record's queries, each with ?1 prefix, ?2 bed ('' for all), ?3 session ('' for all),
// ?4 since, ?5 until, ?6 limit + 1 (to see whether there are more).
// history: event, bed_id, event_seq. sessions: session_columns. trend: at_ms, series, n, lo,
// mean, hi.
std::string history_query();
std::string sessions_query();
std::string trend_query();
// session_columns of the ended sessions without a record: ?1 prefix, ?2 limit.
std::string awaiting_record_query();
// ?1 prefix, ?2 bed, ?3 session, ?4 at_ms.
extern const char* const mark_record_written;

// prune(): in this order, each with ?1 prefix, ?2 the time before which rows go, ?3 how many
// at the most; `idle` says the time is prune_limits::idle_trend_before (else history_before).
struct prune_step {
  const char* sql;
  bool idle;
};
extern const prune_step prune_steps[4];

// The same statement (or DDL) for PostgreSQL: INTEGER -> BIGINT, BLOB -> BYTEA, REAL ->
// DOUBLE PRECISION, ?N -> $N, rowid -> ctid.
std::string postgres(std::string_view sqlite);

}  // namespace vigil::store::sql
