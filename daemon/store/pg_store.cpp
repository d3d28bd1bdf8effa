// The store on a pg_lease's connection: the statements of schema.hpp in PostgreSQL's dialect,
// bytes as binary parameters, one transaction per commit().
#include <algorithm>
#include <charconv>

#include "codec/codec.hpp"
#include "store/bed_record.hpp"
#include "store/pg_session.hpp"
#include "store/pg_store.hpp"
#include "store/schema.hpp"

namespace vigil::store {
namespace {

using record::session_info;

// Shortest text that reads back as the same double.
std::string text_of(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}
// NULL (a null pointer) or the value; the string lives in `keep`.
const char* optional_text(const std::optional<double>& v, std::string& keep) {
  if (!v) return nullptr;
  keep = text_of(*v);
  return keep.c_str();
}
std::optional<double> optional_of(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<double>();
}
pqxx::binarystring bytes(const std::string& v) { return pqxx::binarystring(v.data(), v.size()); }
std::string bytes_of(const pqxx::field& f) { return pqxx::binarystring(f).str(); }
std::int64_t int_of(std::uint64_t v) { return static_cast<std::int64_t>(v); }

session_info read_session(const pqxx::row& r) {
  session_info i;
  i.bed_id = r[0].as<std::string>();
  i.session_id = r[1].as<std::string>();
  i.patient_id = r[2].as<std::string>();
  i.encounter_id = r[3].as<std::string>();
  i.drug = r[4].as<std::string>();
  i.dose_mg_per_kg = optional_of(r[5]);
  i.planned_minutes = r[6].as<std::uint32_t>();
  i.started_ms = r[7].as<std::int64_t>();
  i.stopped_ms = r[8].as<std::int64_t>();
  i.ended_ms = r[9].as<std::int64_t>();
  i.baseline_systolic_mmhg = optional_of(r[10]);
  i.baseline_diastolic_mmhg = optional_of(r[11]);
  return i;
}

class pg_store final : public store {
 public:
  explicit pg_store(std::unique_ptr<pg_lease> lease)
      : lease_(std::move(lease)), s_(lease_->session()), prefix_(lease_->prefix()) {
    if (!lease_->leading()) {
      throw store_error("the store on " + describe() + " for '" + prefix_ +
                        "' needs the leader's lock, which another instance holds");
    }
    auto& c = s_.conn();
    c.prepare("upsert_bed", sql::postgres(sql::upsert_bed));
    c.prepare("insert_bed_if_absent", sql::postgres(sql::insert_bed_if_absent));
    c.prepare("add_outbox", sql::postgres(sql::add_outbox));
    c.prepare("remove_outbox", sql::postgres(sql::remove_outbox));
    c.prepare("add_event", sql::postgres(sql::add_event));
    c.prepare("add_trend", sql::postgres(sql::add_trend));
    c.prepare("upsert_session", sql::postgres(sql::upsert_session));
  }

  loaded_state load() override {
    loaded_state out;
    corrupt_rows corrupt;
    const auto beds = read("cannot read the beds of", sql::load_beds, prefix_);
    for (const auto& r : beds)
      take_bed_row(r[0].as<std::string>(), bytes_of(r[1]), out.beds, corrupt);
    for (const auto& [id, error] : corrupt) {
      s_.guard("cannot set a corrupt bed aside in", [&, &id = id, &error = error] {
        pqxx::work w(s_.conn());
        w.exec_params(sql::postgres(sql::set_aside_copy), prefix_, id, error, sql::now_ms());
        w.exec_params(sql::postgres(sql::set_aside_drop), prefix_, id);
        w.commit();
      });
      out.problems.push_back("bed '" + id + "' in " + describe() + ": " + error +
                             "; moved to table beds_corrupt, the bed starts afresh");
    }
    for (const auto& r : read("cannot read the outbox of", sql::load_outbox, prefix_)) {
      codec::outgoing m;
      m.outbox_id = r[0].as<std::uint64_t>();
      m.topic = r[1].as<std::string>();
      m.payload = bytes_of(r[2]);
      m.qos = r[3].as<int>();
      m.retained = r[4].as<int>() != 0;
      out.next_outbox_id = m.outbox_id + 1;
      out.outbox.push_back(std::move(m));
    }
    out.other_prefix_beds =
        read("cannot count the beds of", sql::count_other_beds, prefix_)[0][0].as<std::size_t>();
    return out;
  }

  using store::commit;
  void commit(const std::vector<const change_set*>& changes) override {
    s_.guard("cannot commit to", [&] {
      pqxx::work w(s_.conn());
      for (const auto* c : changes) apply(w, *c);
      w.commit();
    });
  }

  std::size_t import(const std::vector<bed_row>& beds) override {
    return s_.guard("cannot import beds into", [&] {
      pqxx::work w(s_.conn());
      std::size_t added = 0;
      for (const auto& b : beds) {
        added += w.exec_prepared("insert_bed_if_absent", prefix_, b.id, bytes(b.state),
                                 int_of(b.event_seq), std::int64_t{0})
                     .affected_rows();
      }
      w.commit();
      return added;
    });
  }

