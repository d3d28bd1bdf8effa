#include "record/session_record.hpp"

#include <array>

namespace vigil::record {

namespace {
struct series_row {
  series s;
  std::string_view name;
  std::string_view unit;
};
// In the enum's order (checked below): the one list of the series' names and units.
constexpr std::array<series_row, series_count> series_table{{
    {series::hr, "hr", "/min"},
    {series::nibp_sys, "nibp_sys", "mm[Hg]"},
    {series::nibp_dia, "nibp_dia", "mm[Hg]"},
    {series::nibp_mean, "nibp_mean", "mm[Hg]"},
    {series::art_sys, "art_sys", "mm[Hg]"},
    {series::art_dia, "art_dia", "mm[Hg]"},
    {series::art_mean, "art_mean", "mm[Hg]"},
}};
constexpr bool in_order() {
  for (std::size_t i = 0; i < series_count; ++i)
    if (static_cast<std::size_t>(series_table[i].s) != i) return false;
  return true;
}
static_assert(in_order(), "series_table follows the enum");
}  // namespace

std::string_view to_string(series s) { return series_table[static_cast<std::size_t>(s)].name; }

std::optional<series> series_named(std::string_view name) {
  for (const auto& row : series_table)
    if (row.name == name) return row.s;
  return std::nullopt;
}

std::string_view unit_of(series s) { return series_table[static_cast<std::size_t>(s)].unit; }

}  // namespace vigil::record
