// The PDF page's drawing vocabulary: page geometry, colours, and a pen over a cairo context
// that writes text in the DejaVu Sans face (cairo's text API, so the PDF's text is
// extractable) and draws lines and boxes. Internal to vigil_report.
#pragma once

#include <cairo.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace vigil::report::pdf {

// A4 in PostScript points (1/72 in).
inline constexpr double page_width = 595.276;
inline constexpr double page_height = 841.89;
inline constexpr double margin = 36;
inline constexpr double content_width = page_width - 2 * margin;

struct rgb {
  double r = 0, g = 0, b = 0;
};
inline constexpr rgb black{0, 0, 0};
inline constexpr rgb ink{0.12, 0.12, 0.14};
inline constexpr rgb grey{0.42, 0.42, 0.45};
inline constexpr rgb rule{0.75, 0.75, 0.78};
inline constexpr rgb grid{0.9, 0.9, 0.92};
inline constexpr rgb shade{0.94, 0.94, 0.96};
inline constexpr rgb white{1, 1, 1};
inline constexpr rgb systolic{0.10, 0.25, 0.62};   // SBP: dark blue
inline constexpr rgb diastolic{0.35, 0.62, 0.86};  // DBP: light blue
inline constexpr rgb heart{0.10, 0.50, 0.25};      // HR: green

// IEC 60601-1-8's alarm colours: HIGH red, MEDIUM yellow (amber on paper), LOW cyan.
rgb priority_colour(core::priority p);

struct box {
  double x = 0, y = 0, w = 0, h = 0;
  double right() const { return x + w; }
  double bottom() const { return y + h; }
};

enum class weight : bool { normal, bold };

class pen {
 public:
  explicit pen(cairo_t* cr) : cr_(cr) {}
  cairo_t* cr() const { return cr_; }

  void font(double size, weight w = weight::normal);
  void colour(rgb c, double alpha = 1.0);

  double width(std::string_view s) const;
  // Text with its baseline at y: from x, ending at x, or centred on x.
  void text(double x, double y, std::string_view s);
  void text_right(double x, double y, std::string_view s);
  void text_centre(double x, double y, std::string_view s);
  // `s`, shortened at a character boundary and ended with "…" until it fits `max_width`.
  std::string fit(std::string_view s, double max_width) const;
  // `s` broken at spaces into at most `max_lines` lines of `max_width`, the last one fitted.
  std::vector<std::string> wrap(std::string_view s, double max_width, std::size_t max_lines) const;

  void line(double x0, double y0, double x1, double y1, double line_width);
  void fill(const box& b);
  void dash(double on, double off);  // until undash()
  void undash();

 private:
  cairo_t* cr_;
};

}  // namespace vigil::report::pdf
