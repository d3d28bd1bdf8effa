// Shared by the hl7 unit tests: the committed data files and the mapping they are read with.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "hl7/pcd01.hpp"

namespace vigil::hl7::test {

inline std::string data_file(const std::string& name) {
  std::ifstream in(std::string(VIGIL_HL7_DATA_DIR) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing test data: " + name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The senders and beds of the committed samples (tests/data/hl7/README.md).
inline mapping sample_mapping() {
  mapping m;
  sender_profile philips;  // TF E.1.1: every valid value is sent with OBX-11 X
  philips.name = "philips";
  philips.application = "PAT_DEVICE_PHILIPS_C";
  philips.x_with_value_is_valid = true;
  sender_profile acme;  // TF E.1.2: only the NIBP module's pulse rate
  acme.name = "acme";
  acme.application = "ACME_Gateway";
  acme.hr_fallbacks = {hr_source::nibp};
  sender_profile aware;  // IPF request2: local times, US east coast
  aware.name = "aware";
  aware.application = "HL7";
  aware.time_zone = "America/New_York";
  aware.hr_fallbacks = {hr_source::arterial};
  sender_profile ward;  // tests/data/hl7/bad: the synthetic reports
  ward.name = "ward7";
  ward.application = "TEST_GW";
  ward.time_zone = "Europe/Berlin";
  m.senders = {philips, acme, aware, ward};
  m.fallback.name = "default";
  m.beds = {{"HO Surgery^OR^1", "or-1"},
            {"COLWELL^^SOLAR", "solar"},
            {"3 WEST ICU^3001^1", "icu-3001-1"},
            {"B1", "b1"},
            {"WARD^7^A", "ward-7a"},
            {"ICU|1^R^2^B&3~x\\", "escaped-1"}};
  return m;
}

}  // namespace vigil::hl7::test
