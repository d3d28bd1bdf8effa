// The record's tables on any store (store_backend.hpp): what a change_set commits comes back
// from the queries after the database was closed and opened again; the filters, the limit, the
// session upsert and its record mark; prune() at the retention, in batches; a trend bucket
// written twice merged.
#include <gtest/gtest.h>

#include "store_backend.hpp"

namespace vigil::store {
namespace {

using record::series;
using record::session_info;
using record::trend_point;
using record::trend_row;

class record_contract : public backend_test {
 protected:
  static void commit(store& s, record::rows r, core::time_ms at_ms = 0) {
    change_set c;
    c.record = std::move(r);
    c.at_ms = at_ms;
    s.commit(c);
  }

  static core::alarm_event event(const std::string& bed, std::uint64_t seq, core::time_ms at_ms,
                                 const std::string& session = "s1",
                                 core::transition t = core::transition::raised) {
    core::alarm_event e;
    e.alarm_id = bed + ":SBP_HIGH:1";
    e.event_seq = seq;
    e.bed_id = bed;
    e.session_id = session;
    e.condition = "SBP_HIGH";
    e.kind = core::alarm_kind::physiological;
    e.priority = core::priority::high;
    e.state = t == core::transition::ended ? core::alarm_state::ended : core::alarm_state::active;
    e.transition = t;
    e.value = 186;
    e.limit = 180;
    e.unit = "mm[Hg]";
    e.onset_ms = at_ms;
    e.at_ms = at_ms;
    e.phase = core::phase::infusion;
    e.infusion_elapsed_ms = 60'000;
    e.text = "SBP 186 mm[Hg] above 180";
    return e;
  }
  static session_info session(const std::string& bed, const std::string& id,
                              core::time_ms started_ms, core::time_ms ended_ms = 0) {
    session_info i;
    i.bed_id = bed;
    i.session_id = id;
    i.patient_id = "MRN-" + bed;
    i.encounter_id = "ENC-" + id;
    i.dose_mg_per_kg = 0.5;
    i.planned_minutes = 40;
    i.started_ms = started_ms;
    i.stopped_ms = ended_ms == 0 ? 0 : ended_ms - 100;
    i.ended_ms = ended_ms;
    i.baseline_systolic_mmhg = 120;
    return i;
  }
  static trend_row point(const std::string& bed, const std::string& session, core::time_ms at_ms,
                         series s = series::hr, std::uint32_t n = 1, double lo = 70,
                         double mean = 70, double hi = 70) {
    return {bed, session, {at_ms, s, n, lo, mean, hi}};
  }
  static record_filter all() { return {}; }
  static record_filter bed(const std::string& b) {
    record_filter f;
    f.bed_id = b;
    return f;
  }
  static std::vector<std::uint64_t> seqs(const page<core::alarm_event>& p) {
    std::vector<std::uint64_t> out;
    for (const auto& e : p.rows) out.push_back(e.event_seq);
    return out;
  }
  static std::vector<core::time_ms> times(const page<trend_point>& p) {
    std::vector<core::time_ms> out;
    for (const auto& t : p.rows) out.push_back(t.at_ms);
    return out;
  }
};

TEST_P(record_contract, committed_rows_come_back_after_reopening) {
  record::rows r;
  r.history = {event("chair-2", 1, 2'000), event("chair-1", 1, 1'000),
               event("chair-1", 2, 3'000, "s1", core::transition::ended)};
  r.sessions = {session("chair-1", "s1", 500), session("chair-2", "s1", 600, 9'000)};
  r.sessions[1].dose_mg_per_kg.reset();  // NULL comes back as none
  r.trend = {point("chair-1", "s1", 10'000, series::hr, 4, 60, 65.5, 71),
             point("chair-1", "s1", 1'500, series::nibp_sys, 1, 186, 186, 186),
             point("chair-1", "", 0, series::hr)};
  commit(*open(), r, 3'000);

  auto s = open();
  const auto h = s->history(all());
  EXPECT_FALSE(h.truncated);
  // By time, then bed, then event_seq; each equal to what was committed.
  ASSERT_EQ(h.rows.size(), 3u);
  EXPECT_EQ(h.rows[0], r.history[1]);
  EXPECT_EQ(h.rows[1], r.history[0]);
  EXPECT_EQ(h.rows[2], r.history[2]);
  const auto ss = s->sessions(all());
  ASSERT_EQ(ss.rows.size(), 2u);
  EXPECT_EQ(ss.rows[0], r.sessions[0]);
  EXPECT_EQ(ss.rows[1], r.sessions[1]);
  const auto t = s->trend(bed("chair-1"));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0], r.trend[2].point);
  EXPECT_EQ(t.rows[1], r.trend[1].point);
  EXPECT_EQ(t.rows[2], r.trend[0].point);
  // Another prefix in the same file sees none of it.
  s.reset();
  auto other = open("ward3");
  EXPECT_TRUE(other->history(all()).rows.empty());
  EXPECT_TRUE(other->sessions(all()).rows.empty());
  EXPECT_TRUE(other->trend(all()).rows.empty());
}

TEST_P(record_contract, the_same_event_committed_twice_is_kept_once) {
  auto s = open();
  commit(*s, {.history = {event("chair-1", 1, 1'000)}, .trend = {}, .sessions = {}});
  auto again = event("chair-1", 1, 1'000);
  again.text = "a republished copy";
  commit(*s, {.history = {again}, .trend = {}, .sessions = {}});
  const auto h = s->history(all());
  ASSERT_EQ(h.rows.size(), 1u);
  EXPECT_EQ(h.rows[0].text, "SBP 186 mm[Hg] above 180");
}

TEST_P(record_contract, history_filters_by_bed_session_window_and_limit) {
  auto s = open();
  record::rows r;
  r.history = {event("chair-1", 1, 1'000, "a"), event("chair-1", 2, 2'000, "a"),
               event("chair-1", 3, 3'000, "b"), event("chair-2", 1, 2'000, "c"),
               event("chair-2", 2, 4'000, "c")};
  commit(*s, r);

  EXPECT_EQ(seqs(s->history(bed("chair-1"))), (std::vector<std::uint64_t>{1, 2, 3}));
  record_filter f;
  f.session_id = "c";
  EXPECT_EQ(seqs(s->history(f)), (std::vector<std::uint64_t>{1, 2}));
  // since and until are both inclusive.
  f = {};
  f.since_ms = 2'000;
  f.until_ms = 3'000;
  const auto window = s->history(f);
  ASSERT_EQ(window.rows.size(), 3u);
  EXPECT_EQ(window.rows[0].bed_id, "chair-1");
  EXPECT_EQ(window.rows[0].at_ms, 2'000);
  EXPECT_EQ(window.rows[1].bed_id, "chair-2");
  EXPECT_EQ(window.rows[2].at_ms, 3'000);
  f.bed_id = "chair-2";
  EXPECT_EQ(seqs(s->history(f)), (std::vector<std::uint64_t>{1}));

  // The earliest `limit` rows; truncated only when more matched.
  f = {};
  f.limit = 5;
  EXPECT_FALSE(s->history(f).truncated);
  f.limit = 2;
  const auto first = s->history(f);
  EXPECT_TRUE(first.truncated);
  ASSERT_EQ(first.rows.size(), 2u);
  EXPECT_EQ(first.rows[0].at_ms, 1'000);
  EXPECT_EQ(first.rows[1].at_ms, 2'000);
  EXPECT_EQ(first.rows[1].bed_id, "chair-1");
}

TEST_P(record_contract, trend_filters_by_bed_window_and_limit) {
  auto s = open();
  commit(*s, {.history = {},
              .trend = {point("chair-1", "a", 0), point("chair-1", "a", 10'000),
                        point("chair-1", "", 20'000), point("chair-2", "c", 10'000)},
              .sessions = {}});
  EXPECT_EQ(times(s->trend(bed("chair-1"))), (std::vector<core::time_ms>{0, 10'000, 20'000}));
  auto f = bed("chair-1");
  f.session_id = "a";
  EXPECT_EQ(times(s->trend(f)), (std::vector<core::time_ms>{0, 10'000}));
  f = bed("chair-1");
  f.since_ms = 10'000;
  EXPECT_EQ(times(s->trend(f)), (std::vector<core::time_ms>{10'000, 20'000}));
  f.limit = 1;
  const auto one = s->trend(f);
  EXPECT_EQ(times(one), (std::vector<core::time_ms>{10'000}));
  EXPECT_TRUE(one.truncated);
}

TEST_P(record_contract, sessions_overlapping_the_window_by_start) {
  auto s = open();
  commit(*s,
         {.history = {},
          .trend = {},
          .sessions = {session("chair-1", "early", 1'000, 2'000), session("chair-1", "open", 5'000),
                       session("chair-2", "mid", 3'000, 6'000)}});
  record_filter f;
  f.since_ms = 2'500;
  f.until_ms = 4'000;
  const auto p = s->sessions(f);  // "early" ended before the window, "open" started after it
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].session_id, "mid");
  f.until_ms = 5'000;  // "open" started at the window's end; in progress, it overlaps
  ASSERT_EQ(s->sessions(f).rows.size(), 2u);
  EXPECT_EQ(s->sessions(f).rows[1].session_id, "open");
  f.since_ms = 2'000;  // "early" ended at the window's start
  EXPECT_EQ(s->sessions(f).rows.size(), 3u);
  f.limit = 2;
  EXPECT_TRUE(s->sessions(f).truncated);
  EXPECT_EQ(s->sessions(bed("chair-2")).rows.size(), 1u);
}

TEST_P(record_contract, a_session_is_upserted_and_awaits_its_record_once_ended) {
  {
    auto s = open();
    auto started = session("chair-1", "s1", 1'000);
    started.baseline_systolic_mmhg.reset();
    commit(*s, {.history = {}, .trend = {}, .sessions = {started}});
    EXPECT_TRUE(s->awaiting_record(10).empty()) << "a session in progress has no record due";
    // The same session again, now with its baseline, stopped and ended.
    commit(*s, {.history = {}, .trend = {}, .sessions = {session("chair-1", "s1", 1'000, 9'000)}});
    commit(*s, {.history = {}, .trend = {}, .sessions = {session("chair-2", "s2", 2'000, 8'000)}});
  }
  auto s = open();
  const auto rows = s->sessions(bed("chair-1")).rows;
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], session("chair-1", "s1", 1'000, 9'000));
  // Due by end time: chair-2's ended first.
  auto due = s->awaiting_record(10);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].session_id, "s2");
  EXPECT_EQ(due[1], rows[0]);
  EXPECT_EQ(s->awaiting_record(1).size(), 1u);
  s->record_written("chair-2", "s2", 10'000);
  due = s->awaiting_record(10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].session_id, "s1");
  // Written stays written when the session's facts come again (a restart republishing).
  commit(*s, {.history = {}, .trend = {}, .sessions = {session("chair-2", "s2", 2'000, 8'000)}});
  s.reset();
  EXPECT_EQ(open()->awaiting_record(10).size(), 1u);
}

TEST_P(record_contract, a_trend_bucket_written_twice_is_merged) {
  auto s = open();
  // Its first half before a restart: readings 60 and 70. Its second after: 55, 65 and 72.
  commit(*s, {.history = {},
              .trend = {point("chair-1", "s1", 10'000, series::hr, 2, 60, 65, 70)},
              .sessions = {}});
  commit(*s, {.history = {},
              .trend = {point("chair-1", "s1", 10'000, series::hr, 3, 55, 64, 72),
                        point("chair-1", "s1", 10'000, series::art_sys, 1, 110, 110, 110)},
              .sessions = {}});
  const auto t = s->trend(bed("chair-1")).rows;
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].series, series::hr);
  EXPECT_EQ(t[0].n, 5u);
  EXPECT_EQ(t[0].lo, 55);
  EXPECT_EQ(t[0].hi, 72);
  EXPECT_DOUBLE_EQ(t[0].mean, 64.4);  // (60 + 70 + 55 + 65 + 72) / 5
  EXPECT_EQ(t[1], (trend_point{10'000, series::art_sys, 1, 110, 110, 110}));
}

// Retention: history before 1'000 (with its trend and ended sessions), idle trend before 5'000.
TEST_P(record_contract, prune_removes_exactly_the_rows_past_the_retention_in_batches) {
  const auto fill = [&](store& s) {
    commit(s, {.history = {event("chair-1", 1, 999), event("chair-1", 2, 1'000),
                           event("chair-2", 1, 500), event("chair-2", 2, 7'000)},
               .trend = {point("chair-1", "s1", 990), point("chair-1", "s1", 1'000),
                         point("chair-1", "", 900), point("chair-1", "", 4'999),
                         point("chair-1", "", 5'000), point("chair-2", "s2", 2'000)},
               .sessions = {session("chair-1", "s1", 100, 999), session("chair-1", "s0", 50, 1'000),
                            session("chair-2", "s2", 200)}});
  };
  const prune_limits limits{.history_before = 1'000, .idle_trend_before = 5'000, .max_rows = 100};
  auto s = open();
  fill(*s);
  // 2 events, 2 trend rows before 1'000 (one of them idle), 1 idle one before 5'000, 1 session.
  EXPECT_EQ(s->prune(limits), 6u);
  EXPECT_EQ(s->prune(limits), 0u);
  const auto expect_survivors = [&](store& st) {
    EXPECT_EQ(seqs(st.history(bed("chair-1"))), (std::vector<std::uint64_t>{2}));
    EXPECT_EQ(seqs(st.history(bed("chair-2"))), (std::vector<std::uint64_t>{2}));
    EXPECT_EQ(times(st.trend(bed("chair-1"))), (std::vector<core::time_ms>{1'000, 5'000}));
    EXPECT_EQ(times(st.trend(bed("chair-2"))), (std::vector<core::time_ms>{2'000}));
    std::vector<std::string> sessions;
    for (const auto& i : st.sessions(all()).rows) sessions.push_back(i.session_id);
    // An ended session at the limit stays; one in progress stays however old its start.
    EXPECT_EQ(sessions, (std::vector<std::string>{"s0", "s2"}));
  };
  expect_survivors(*s);

  // The same in batches of at most 4 rows: 4, then 2, then nothing.
  s.reset();
  backend->wipe();
  s = open();
  fill(*s);
  auto batch = limits;
  batch.max_rows = 4;
  EXPECT_EQ(s->prune(batch), 4u);
  EXPECT_EQ(s->prune(batch), 2u);
  EXPECT_EQ(s->prune(batch), 0u);
  expect_survivors(*s);
  // Another prefix's rows in the same database are left alone.
  s.reset();
  fill(*open("ward3"));
  EXPECT_EQ(open()->prune(limits), 0u);
  EXPECT_EQ(open("ward3")->history(all()).rows.size(), 4u);
}

INSTANTIATE_TEST_SUITE_P(store, record_contract, ::testing::ValuesIn(backends_under_test()),
                         backend_name);

}  // namespace
}  // namespace vigil::store
