// The session's vital signs as a FHIR R4 Bundle (type "collection") of Observations following
// the vital-signs profiles: heart rate (LOINC 8867-4, one per trend bucket, its mean) and the
// blood pressure panel (LOINC 85354-9 with systolic 8480-6 and diastolic 8462-4: every NIBP
// reading, and every arterial bucket's means). Deterministic: fullUrls are urn:uuid UUIDs
// hashed from bed, session, time and position, and numbers have a fixed precision.
#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "report/json_writer.hpp"
#include "report/report.hpp"
#include "report/time_text.hpp"

namespace vigil::report {

namespace {

using record::series;
using record::trend_point;

constexpr std::string_view loinc = "http://loinc.org";
constexpr std::string_view ucum = "http://unitsofmeasure.org";
constexpr std::string_view vitalsigns_profile =
    "http://hl7.org/fhir/StructureDefinition/vitalsigns";

// FNV-1a, 64 bits, from a given basis: two bases give the 128 bits of a UUID.
std::uint64_t fnv1a(std::string_view s, std::uint64_t h) {
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// A UUID (RFC 9562 version 8, "custom") hashed from `name`: the same name, the same UUID.
std::string uuid_of(std::string_view name) {
  const std::uint64_t hi = fnv1a(name, 0xcbf29ce484222325ULL);
  std::uint64_t lo = fnv1a(name, 0x84222325cbf29ce4ULL);
  std::uint64_t h = (hi & ~0xf000ULL) | 0x8000ULL;  // version 8 in bits 48-51
  lo = (lo & ~(0xc0ULL << 56)) | (0x80ULL << 56);   // variant 10
  std::array<char, 40> buf{};
  std::snprintf(
      buf.data(), buf.size(), "%08llx-%04llx-%04llx-%04llx-%012llx",
      static_cast<unsigned long long>(h >> 32), static_cast<unsigned long long>((h >> 16) & 0xffff),
      static_cast<unsigned long long>(h & 0xffff), static_cast<unsigned long long>(lo >> 48),
      static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf.data();
}

void coding(json_writer& j, std::string_view system, std::string_view code,
            std::string_view display) {
  j.begin_object().field("system", system).field("code", code).field("display", display);
  j.end_object();
}

void concept_of(json_writer& j, std::string_view system, std::string_view code,
                std::string_view display) {
  j.begin_object().key("coding").begin_array();
  coding(j, system, code, display);
  j.end_array().field("text", display).end_object();
}

void quantity(json_writer& j, double v, std::string_view unit, std::string_view code) {
  j.begin_object().key("value").decimal(v).field("unit", unit).field("system", ucum);
  j.field("code", code).end_object();
}

std::string reference_to(std::string_view type, const std::string& id) {
  // An id that is already a reference ("Patient/123", a URL) is kept as it is.
  return id.find('/') != std::string::npos ? id : std::string(type) + "/" + id;
}

// What every Observation of the bundle shares, up to and including its effective time.
void observation_head(json_writer& j, const record::session_record& r, std::string_view profile,
                      std::string_view code, std::string_view display) {
  j.field("resourceType", "Observation");
  j.key("meta").begin_object().key("profile").begin_array();
  j.string(vitalsigns_profile).string(profile).end_array().end_object();
  j.field("status", "final");
  j.key("category").begin_array();
  concept_of(j, "http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs",
             "Vital Signs");
  j.end_array();
  j.key("code");
  concept_of(j, loinc, code, display);
  // The vital-signs profile requires a subject. Without a patient reference from the pump or
  // console, the subject names the bed and session in words (a Reference with only a display)
  // rather than inventing an id: whoever files the bundle must match it to the patient.
  j.key("subject").begin_object();
  if (r.info.patient_id.empty())
    j.field("display", "bed " + r.info.bed_id + ", session " + r.info.session_id +
                           ": no patient reference given");
  else j.field("reference", reference_to("Patient", r.info.patient_id));
  j.end_object();
  if (!r.info.encounter_id.empty()) {
    j.key("encounter").begin_object();
    j.field("reference", reference_to("Encounter", r.info.encounter_id)).end_object();
  }
}

void effective_period(json_writer& j, core::time_ms from) {
  j.key("effectivePeriod").begin_object().field("start", utc_iso_ms(from));
  j.field("end", utc_iso_ms(from + record::trend_bucket_ms)).end_object();
}

std::string number(double v) { return json_writer{}.decimal(v).str(); }

void note(json_writer& j, const std::string& text) {
  j.key("note").begin_array().begin_object().field("text", text).end_object().end_array();
}

void heart_rate(json_writer& j, const record::session_record& r, const trend_point& p) {
  observation_head(j, r, "http://hl7.org/fhir/StructureDefinition/heartrate", "8867-4",
                   "Heart rate");
  effective_period(j, p.at_ms);
  j.key("valueQuantity");
  quantity(j, p.mean, "beats/minute", "/min");
  note(j, "Mean of " + std::to_string(p.n) + " readings in 10 s; min " + number(p.lo) +
              " /min, max " + number(p.hi) + " /min");
}

void bp_component(json_writer& j, std::string_view code, std::string_view display,
                  const trend_point* p) {
  j.begin_object().key("code");
  concept_of(j, loinc, code, display);
  if (p) {
    j.key("valueQuantity");
    quantity(j, p->mean, "mmHg", "mm[Hg]");
  } else {
    j.key("dataAbsentReason");
    concept_of(j, "http://terminology.hl7.org/CodeSystem/data-absent-reason", "unknown", "Unknown");
  }
  j.end_object();
}

// One blood pressure panel: an NIBP reading, or an arterial bucket's means. Either of the pair
// may be missing (the record holds a systolic without its diastolic): its component then says
// so by a dataAbsentReason, as the bp profile allows.
void blood_pressure(json_writer& j, const record::session_record& r, const trend_point* sys,
                    const trend_point* dia) {
  const trend_point& p = sys ? *sys : *dia;
  const bool arterial = p.series == series::art_sys || p.series == series::art_dia;
  observation_head(j, r, "http://hl7.org/fhir/StructureDefinition/bp", "85354-9",
                   "Blood pressure panel with all children optional");
  if (arterial) effective_period(j, p.at_ms);
  else j.field("effectiveDateTime", utc_iso_ms(p.at_ms));
  j.key("method").begin_object();
  j.field("text", arterial ? "Invasive arterial line (mean of a 10 s bucket)"
                           : "Non-invasive (cuff, NIBP)");
  j.end_object();
  if (arterial) {
    std::string text = "Arterial line: mean of " + std::to_string(p.n) + " readings in 10 s";
    if (sys) text += "; systolic " + number(sys->lo) + "-" + number(sys->hi) + " mmHg";
    if (dia) text += "; diastolic " + number(dia->lo) + "-" + number(dia->hi) + " mmHg";
    note(j, text);
  }
  j.key("component").begin_array();
  bp_component(j, "8480-6", "Systolic blood pressure", sys);
  bp_component(j, "8462-4", "Diastolic blood pressure", dia);
  j.end_array();
}

// Pairs every systolic point with the diastolic point of the same source and time.
struct bp_pair {
  const trend_point* sys = nullptr;
  const trend_point* dia = nullptr;
};
std::vector<std::optional<bp_pair>> pair_up(const std::vector<trend_point>& trend) {
  std::vector<std::optional<bp_pair>> at(trend.size());  // set where a panel is written
  std::vector<bool> used(trend.size(), false);
  const auto partner = [](series s) {
    return s == series::nibp_sys ? series::nibp_dia : series::art_dia;
  };
  for (std::size_t i = 0; i < trend.size(); ++i) {
    const auto s = trend[i].series;
    if (s != series::nibp_sys && s != series::art_sys) continue;
    bp_pair p{.sys = &trend[i], .dia = nullptr};
    for (std::size_t k = 0; k < trend.size(); ++k) {
      if (used[k] || trend[k].series != partner(s) || trend[k].at_ms != trend[i].at_ms) continue;
      used[k] = true;
      p.dia = &trend[k];
      break;
    }
    at[i] = p;
  }
  for (std::size_t k = 0; k < trend.size(); ++k) {
    const auto s = trend[k].series;
    if (!used[k] && (s == series::nibp_dia || s == series::art_dia))
      at[k] = bp_pair{.sys = nullptr, .dia = &trend[k]};
  }
  return at;
}

}  // namespace

std::string fhir_bundle(const record::session_record& r) {
  const std::string who = r.info.bed_id + "|" + r.info.session_id + "|";
  json_writer j;
  j.begin_object().field("resourceType", "Bundle");
  j.key("identifier").begin_object().field("system", "urn:ietf:rfc:3986");
  j.field("value", "urn:uuid:" + uuid_of("vigil-bundle|" + who)).end_object();
  j.field("type", "collection");
  j.key("entry").begin_array();
  const auto pairs = pair_up(r.trend);
  for (std::size_t i = 0; i < r.trend.size(); ++i) {
    const auto& p = r.trend[i];
    const bool hr = p.series == series::hr && p.n > 0;
    if (!hr && !pairs[i]) continue;
    const std::string name = who + std::string(record::to_string(p.series)) + "|" +
                             std::to_string(p.at_ms) + "|" + std::to_string(i);
    j.begin_object().field("fullUrl", "urn:uuid:" + uuid_of(name));
    j.key("resource").begin_object();
    if (hr) heart_rate(j, r, p);
    else blood_pressure(j, r, pairs[i]->sys, pairs[i]->dia);
    j.end_object().end_object();
  }
  j.end_array().end_object();
  return j.str() + "\n";
}

}  // namespace vigil::report
