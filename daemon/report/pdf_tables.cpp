#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "report/pdf_parts.hpp"
#include "report/time_text.hpp"

namespace vigil::report::pdf {

namespace {

struct column {
  std::string_view title;
  double width;
};
// The alarm table's columns, content_width in all; the text column wraps onto two lines.
constexpr double text_width = content_width - 84 - 52 - 82 - 22 - 88 - 44;
constexpr std::array<column, 7> columns{{
    {"Raised (min, UTC)", 84},
    {"Priority", 52},
    {"Condition", 82},
    {"Text", text_width},
    {"Esc.", 22},
    {"Acknowledged", 88},
    {"Ended", 44},
}};
constexpr std::size_t text_column = 3;
constexpr double cell_font = 7.2;
constexpr double wrapped_line = 8.5;  // a text cell's second line, below its first

void heading(pen& p, double y, std::string_view title) {
  p.font(8.5, weight::bold);
  p.colour(ink);
  p.text(margin, y, title);
}

std::string since_start(const record::session_record& r, core::time_ms at_ms) {
  return elapsed(at_ms - r.info.started_ms);
}

// One row, its text cell wrapped to `text_lines`; the priority cell has its colour's square.
void row(pen& p, double y, const std::vector<std::string>& cells,
         const std::vector<std::string>& text_lines, weight w, core::priority pr) {
  double x = margin;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const double inner = columns[i].width - 4;
    double tx = x + 2;
    if (i == 1 && pr != core::priority::unspecified) {
      p.colour(priority_colour(pr));
      p.fill({tx, y - 6, 6, 6});
      tx += 8;
    }
    p.font(cell_font, w);
    p.colour(cells[i].starts_with("not ") ? grey : ink);
    if (i == text_column) {
      for (std::size_t k = 0; k < text_lines.size(); ++k)
        p.text(tx, y + wrapped_line * static_cast<double>(k), text_lines[k]);
    } else {
      p.text(tx, y, p.fit(cells[i], inner - (tx - x - 2)));
    }
    x += columns[i].width;
  }
}

}  // namespace

double draw_alarms(pen& p, double top, double bottom, const record::session_record& r,
                   const record::summary& s) {
  double y = top + 9;
  heading(p, y, "Alarms (" + std::to_string(s.alarms.size()) + ")");
  p.font(6.5);
  p.colour(grey);
  p.text_right(margin + content_width, y, "times are min:s from the infusion start");
  y += 4;
  if (s.alarms.empty()) {
    p.font(7);
    p.colour(ink);
    p.text(margin, y + 9, "No alarms during the record.");
    return y + 14;
  }
  p.colour(shade);
  p.fill({margin, y, content_width, table_row});
  std::vector<std::string> titles;
  for (const auto& c : columns) titles.emplace_back(c.title);
  row(p, y + 8.5, titles, {titles[text_column]}, weight::bold, core::priority::unspecified);
  y += table_row;

  // The rows that fit above `bottom`; when some do not, a last line says how many more.
  std::size_t shown = 0;
  for (const auto& a : s.alarms) {
    p.font(cell_font);
    const auto lines = p.wrap(a.text, columns[text_column].width - 4, 2);
    const double h = table_row + wrapped_line * static_cast<double>(lines.size() - 1);
    const bool last = shown + 1 == s.alarms.size();
    if (y + h + (last ? 0 : table_row) > bottom) break;
    if (shown % 2 == 1) {
      p.colour(shade, 0.6);
      p.fill({margin, y, content_width, h});
    }
    std::string ack = "not acknowledged";
    if (a.acknowledged_ms)
      ack = (a.acknowledged_by.empty() ? std::string("(no name)") : a.acknowledged_by) + ", " +
            since_start(r, *a.acknowledged_ms);
    row(p, y + 8.5,
        {since_start(r, a.raised_ms) + " (" + utc_clock(a.raised_ms) + ")",
         std::string(record::priority_name(a.priority)), a.condition, a.text,
         a.escalation_level > 0 ? std::to_string(a.escalation_level) : "-", ack,
         a.ended_ms ? since_start(r, *a.ended_ms) : "not ended"},
        lines, weight::normal, a.priority);
    y += h;
    ++shown;
  }
  if (shown < s.alarms.size()) {
    p.font(7, weight::bold);
    p.colour(ink);
    p.text(margin + 2, y + 8,
           "and " + std::to_string(s.alarms.size() - shown) +
               " more alarms not listed here (the full list is in the alarm history)");
    y += table_row;
  }
  p.colour(rule);
  p.line(margin, y, margin + content_width, y, 0.5);
  return y;
}

double draw_condition_times(pen& p, double top, const record::summary& s) {
  double y = top + 9;
  heading(p, y, "Time in each alarm condition");
  p.font(6.5);
  p.colour(grey);
  p.text_right(margin + content_width, y, "min:s within the record");
  y += 11;
  p.font(7);
  p.colour(ink);
  if (s.time_in_condition.empty()) {
    p.text(margin, y, "None.");
    return y + 4;
  }
  double x = margin;
  for (const auto& c : s.time_in_condition) {
    p.font(7.5, weight::bold);
    const double name_w = p.width(c.condition);
    p.font(7.5);
    const double w = name_w + 4 + p.width(elapsed(c.ms));
    if (x > margin && x + w > margin + content_width) {
      x = margin;
      y += 10;
    }
    p.font(7.5, weight::bold);
    p.text(x, y, c.condition);
    p.font(7.5);
    p.text(x + name_w + 4, y, elapsed(c.ms));
    x += w + 22;
  }
  return y + 4;
}

double draw_notices(pen& p, double top, std::size_t max_rows, const record::session_record& r,
                    const record::summary& s) {
  double y = top + 9;
  heading(p, y, "Notices (" + std::to_string(s.notices.size()) + ")");
  y += 11;
  p.font(7);
  p.colour(ink);
  if (s.notices.empty()) {
    p.text(margin, y, "None.");
    return y + 4;
  }
  const std::size_t shown =
      s.notices.size() <= max_rows ? s.notices.size() : (max_rows > 0 ? max_rows - 1 : 0);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& n = s.notices[i];
    p.font(7);
    p.text(margin, y, since_start(r, n.at_ms) + " (" + utc_clock(n.at_ms) + ")");
    p.font(7, weight::bold);
    p.text(margin + 76, y, p.fit(n.condition, 130));
    p.font(7);
    p.text(margin + 210, y, p.fit(n.text, content_width - 210));
    y += 10;
  }
  if (shown < s.notices.size()) {
    p.font(7, weight::bold);
    p.text(margin, y, "and " + std::to_string(s.notices.size() - shown) + " more notices");
    y += 10;
  }
  return y - 6;
}

}  // namespace vigil::report::pdf
