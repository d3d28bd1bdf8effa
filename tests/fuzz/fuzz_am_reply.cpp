// Network input of vigil-gateway's PCD-04 client: what an Alert Manager sends back, MLLP bytes
// split anyhow, each frame (and the whole input unframed) read as an ACK or a PCD-05 ORA^R41.
// A PCD-05's reply must be an ACK our own parser reads back, echoing the ORA's MSH-10.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hl7/er7.hpp"
#include "hl7/mllp.hpp"
#include "hl7/pcd05.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void read(std::string_view frame) {
  const vigil::hl7::ack_params params{
      .application = "VIGIL", .control_id = "A1", .timestamp = "20261201120000.000+0000"};
  const auto m = vigil::hl7::read_am_message(frame, params);
  switch (m.what) {
    case vigil::hl7::am_message::kind::ack:
      check(!m.ack.code.empty() && !m.ack.control_id.empty());
      check(m.error.empty());
      return;
    case vigil::hl7::am_message::kind::status: {
      check(m.status.has_value() == m.error.empty());
      if (m.status) check(!vigil::hl7::describe(*m.status).empty());
      vigil::hl7::message ack;
      check(!vigil::hl7::parse_er7(m.reply, ack).has_value());
      const auto* msa = ack.find("MSA");
      check(msa != nullptr && ack.text(*msa, 1).size() == 2);
      check(m.reply.find('\n') == std::string::npos);
      return;
    }
    case vigil::hl7::am_message::kind::other: check(!m.error.empty()); return;
  }
  check(false);
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
      if (item->is_frame) read(item->frame);
    }
  }
  return 0;
}
