// PCD-04 out: the mapping tables (every transition, every condition of the catalogue), the
// message's structure read back with the hl7 room's ER7 parser, and the options.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "core/conditions.hpp"
#include "hl7/er7.hpp"
#include "hl7/pcd04.hpp"

namespace vigil::hl7 {
namespace {

core::alarm_event event(std::string condition, core::alarm_kind kind) {
  core::alarm_event e;
  e.alarm_id = "bed-7:" + condition + ":2";
  e.event_seq = 40;
  e.bed_id = "bed-7";
  e.condition = std::move(condition);
  e.kind = kind;
  e.priority = core::priority::medium;
  e.state = core::alarm_state::active;
  e.transition = core::transition::raised;
  e.onset_ms = 1796121680000;
  e.at_ms = e.onset_ms;
  e.text = "text";
  return e;
}

struct read_back {
  message m;
  // OBX rows by OBX-3.1 (the facet's attribute code or the event/metric code).
  const segment* obx(std::string_view code) const {
    for (const auto& s : m.segments())
      if (s.id() == "OBX" && m.text(s, 3, 1) == code) return &s;
    return nullptr;
  }
  std::string value(std::string_view code, std::size_t component = 1) const {
    const auto* s = obx(code);
    return s ? m.text(*s, 5, component) : "<no row>";
  }
};

read_back parse(const core::alarm_event& e, const pcd04_context& ctx = {}) {
  read_back r;
  const auto err = parse_er7(build_oru_r40(e, ctx), r.m);
  EXPECT_FALSE(err) << (err ? err->text : "");
  return r;
}

// phase / alarm state / inactivation state, as pcd04.hpp's table says.
struct transition_row {
  core::transition t;
  core::alarm_state state;
  bool first;  // at_ms == onset_ms
  std::string phase, alarm_state, inactivation;
};

TEST(pcd04_mapping, EveryTransition) {
  const std::vector<transition_row> rows = {
      {core::transition::raised, core::alarm_state::active, true, "start", "active", "enabled"},
      {core::transition::raised, core::alarm_state::active, false, "update", "active", "enabled"},
      {core::transition::escalated, core::alarm_state::active, false, "escalate", "active",
       "enabled"},
      {core::transition::acknowledged, core::alarm_state::acknowledged, false, "acknowledged",
       "active", "alert-acknowledged"},
      {core::transition::reminded, core::alarm_state::active, false, "update", "active", "enabled"},
      {core::transition::latched, core::alarm_state::latched, false, "update", "latched",
       "enabled"},
      {core::transition::ended, core::alarm_state::ended, false, "end", "inactive", "enabled"},
      {core::transition::notice, core::alarm_state::ended, true, "start_only", "active", "enabled"},
      // An alarm acknowledged and then escalated (a higher limit crossed) stays acknowledged.
      {core::transition::escalated, core::alarm_state::acknowledged, false, "escalate", "active",
       "alert-acknowledged"},
  };
  for (const auto& row : rows) {
    auto e = event("SBP_HIGH", core::alarm_kind::physiological);
    e.transition = row.t;
    e.state = row.state;
    if (!row.first) e.at_ms += 60'000;
    const auto r = parse(e);
    SCOPED_TRACE(std::string(row.phase) + " " + row.alarm_state);
    EXPECT_EQ(r.value("68481"), row.phase);
    EXPECT_EQ(r.value("68482"), row.alarm_state);
    EXPECT_EQ(r.value("68483"), row.inactivation);
    const auto* obr = r.m.find("OBR");
    ASSERT_NE(obr, nullptr);
    EXPECT_EQ(r.m.text(*obr, 3), row.first ? "bed-7:SBP_HIGH:2" : "bed-7:SBP_HIGH:2.40");
    EXPECT_EQ(r.m.text(*obr, 3, 2), "VIGIL");
    const auto parent = r.m.component(obr->field(29), 2);
    EXPECT_EQ(std::string(parent), row.first ? "" : "bed-7:SBP_HIGH:2&VIGIL");
  }
}

TEST(pcd04_mapping, PriorityAndType) {
  const std::vector<std::pair<core::priority, std::string>> priorities = {
      {core::priority::low, "PL"},
      {core::priority::medium, "PM"},
      {core::priority::high, "PH"},
      {core::priority::unspecified, "PN"}};
  for (const auto& [p, code] : priorities) {
    auto e = event("HR_HIGH", core::alarm_kind::physiological);
    e.priority = p;
    EXPECT_EQ(parse(e).value("68484"), code);
  }
  const std::vector<std::pair<core::alarm_kind, std::string>> kinds = {
      {core::alarm_kind::physiological, "SP"},
      {core::alarm_kind::technical, "ST"},
      {core::alarm_kind::procedural, "SA"},
      {core::alarm_kind::notice, "SA"}};
  for (const auto& [k, code] : kinds) {
    EXPECT_EQ(parse(event("HR_HIGH", k)).value("68485"), code);
  }
}

// Facets 1 and 2 of every condition: the expected codes written out per condition by hand.
struct condition_row {
  std::string condition;
  std::string event;   // facet 1 OBX-3.1
  std::string source;  // facet 2: the metric (OBX-3.1) or the subsystem (OBX-5.1 of 68480)
  std::string range;   // facet 2 OBX-7 with value 100, limit 90
};

TEST(pcd04_mapping, EveryConditionOfTheCatalogue) {
  const std::vector<condition_row> rows = {
      {"HR_HIGH", "196648", "147842", "<90"},
      {"HR_LOW", "196670", "147842", ">90"},
      {"SBP_HIGH", "196648", "150021", "<90"},
      {"DBP_HIGH", "196648", "150022", "<90"},
      {"SBP_LOW", "196670", "150021", ">90"},
      {"MAP_LOW", "196670", "150023", ">90"},
      {"SBP_RISE", "196648", "150021", ""},  // a rise is not the metric's value
      {"DBP_RISE", "196648", "150022", ""},
      {"ART_SBP_HIGH", "196648", "150033", "<90"},
      {"ART_DBP_HIGH", "196648", "150034", "<90"},
      {"ART_SBP_LOW", "196670", "150033", ">90"},
      {"ART_MAP_LOW", "196670", "150035", ">90"},
      {"HR_SIGNAL_LOST", "196616", "147842", ""},
      {"NIBP_OVERDUE", "196616", "150020", ""},
      {"MONITOR_OFFLINE", "196616", "69837", ""},
      {"INFUSION_OVERRUN", "196616", "69985", ""},
      {"PLANNED_DURATION_REACHED", "196616", "69985", ""},
      {"BASELINE_BP_ELEVATED", "196616", "150020", ""},
      {"PLANNED_DURATION_OUTSIDE_WINDOW", "196616", "69985", ""},
  };
  ASSERT_EQ(rows.size(), core::condition_count) << "a condition without a row here";
  for (const auto& row : rows) {
    SCOPED_TRACE(row.condition);
    const auto id = core::condition_named(row.condition);
    ASSERT_TRUE(id);
    auto e = event(row.condition, core::info(*id).kind);
    e.value = 100;
    e.limit = 90;
    const auto r = parse(e);
    const auto* f1 = r.obx(row.event);
    ASSERT_NE(f1, nullptr);
    EXPECT_EQ(r.m.text(*f1, 4), "1.0.0.0.1");
    EXPECT_EQ(r.m.text(*f1, 5, 4), row.condition) << "the alternate code is Vigil's";
    EXPECT_EQ(r.m.text(*f1, 5, 6), "99VIGIL");
    if (core::info(*id).kind == core::alarm_kind::physiological) {
      const auto* f2 = r.obx(row.source);
      ASSERT_NE(f2, nullptr);
      EXPECT_EQ(r.m.text(*f2, 4), "1.0.0.0.2");
      EXPECT_EQ(r.m.text(*f2, 7), row.range);
      EXPECT_EQ(r.m.text(*f2, 5), row.range.empty() ? "" : "100");
    } else {
      EXPECT_EQ(r.value("68480"), row.source);
    }
  }
}

TEST(pcd04_mapping, AnUnknownConditionIsAGenericAlarmOfTheMonitor) {
  const auto r = parse(event("SPO2_LOW", core::alarm_kind::physiological));
  EXPECT_EQ(r.value("196616", 4), "SPO2_LOW");
  EXPECT_EQ(r.value("68480"), "69837");
}

TEST(pcd04_mapping, SubIdsAscendAndSetIdsCount) {
  const auto r = parse(event("SBP_HIGH", core::alarm_kind::physiological));
  std::vector<std::string> sub_ids;
  int set_id = 0;
  for (const auto& s : r.m.segments()) {
    if (s.id() != "OBX") continue;
    EXPECT_EQ(r.m.text(s, 1), std::to_string(++set_id));
    EXPECT_EQ(r.m.text(s, 11), "F");
    sub_ids.push_back(r.m.text(s, 4));
  }
  const std::vector<std::string> expected = {"1.0.0.0.1", "1.0.0.0.1.1", "1.0.0.0.2", "1.0.0.0.3",
                                             "1.0.0.0.4", "1.0.0.0.5",   "1.0.0.0.6", "1.0.0.0.7"};
  EXPECT_EQ(sub_ids, expected);
}

TEST(pcd04_mapping, NoTextNoDisplayRow) {
  auto e = event("SBP_HIGH", core::alarm_kind::physiological);
  e.text.clear();
  const auto r = parse(e);
  EXPECT_EQ(r.obx("0"), nullptr);
  EXPECT_EQ(r.m.text(*r.obx("68485"), 1), "7");
}

TEST(pcd04_mapping, TextAndNamesRoundTripThroughEscaping) {
  auto e = event("SBP_HIGH", core::alarm_kind::physiological);
  e.text = "a|b^c~d\\e&f\rg\nh \xe2\x89\xa5 180";
  pcd04_context ctx;
  ctx.sending_application = {"VIGIL^2", "0123456789ABCDEF", "EUI-64"};
  ctx.receiving_facility = {"St. John's | East"};
  ctx.bed_location = location::from_text("HO Surgery^OR^1^Main & Co");
  ctx.control_id = "c|1";
  const auto r = parse(e, ctx);
  const auto* msh = r.m.find("MSH");
  ASSERT_NE(msh, nullptr);
  EXPECT_EQ(r.m.text(*msh, 3, 1), "VIGIL^2");
  EXPECT_EQ(r.m.text(*msh, 3, 2), "0123456789ABCDEF");
  EXPECT_EQ(r.m.text(*msh, 3, 3), "EUI-64");
  EXPECT_EQ(r.m.text(*msh, 6), "St. John's | East");
  EXPECT_EQ(r.m.text(*msh, 10), "c|1");
  const auto* pv1 = r.m.find("PV1");
  ASSERT_NE(pv1, nullptr);
  EXPECT_EQ(r.m.text(*pv1, 3, 1), "HO Surgery");
  EXPECT_EQ(r.m.text(*pv1, 3, 3), "1");
  EXPECT_EQ(r.m.text(*pv1, 3, 4), "Main & Co");
  // \r and \n travel as \X0D\ and \X0A\, which the parser passes through as written.
  EXPECT_EQ(r.value("0"), "a|b^c~d\\e&f\\X0D\\g\\X0A\\h \xe2\x89\xa5 180");
  const auto* obr = r.m.find("OBR");
  EXPECT_EQ(r.m.text(*obr, 3, 2), "VIGIL^2") << "OBR-3's namespace is MSH-3's";
}

TEST(pcd04_mapping, AskingForStatusSetsMsh16) {
  pcd04_context ctx;
  ctx.ask_for_status = true;
  const auto r = parse(event("HR_HIGH", core::alarm_kind::physiological), ctx);
  const auto* msh = r.m.find("MSH");
  EXPECT_EQ(r.m.text(*msh, 15), "AL");
  EXPECT_EQ(r.m.text(*msh, 16), "AL");
  EXPECT_EQ(r.m.text(*msh, 9, 3), "ORU_R40");
  EXPECT_EQ(r.m.text(*msh, 21, 3), "1.3.6.1.4.1.19376.1.6.1.4.1");
}

TEST(pcd04_mapping, DerivedValuesAreRoundedForPeople) {
  auto e = event("MAP_LOW", core::alarm_kind::physiological);
  e.value = 170.0 / 3;  // (SBP + 2 DBP) / 3 of 90/40
  e.limit = 60;
  EXPECT_EQ(parse(e).value("150023"), "56.7");
}

TEST(pcd04_mapping, LocationFromText) {
  const auto l = location::from_text("3 WEST ICU^3001^1");
  EXPECT_EQ(l.point_of_care, "3 WEST ICU");
  EXPECT_EQ(l.room, "3001");
  EXPECT_EQ(l.bed, "1");
  EXPECT_EQ(l.facility, "");
  const auto d = location::from_text("CU1^^Bed001^TAM^extra");  // Dräger's PV1-3
  EXPECT_EQ(d.point_of_care, "CU1");
  EXPECT_EQ(d.room, "");
  EXPECT_EQ(d.bed, "Bed001");
  EXPECT_EQ(d.facility, "TAM");
}

TEST(pcd04_mapping, ControlIdIsBedAndEventSeq) {
  const auto e = event("HR_HIGH", core::alarm_kind::physiological);
  EXPECT_EQ(control_id_for(e), "bed-7.40");
  std::set<std::string> ids;
  for (std::uint64_t seq = 1; seq <= 3; ++seq) {
    auto x = e;
    x.event_seq = seq;
    ids.insert(control_id_for(x));
  }
  EXPECT_EQ(ids.size(), 3u);
}

}  // namespace
}  // namespace vigil::hl7
