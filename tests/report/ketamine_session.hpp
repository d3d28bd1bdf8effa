// A hand-written ketamine session record, the one the PDF, FHIR and summary tests render:
// bed-07, 40 min planned, stopped at 41:30, recorded to minute 100. Baseline 128/78; NIBP
// climbs to its peak 186/96 at 40:20 (minute 40) and falls back; HR 70-95 in 10 s buckets,
// with a gap at 61:30-62:40 while the HR signal was lost. Alarms: SBP_HIGH raised MEDIUM at
// 30:20, risen to HIGH at 36:20, acknowledged by "nurse Ada" at 37:05, ended at 55:20;
// SBP_RISE raised MEDIUM at 33:20, acknowledged by "nurse Ben" at 34:10, ended at 50:20;
// HR_SIGNAL_LOST (technical, MEDIUM) 62:00-62:40, never acknowledged. One notice:
// PLANNED_DURATION_REACHED at 40:00. No patient or encounter reference.
#pragma once

#include "record/session_record.hpp"

namespace vigil::test {

inline constexpr core::time_ms ketamine_start_ms = 1'741'683'600'000;  // 2025-03-11T09:00:00Z

record::session_record ketamine_session();

// The same session with a patient ("MRN-000123") and encounter ("ENC-42") reference and an
// arterial line from minute 30 to 32 (12 buckets of art_sys/art_dia/art_mean), plus one
// systolic bucket at 32:00 whose diastolic is missing: the FHIR bundle's other cases.
record::session_record referenced_arterial_session();

// The times into the session the figures above name, in ms since the infusion start.
inline constexpr core::time_ms at(int minute, int second = 0) {
  return ketamine_start_ms + (minute * 60 + second) * 1000LL;
}

}  // namespace vigil::test
