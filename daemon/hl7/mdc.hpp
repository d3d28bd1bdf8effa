// The ISO/IEEE 11073-10101 (MDC) terms Vigil reads from a PCD-01 report, by number, with the
// names they may be sent under, and the units: the one list (shared/design/ihe-pcd.md section 2).
// Internal to the hl7 room.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "hl7/pcd01.hpp"

namespace vigil::hl7::mdc {

enum class quantity : std::uint8_t { heart_rate, systolic, diastolic, mean };
// Which reading a blood pressure row belongs to; cuff and unspecified only by configuration.
enum class bp_family : std::uint8_t { none, nibp, cuff, arterial, unspecified };

struct term {
  std::uint32_t code = 0;
  std::string_view refids;  // the REFIDs it is sent under, space-separated
  quantity what = quantity::heart_rate;
  hr_source hr = hr_source::ecg;   // heart rate rows
  bp_family bp = bp_family::none;  // blood pressure rows
};

// The term for a context-free code, or nullptr (not a term Vigil reads: ignored).
const term* find(std::uint32_t code);
// The REFID (OBX-3.2) does not contradict the number: empty, not an MDC_ name, or one of the
// term's names.
bool refid_agrees(const term& t, std::string_view refid);
// The term a reading of `q` from `family` is reported under (PCD-04 out): the list's first such
// row, e.g. NIBP systolic -> 150021, arterial -> 150033 (not the ABP 150037); a heart rate
// (family none) -> 147842, the ECG's. nullptr: the list has none.
const term* find(quantity q, bp_family family);
// The name a term is sent under: its first REFID.
std::string_view refid(const term& t);
// OBX-3.1 as a context-free code: decimal ("147842"), or Philips' MDIL hex partition-term
// ("0002-4182" = 2 * 65536 + 0x4182). nullopt: neither.
std::optional<std::uint32_t> parse_code(std::string_view text);

enum class unit : std::uint8_t { per_minute, mmhg, kpa, other };
// OBX-6: the identifier (component 1), else the alternate identifier (component 4); an MDIL
// hex identifier ("0004-0aa0") as its decimal code.
unit classify_unit(std::string_view identifier, std::string_view alternate);
inline constexpr double mmhg_per_kpa = 7.50062;

// HL7 NM: [+-]digits[.digits] (surrounding spaces allowed). nullopt: not a number.
std::optional<double> parse_nm(std::string_view text);

}  // namespace vigil::hl7::mdc
