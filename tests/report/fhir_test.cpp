// The FHIR bundle's profile facts that FHIR's JSON schema cannot check (the schema test,
// report_fhir_schema, checks the rest): LOINC codes, UCUM units, the vital-signs category and
// profiles, subject and encounter, one Observation per HR bucket and per NIBP reading or
// arterial bucket with the record's values, unique deterministic fullUrls.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "ketamine_session.hpp"
#include "report/report.hpp"
#include "report/time_text.hpp"

namespace vigil::report {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;
using record::series;

Struct parse(const std::string& json) {
  Struct s;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &s);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return s;
}

const Value& at(const Struct& s, const std::string& key) {
  static const Value none;
  const auto it = s.fields().find(key);
  return it == s.fields().end() ? none : it->second;
}
const Value& at(const Value& v, const std::string& key) { return at(v.struct_value(), key); }
const Value& at(const Value& v, int i) { return v.list_value().values(i); }
std::string str(const Value& v) { return v.string_value(); }

std::size_t count(const record::session_record& r, series s) {
  return static_cast<std::size_t>(
      std::count_if(r.trend.begin(), r.trend.end(), [&](const auto& p) { return p.series == s; }));
}

void expect_vital_sign(const Value& res, std::string_view loinc, std::string_view profile) {
  EXPECT_EQ(str(at(res, "resourceType")), "Observation");
  EXPECT_EQ(str(at(res, "status")), "final");
  const auto& category = at(at(at(res, "category"), 0), "coding");
  EXPECT_EQ(str(at(at(category, 0), "system")),
            "http://terminology.hl7.org/CodeSystem/observation-category");
  EXPECT_EQ(str(at(at(category, 0), "code")), "vital-signs");
  const auto& code = at(at(at(res, "code"), "coding"), 0);
  EXPECT_EQ(str(at(code, "system")), "http://loinc.org");
  EXPECT_EQ(str(at(code, "code")), loinc);
  const auto& profiles = at(at(res, "meta"), "profile");
  ASSERT_EQ(profiles.list_value().values_size(), 2);
  EXPECT_EQ(str(at(profiles, 0)), "http://hl7.org/fhir/StructureDefinition/vitalsigns");
  EXPECT_EQ(str(at(profiles, 1)), profile);
}

void expect_quantity(const Value& q, double value, std::string_view ucum) {
  EXPECT_DOUBLE_EQ(at(q, "value").number_value(), value);
  EXPECT_EQ(str(at(q, "system")), "http://unitsofmeasure.org");
  EXPECT_EQ(str(at(q, "code")), ucum);
}

