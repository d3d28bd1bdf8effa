#include "store/sqlite_store.hpp"

#include <algorithm>
#include <utility>

#include "store/bed_record.hpp"
#include "store/schema.hpp"
#include "store/sqlite_db.hpp"
#include "store/sqlite_record.hpp"

namespace vigil::store {
namespace {

namespace fs = std::filesystem;
using sqlite::statement;
using sqlite::transaction;

class sqlite_store final : public store {
 public:
  sqlite_store(fs::path file, std::string prefix)
      : file_(std::move(file)), prefix_(std::move(prefix)), db_(file_) {
    db_.open_exclusive([this] {
      exec(sql::state_schema, "cannot create the tables in");
      exec(sql::record_schema, "cannot create the record's tables in");
      check_version();
    });
    prepare();
    record_ = std::make_unique<sqlite::record_tables>(db_, prefix_);
  }

  loaded_state load() override {
    loaded_state out;
    corrupt_rows corrupt;
    {
      statement q(db_, sql::load_beds);
      bind_text(q.get(), 1, prefix_);
      while (step(q.get(), "cannot read the beds of") == SQLITE_ROW) {
        take_bed_row(column_text(q.get(), 0), column_blob(q.get(), 1), out.beds, corrupt);
      }
    }
    for (const auto& [id, error] : corrupt) {
      set_aside(id, error);
      out.problems.push_back("bed '" + id + "' in " + file_.string() + ": " + error +
                             "; moved to table beds_corrupt, the bed starts afresh");
    }
    {
      statement q(db_, sql::load_outbox);
      bind_text(q.get(), 1, prefix_);
      while (step(q.get(), "cannot read the outbox of") == SQLITE_ROW) {
        codec::outgoing m;
        m.outbox_id = static_cast<std::uint64_t>(sqlite3_column_int64(q.get(), 0));
        m.topic = column_text(q.get(), 1);
        m.payload = std::string(column_blob(q.get(), 2));
        m.qos = sqlite3_column_int(q.get(), 3);
        m.retained = sqlite3_column_int(q.get(), 4) != 0;
        out.next_outbox_id = m.outbox_id + 1;
        out.outbox.push_back(std::move(m));
      }
    }
    statement others(db_, sql::count_other_beds);
    bind_text(others.get(), 1, prefix_);
    if (step(others.get(), "cannot count the beds of") == SQLITE_ROW) {
      out.other_prefix_beds = static_cast<std::size_t>(sqlite3_column_int64(others.get(), 0));
    }
    return out;
  }

  using store::commit;
  void commit(const std::vector<const change_set*>& changes) override {
    const bool only_removals = std::all_of(changes.begin(), changes.end(), [](const auto* c) {
      return c->beds.empty() && c->outbox.empty() && c->record.empty();
    });
    if (only_removals) exec("PRAGMA synchronous=NORMAL", "cannot set synchronous on");
    // Back to FULL however the transaction ends.
    const std::unique_ptr<sqlite_store, void (*)(sqlite_store*)> full_again(
        only_removals ? this : nullptr,
        [](sqlite_store* s) { s->exec_quietly("PRAGMA synchronous=FULL"); });
    transaction t(db_);
    for (const auto* c : changes) {
      apply(*c);
      record_->apply(c->record, c->at_ms);
    }
    t.commit();
  }

  std::size_t import(const std::vector<bed_row>& beds) override {
    transaction t(db_);
    std::size_t added = 0;
    for (const auto& b : beds) {
      sqlite3_stmt* s = insert_ignore_->get();
      bind_bed(s, b, 0);
      run(s, "cannot import a bed into");
      added += static_cast<std::size_t>(sqlite3_changes(db_));
    }
    t.commit();
    return added;
  }

  page<core::alarm_event> history(const record_filter& f) override { return record_->history(f); }
  page<record::session_info> sessions(const record_filter& f) override {
    return record_->sessions(f);
  }
  page<record::trend_point> trend(const record_filter& f) override { return record_->trend(f); }
  std::vector<record::session_info> awaiting_record(std::size_t limit) override {
    return record_->awaiting_record(limit);
  }
  void record_written(const std::string& bed_id, const std::string& session_id,
                      core::time_ms at_ms) override {
    record_->record_written(bed_id, session_id, at_ms);
  }
  std::size_t prune(const prune_limits& limits) override {
    transaction t(db_);
    const std::size_t n = record_->prune(limits);
    t.commit();
    return n;
  }

