// The infusion record, rendered (README "The record"): one A4 PDF page a nurse prints or
// attaches to the chart, and the session's vital signs as a FHIR R4 Bundle. Both take the
// record as it is; the figures they print come from record::summarize.
#pragma once

#include <string>

#include "core/types.hpp"
#include "record/session_record.hpp"

namespace vigil::report {

// Writes the record as one A4 page of PDF to `path`, "generated at" now. Throws
// std::runtime_error naming the path and cairo's status when the file cannot be written.
void write_pdf(const record::session_record& r, const std::string& path);
// The same, "generated at" `generated_at_ms` (Unix ms): the same record and time give the same
// page, which is what the reference-image test needs.
void write_pdf(const record::session_record& r, const std::string& path,
               core::time_ms generated_at_ms);

// The session's vital signs as a FHIR R4 Bundle (type "collection") of vital-signs
// Observations, JSON, one line. Deterministic: the same record gives the same bytes.
std::string fhir_bundle(const record::session_record& r);

}  // namespace vigil::report
