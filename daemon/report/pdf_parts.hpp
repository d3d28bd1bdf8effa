// The parts of the PDF page, each drawn into the space it is given (pdf_page.cpp lays them
// out): the trend chart (pdf_chart.cpp) and the alarm, condition-time and notice tables
// (pdf_tables.cpp). Internal to vigil_report.
#pragma once

#include "record/session_record.hpp"
#include "record/summary.hpp"
#include "report/pdf_draw.hpp"

namespace vigil::report::pdf {

// HR (bucket means and min-max band) and SBP/DBP (NIBP points, arterial lines) against minutes
// from the infusion start, with the baseline, the limits, the infusion's start and stop and
// the alarm episodes, in `area`.
void draw_chart(pen& p, const box& area, const record::session_record& r, const record::summary& s);

// The alarm table from `top`, at most as many rows as fit above `bottom` (the rest counted in
// an "and K more" line). Returns the y below it.
double draw_alarms(pen& p, double top, double bottom, const record::session_record& r,
                   const record::summary& s);

// The time in each alarm condition, as one flowing paragraph. Returns the y below it.
double draw_condition_times(pen& p, double top, const record::summary& s);

// The notices, at most `max_rows` lines (the rest counted). Returns the y below it.
double draw_notices(pen& p, double top, std::size_t max_rows, const record::session_record& r,
                    const record::summary& s);

// Line heights the page plans with.
inline constexpr double table_row = 12.5;
inline constexpr double heading_row = 14;

}  // namespace vigil::report::pdf