  std::string describe() const override { return "sqlite://" + file_.string(); }

 private:
  void apply(const change_set& c) {
    for (const auto& b : c.beds) {
      sqlite3_stmt* s = upsert_->get();
      bind_bed(s, b, c.at_ms);
      run(s, "cannot save a bed in");
    }
    for (const auto& m : c.outbox) {
      sqlite3_stmt* s = add_outbox_->get();
      bind_text(s, 1, prefix_);
      sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(m.outbox_id));
      bind_text(s, 3, m.topic);
      sqlite3_bind_blob(s, 4, m.payload.data(), static_cast<int>(m.payload.size()), SQLITE_STATIC);
      sqlite3_bind_int(s, 5, m.qos);
      sqlite3_bind_int(s, 6, m.retained ? 1 : 0);
      sqlite3_bind_int64(s, 7, c.at_ms);
      run(s, "cannot add to the outbox of");
    }
    for (const auto id : c.published) {
      sqlite3_stmt* s = remove_outbox_->get();
      bind_text(s, 1, prefix_);
      sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(id));
      run(s, "cannot remove from the outbox of");
    }
  }

  [[noreturn]] void fail(const std::string& what) const { db_.fail(what); }
  void exec(const char* sql, const char* what) { db_.exec(sql, what); }
  void exec_quietly(const char* sql) { db_.exec_quietly(sql); }

  std::string query_text(const char* sql, const char* what) { return db_.query_text(sql, what); }

  int step(sqlite3_stmt* s, const char* what) { return db_.step(s, what); }
  void run(sqlite3_stmt* s, const char* what) { db_.run(s, what); }
  static void bind_text(sqlite3_stmt* s, int at, const std::string& v) {
    sqlite::db::bind_text(s, at, v);
  }
  void bind_bed(sqlite3_stmt* s, const bed_row& b, core::time_ms at) {
    bind_text(s, 1, prefix_);
    bind_text(s, 2, b.id);
    sqlite3_bind_blob(s, 3, b.state.data(), static_cast<int>(b.state.size()), SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, static_cast<sqlite3_int64>(b.event_seq));
    sqlite3_bind_int64(s, 5, at);
  }
  static std::string column_text(sqlite3_stmt* s, int col) {
    return sqlite::db::column_text(s, col);
  }
  static std::string_view column_blob(sqlite3_stmt* s, int col) {
    return sqlite::db::column_blob(s, col);
  }

  void check_version() {
    if (sql::version_to_write(query_text(sql::read_version, "cannot read"), file_.string())) {
      statement q(db_, sql::write_version);
      const std::string ours = sql::our_version();
      bind_text(q.get(), 1, ours);
      run(q.get(), "cannot write the schema version to");
    }
  }

  void prepare() {
    upsert_ = db_.prepare(sql::upsert_bed);
    insert_ignore_ = db_.prepare(sql::insert_bed_if_absent);
    add_outbox_ = db_.prepare(sql::add_outbox);
    remove_outbox_ = db_.prepare(sql::remove_outbox);
  }

  void set_aside(const std::string& id, const std::string& error) {
    transaction t(db_);
    statement copy(db_, sql::set_aside_copy);
    statement drop(db_, sql::set_aside_drop);
    bind_text(copy.get(), 1, prefix_);
    bind_text(copy.get(), 2, id);
    bind_text(copy.get(), 3, error);
    sqlite::db::bind_int(copy.get(), 4, sql::now_ms());
    run(copy.get(), "cannot set a corrupt bed aside in");
    bind_text(drop.get(), 1, prefix_);
    bind_text(drop.get(), 2, id);
    run(drop.get(), "cannot set a corrupt bed aside in");
    t.commit();
  }

  fs::path file_;
  std::string prefix_;
  sqlite::db db_;  // closed last, also when the constructor throws (which releases the lock)
  std::unique_ptr<statement> upsert_, insert_ignore_, add_outbox_, remove_outbox_;
  std::unique_ptr<sqlite::record_tables> record_;
};

}  // namespace

bed_row make_row(const core::bed_state& bed) { return {bed.id, encode_bed(bed), bed.event_seq}; }

std::unique_ptr<store> open_sqlite_store(const fs::path& file, std::string prefix) {
  return std::make_unique<sqlite_store>(file, std::move(prefix));
}

}  // namespace vigil::store