  page<core::alarm_event> history(const record_filter& f) override {
    page<core::alarm_event> out;
    for (const auto& r : query("cannot read the alarm history of", sql::history_query(), f)) {
      auto e = codec::decode_alarm_event(bytes_of(r[0]));
      if (!e) {
        throw store_error("undecodable event " + r[1].as<std::string>() + " #" +
                          r[2].as<std::string>() + " in the alarm history of " + describe());
      }
      out.rows.push_back(std::move(e).value());
    }
    out.trim(f.limit);
    return out;
  }
  page<session_info> sessions(const record_filter& f) override {
    page<session_info> out;
    for (const auto& r : query("cannot read the sessions of", sql::sessions_query(), f)) {
      out.rows.push_back(read_session(r));
    }
    out.trim(f.limit);
    return out;
  }
  page<record::trend_point> trend(const record_filter& f) override {
    page<record::trend_point> out;
    for (const auto& r : query("cannot read the trend of", sql::trend_query(), f)) {
      const auto series = r[1].as<std::int64_t>();
      if (series < 0 || static_cast<std::size_t>(series) >= record::series_count) continue;
      out.rows.push_back({r[0].as<std::int64_t>(), static_cast<record::series>(series),
                          r[2].as<std::uint32_t>(), r[3].as<double>(), r[4].as<double>(),
                          r[5].as<double>()});
    }
    out.trim(f.limit);
    return out;
  }
  std::vector<session_info> awaiting_record(std::size_t limit) override {
    std::vector<session_info> out;
    for (const auto& r : read("cannot read the sessions of", sql::awaiting_record_query(), prefix_,
                              static_cast<std::int64_t>(limit))) {
      out.push_back(read_session(r));
    }
    return out;
  }
  void record_written(const std::string& bed_id, const std::string& session_id,
                      core::time_ms at_ms) override {
    read("cannot mark a session's record as written in", sql::mark_record_written, prefix_, bed_id,
         session_id, at_ms);
  }
  std::size_t prune(const prune_limits& l) override {
    return s_.guard("cannot prune the record of", [&] {
      pqxx::work w(s_.conn());
      std::size_t removed = 0;
      for (const auto& step : sql::prune_steps) {
        if (removed >= l.max_rows) break;
        removed += w.exec_params(sql::postgres(step.sql), prefix_,
                                 step.idle ? l.idle_trend_before : l.history_before,
                                 static_cast<std::int64_t>(l.max_rows - removed))
                       .affected_rows();
      }
      w.commit();
      return removed;
    });
  }

  void check_fence() override {
    s_.guard("cannot reach", [&] { pqxx::nontransaction(s_.conn()).exec("SELECT 1"); });
  }

  std::string describe() const override { return lease_->describe(); }

 private:
  // One statement in its own transaction.
  template <class... Args>
  pqxx::result read(const char* what, const std::string& sqlite_text, Args&&... args) {
    return s_.guard(what, [&] {
      return pqxx::nontransaction(s_.conn()).exec_params(sql::postgres(sqlite_text),
                                                         std::forward<Args>(args)...);
    });
  }
  pqxx::result query(const char* what, const std::string& sqlite_text, const record_filter& f) {
    return read(what, sqlite_text, prefix_, f.bed_id, f.session_id, f.since_ms, f.until_ms,
                static_cast<std::int64_t>(f.limit) + 1);
  }

  void apply(pqxx::work& w, const change_set& c) {
    for (const auto& b : c.beds) {
      w.exec_prepared("upsert_bed", prefix_, b.id, bytes(b.state), int_of(b.event_seq), c.at_ms);
    }
    for (const auto& m : c.outbox) {
      w.exec_prepared("add_outbox", prefix_, int_of(m.outbox_id), m.topic, bytes(m.payload), m.qos,
                      m.retained ? 1 : 0, c.at_ms);
    }
    for (const auto id : c.published) w.exec_prepared("remove_outbox", prefix_, int_of(id));
    for (const auto& e : c.record.history) {
      w.exec_prepared("add_event", prefix_, e.bed_id, int_of(e.event_seq), e.session_id, e.alarm_id,
                      e.at_ms, bytes(codec::encode(e)));
    }
    for (const auto& t : c.record.trend) {
      w.exec_prepared("add_trend", prefix_, t.bed_id, t.session_id, t.point.at_ms,
                      static_cast<int>(t.point.series), std::int64_t{t.point.n},
                      text_of(t.point.lo), text_of(t.point.mean), text_of(t.point.hi));
    }
    for (const auto& i : c.record.sessions) {
      std::string dose, systolic, diastolic;
      w.exec_prepared("upsert_session", prefix_, i.bed_id, i.session_id, i.patient_id,
                      i.encounter_id, i.drug, optional_text(i.dose_mg_per_kg, dose),
                      std::int64_t{i.planned_minutes}, i.started_ms, i.stopped_ms, i.ended_ms,
                      optional_text(i.baseline_systolic_mmhg, systolic),
                      optional_text(i.baseline_diastolic_mmhg, diastolic));
    }
  }

  std::unique_ptr<pg_lease> lease_;
  pg::session& s_;
  std::string prefix_;
};

}  // namespace

std::unique_ptr<store> open_postgres_store(std::unique_ptr<pg_lease> lease) {
  if (!lease) throw store_error("open_postgres_store: no lease");
  return std::make_unique<pg_store>(std::move(lease));
}

}  // namespace vigil::store
