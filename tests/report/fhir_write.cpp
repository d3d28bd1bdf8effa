// Writes the FHIR bundles of the hand-written sessions for the schema test (CMakeLists.txt):
//   report_fhir_write KETAMINE.json REFERENCED_ARTERIAL.json
#include <cstdio>
#include <fstream>

#include "ketamine_session.hpp"
#include "report/report.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: report_fhir_write KETAMINE.json REFERENCED_ARTERIAL.json\n");
    return 2;
  }
  const vigil::record::session_record records[] = {vigil::test::ketamine_session(),
                                                   vigil::test::referenced_arterial_session()};
  for (int i = 0; i < 2; ++i) {
    std::ofstream out(argv[i + 1], std::ios::binary);
    out << vigil::report::fhir_bundle(records[i]);
    if (!out.flush()) {
      std::fprintf(stderr, "cannot write %s\n", argv[i + 1]);
      return 1;
    }
  }
  return 0;
}
