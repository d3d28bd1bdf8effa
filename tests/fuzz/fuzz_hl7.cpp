// Network input of vigil-gateway: MLLP bytes from a socket, split anyhow, each frame read as a
// PCD-01 report; the whole input is also read as one unframed message. Every message must get
// an ACK that our own parser reads back, with MSA-1 as reported.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hl7/er7.hpp"
#include "hl7/mllp.hpp"
#include "hl7/pcd01.hpp"

namespace {

const vigil::hl7::mapping& fuzz_mapping() {
  static const vigil::hl7::mapping m = [] {
    vigil::hl7::mapping map;
    vigil::hl7::sender_profile ward;
    ward.name = "ward";
    ward.application = "TEST_GW";
    ward.time_zone = "Europe/Berlin";
    ward.hr_fallbacks = {vigil::hl7::hr_source::spo2, vigil::hl7::hr_source::nibp,
                         vigil::hl7::hr_source::arterial, vigil::hl7::hr_source::generic};
    ward.cuff_codes_are_nibp = true;
    ward.unspecified_bp_is_nibp = true;
    ward.x_with_value_is_valid = true;
    map.senders = {ward};
    map.fallback.name = "default";
    map.fallback.time_zone = "America/New_York";
    map.beds = {{"WARD^7^A", "ward-7a"},
                {"HO Surgery^OR^1", "or-1"},
                {"COLWELL^^SOLAR", "solar"},
                {"3 WEST ICU^3001^1", "icu"},
                {"B1", "b1"},
                {"ICU|1^R^2^B&3~x\\", "esc"}};
    return map;
  }();
  return m;
}

void check(bool ok) {
  if (!ok) std::abort();
}

void read(std::string_view message) {
  const auto r = vigil::hl7::read_pcd01(message, fuzz_mapping(), 1717243200000);
  check(r.ack_code.size() == 2);
  vigil::hl7::message ack;
  check(!vigil::hl7::parse_er7(r.ack, ack).has_value());
  const auto* msa = ack.find("MSA");
  check(msa != nullptr && ack.text(*msa, 1) == r.ack_code);
  check(r.ack.find('\n') == std::string::npos);
  if (r.bed.empty()) check(r.heart_rates.empty() && r.pressures.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  read(input);
  // Reads of 1, 2, 3, ... bytes (cycling at 97), as a slow socket might deliver them.
  vigil::hl7::mllp_reader reader(4096);
  std::size_t at = 0;
  for (std::size_t chunk = 1; at < input.size(); chunk = chunk % 97 + 1) {
    reader.feed(input.substr(at, chunk));
    at += std::min(chunk, input.size() - at);
    while (auto item = reader.next()) {
      check(item->is_frame ? item->error.empty() : !item->error.empty());
      if (item->is_frame) {
        check(item->frame.size() <= 4096);
        read(item->frame);
      }
    }
  }
  return 0;
}