TEST(fhir, the_ketamine_session_as_vital_signs_observations) {
  const auto r = test::ketamine_session();
  const auto json = fhir_bundle(r);
  EXPECT_EQ(json, fhir_bundle(r)) << "deterministic";
  const Struct bundle = parse(json);
  EXPECT_EQ(str(at(bundle, "resourceType")), "Bundle");
  EXPECT_EQ(str(at(bundle, "type")), "collection");
  const auto& entries = at(bundle, "entry").list_value();
  const std::size_t hr = count(r, series::hr), nibp = count(r, series::nibp_sys);
  ASSERT_EQ(hr, 593u);  // 600 buckets less the 7 of the HR signal loss
  ASSERT_EQ(nibp, 28u);
  ASSERT_EQ(static_cast<std::size_t>(entries.values_size()), hr + nibp);

  const std::regex uuid(
      "urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> urls;
  std::vector<const record::trend_point*> hr_points, sys_points, dia_points;
  for (const auto& p : r.trend) {
    if (p.series == series::hr) hr_points.push_back(&p);
    if (p.series == series::nibp_sys) sys_points.push_back(&p);
    if (p.series == series::nibp_dia) dia_points.push_back(&p);
  }
  std::size_t hr_seen = 0, bp_seen = 0;
  for (const auto& entry : entries.values()) {
    const std::string url = str(at(entry, "fullUrl"));
    EXPECT_TRUE(std::regex_match(url, uuid)) << url;
    urls.insert(url);
    const auto& res = at(entry, "resource");
    EXPECT_EQ(str(at(at(res, "subject"), "display")),
              "bed bed-07, session s-20250311-0900: no patient reference given");
    EXPECT_FALSE(at(at(res, "subject"), "reference").has_string_value());
    EXPECT_FALSE(at(res, "encounter").has_struct_value());
    const std::string loinc = str(at(at(at(at(res, "code"), "coding"), 0), "code"));
    if (loinc == "8867-4") {
      expect_vital_sign(res, "8867-4", "http://hl7.org/fhir/StructureDefinition/heartrate");
      const auto& p = *hr_points.at(hr_seen++);
      expect_quantity(at(res, "valueQuantity"), p.mean, "/min");
      EXPECT_EQ(str(at(at(res, "effectivePeriod"), "start")), utc_iso_ms(p.at_ms));
      EXPECT_EQ(str(at(at(res, "effectivePeriod"), "end")), utc_iso_ms(p.at_ms + 10'000));
    } else {
      expect_vital_sign(res, "85354-9", "http://hl7.org/fhir/StructureDefinition/bp");
      const auto& sys = *sys_points.at(bp_seen);
      const auto& dia = *dia_points.at(bp_seen++);
      EXPECT_EQ(str(at(res, "effectiveDateTime")), utc_iso_ms(sys.at_ms));
      const auto& comps = at(res, "component");
      ASSERT_EQ(comps.list_value().values_size(), 2);
      EXPECT_EQ(str(at(at(at(at(at(comps, 0), "code"), "coding"), 0), "code")), "8480-6");
      EXPECT_EQ(str(at(at(at(at(at(comps, 1), "code"), "coding"), 0), "code")), "8462-4");
      expect_quantity(at(at(comps, 0), "valueQuantity"), sys.mean, "mm[Hg]");
      expect_quantity(at(at(comps, 1), "valueQuantity"), dia.mean, "mm[Hg]");
    }
  }
  EXPECT_EQ(hr_seen, hr);
  EXPECT_EQ(bp_seen, nibp);
  EXPECT_EQ(urls.size(), hr + nibp) << "fullUrls are unique";
  EXPECT_NE(json.find("\"value\":186,"), std::string::npos) << "the peak reading, as an integer";
}

TEST(fhir, references_arterial_buckets_and_a_missing_diastolic) {
  const auto r = test::referenced_arterial_session();
  const Struct bundle = parse(fhir_bundle(r));
  const auto& entries = at(bundle, "entry").list_value();
  const std::size_t hr = count(r, series::hr), nibp = count(r, series::nibp_sys);
  const std::size_t art = count(r, series::art_sys);
  ASSERT_EQ(art, 13u);
  ASSERT_EQ(static_cast<std::size_t>(entries.values_size()), hr + nibp + art);
  std::size_t arterial = 0, absent = 0;
  for (const auto& entry : entries.values()) {
    const auto& res = at(entry, "resource");
    EXPECT_EQ(str(at(at(res, "subject"), "reference")), "Patient/MRN-000123");
    EXPECT_EQ(str(at(at(res, "encounter"), "reference")), "Encounter/ENC-42");
    const std::string method = str(at(at(res, "method"), "text"));
    if (method.find("arterial") == std::string::npos) continue;
    ++arterial;
    EXPECT_TRUE(at(res, "effectivePeriod").has_struct_value());
    const auto& comps = at(res, "component");
    if (at(at(comps, 1), "dataAbsentReason").has_struct_value()) {
      ++absent;
      expect_quantity(at(at(comps, 0), "valueQuantity"), 171.3, "mm[Hg]");  // 171.26, to 1 place
    }
  }
  EXPECT_EQ(arterial, art);
  EXPECT_EQ(absent, 1u);
}

TEST(fhir, strings_from_the_pump_are_escaped) {
  auto r = test::ketamine_session();
  r.info.bed_id = "bed \"7\"\\";
  r.info.session_id = "s\n1";
  const Struct bundle = parse(fhir_bundle(r));
  EXPECT_EQ(str(at(at(at(at(bundle, "entry"), 0), "resource"), "subject")
                    .struct_value()
                    .fields()
                    .at("display")),
            "bed bed \"7\"\\, session s\n1: no patient reference given");
}

}  // namespace
}  // namespace vigil::report
