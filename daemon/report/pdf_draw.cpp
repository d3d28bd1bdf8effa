#include "report/pdf_draw.hpp"

#include <array>

namespace vigil::report::pdf {

namespace {
// The face the page is set in: fonts-dejavu-core, on every Debian machine that renders it.
constexpr const char* face = "DejaVu Sans";
}  // namespace

rgb priority_colour(core::priority p) {
  switch (p) {
    case core::priority::high: return {0.85, 0.11, 0.11};
    case core::priority::medium: return {0.93, 0.62, 0.05};
    case core::priority::low: return {0.10, 0.66, 0.78};
    case core::priority::unspecified: break;
  }
  return grey;
}

void pen::font(double size, weight w) {
  cairo_select_font_face(cr_, face, CAIRO_FONT_SLANT_NORMAL,
                         w == weight::bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr_, size);
}

void pen::colour(rgb c, double alpha) { cairo_set_source_rgba(cr_, c.r, c.g, c.b, alpha); }

double pen::width(std::string_view s) const {
  const std::string text(s);
  cairo_text_extents_t e{};
  cairo_text_extents(cr_, text.c_str(), &e);
  return e.x_advance;
}

void pen::text(double x, double y, std::string_view s) {
  const std::string t(s);
  cairo_move_to(cr_, x, y);
  cairo_show_text(cr_, t.c_str());
  cairo_new_path(cr_);  // show_text leaves a current point a later path would start from
}

void pen::text_right(double x, double y, std::string_view s) { text(x - width(s), y, s); }

void pen::text_centre(double x, double y, std::string_view s) { text(x - width(s) / 2, y, s); }

std::string pen::fit(std::string_view s, double max_width) const {
  if (width(s) <= max_width) return std::string(s);
  constexpr std::string_view ellipsis = "\u2026";
  std::string t(s);
  while (!t.empty()) {
    // Drop one UTF-8 character: its continuation bytes (10xxxxxx), then its first byte.
    while (!t.empty() && (static_cast<unsigned char>(t.back()) & 0xC0) == 0x80) t.pop_back();
    if (!t.empty()) t.pop_back();
    while (!t.empty() && t.back() == ' ') t.pop_back();
    if (width(t + std::string(ellipsis)) <= max_width) break;
  }
  return t + std::string(ellipsis);
}

std::vector<std::string> pen::wrap(std::string_view s, double max_width,
                                   std::size_t max_lines) const {
  std::vector<std::string> lines;
  std::string_view rest = s;
  while (!rest.empty() && lines.size() + 1 < max_lines && width(rest) > max_width) {
    // The longest run of whole words that fits; a first word too long for a line is cut.
    std::size_t cut = std::string_view::npos;
    for (std::size_t at = rest.find(' '); at != std::string_view::npos;
         at = rest.find(' ', at + 1)) {
      if (width(rest.substr(0, at)) > max_width) break;
      cut = at;
    }
    if (cut == std::string_view::npos) break;
    lines.emplace_back(rest.substr(0, cut));
    rest.remove_prefix(cut + 1);
  }
  if (!rest.empty() || lines.empty()) lines.push_back(fit(rest, max_width));
  return lines;
}

void pen::line(double x0, double y0, double x1, double y1, double line_width) {
  cairo_set_line_width(cr_, line_width);
  cairo_move_to(cr_, x0, y0);
  cairo_line_to(cr_, x1, y1);
  cairo_stroke(cr_);
}

void pen::fill(const box& b) {
  cairo_rectangle(cr_, b.x, b.y, b.w, b.h);
  cairo_fill(cr_);
}

void pen::dash(double on, double off) {
  const std::array<double, 2> d{on, off};
  cairo_set_dash(cr_, d.data(), 2, 0);
}

void pen::undash() { cairo_set_dash(cr_, nullptr, 0, 0); }

}  // namespace vigil::report::pdf
