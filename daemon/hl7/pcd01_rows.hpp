// Internal to the hl7 room: one OBR group's OBX rows -> metrics (the OBX-4 tree with OBX-14 and
// OBX-18 inheritance, values, units, time, validity), and metrics -> heart rates and blood
// pressures. pcd01.cpp does the message around it (MSH, PV1, the ACK).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/types.hpp"
#include "hl7/er7.hpp"
#include "hl7/mdc.hpp"
#include "hl7/pcd01.hpp"

namespace vigil::hl7::detail {

struct obr_group {
  int obr_index = 0;  // the OBR's segment position (1-based)
  const segment* obr = nullptr;
  std::vector<std::pair<int, const segment*>> obx{};  // segment position, OBX
};

struct row_context {
  const message* msg = nullptr;
  const sender_profile* profile = nullptr;
  std::string msh3{};  // MSH-3 namespace id, for the fallback device id
  core::time_ms now_ms = 0;
  bool test_data = false;
};

// One OBX row Vigil reads, with what it inherited.
struct metric {
  const mdc::term* term = nullptr;
  int segment_index = 0;
  int obr_index = 0;
  std::string group{};   // OBX-4 without its last level: the rows of one BP reading share it
  std::string device{};  // normalised device id
  std::int64_t at_ms = 0;
  std::optional<double> value{};  // in /min or mm[Hg]; empty: no value sent
  core::validity validity = core::validity::unspecified;
};

// Reads one OBR group: its metrics, and a rejection for every row that cannot be read.
void read_group(const row_context& ctx, const obr_group& group, std::vector<metric>& metrics,
                std::vector<rejection>& rejections);

// The readings: per device the heart rates of its best source (ECG, then the configured
// fallbacks in order), and one blood pressure per SYS/DIA(/MEAN) group.
void assemble(const sender_profile& profile, const std::vector<metric>& metrics, pcd01_report& out);

// The worse of two validities (valid < questionable < invalid; unspecified counts as valid).
core::validity worse(core::validity a, core::validity b);

}  // namespace vigil::hl7::detail
