#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "report/pdf_parts.hpp"
#include "report/time_text.hpp"

namespace vigil::report::pdf {

namespace {

using record::series;

// Maps values to page coordinates: v0 -> p0, v1 -> p1.
struct scale {
  double v0 = 0, v1 = 1, p0 = 0, p1 = 1;
  double at(double v) const { return p0 + (v - v0) * (p1 - p0) / (v1 - v0); }
};

struct panel {
  box b;
  scale x, y;
  double step = 20;  // the y axis' tick step
};

double minutes(const record::session_record& r, core::time_ms at_ms) {
  return static_cast<double>(at_ms - r.info.started_ms) / 60'000.0;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

// [lo, hi] widened by `pad` and out to multiples of `step`; a default when there is no data.
void nice(double& lo, double& hi, double pad, double step) {
  lo = std::floor((lo - pad) / step) * step;
  hi = std::ceil((hi + pad) / step) * step;
}

bool is_bp(series s) {
  return s == series::nibp_sys || s == series::nibp_dia || s == series::art_sys ||
         s == series::art_dia;
}

void clip_to(pen& p, const box& b) {
  cairo_save(p.cr());
  cairo_rectangle(p.cr(), b.x, b.y, b.w, b.h);
  cairo_clip(p.cr());
}
void unclip(pen& p) { cairo_restore(p.cr()); }

void frame(pen& p, const panel& pn, std::string_view unit) {
  p.font(6.5);
  for (double v = pn.y.v0; v <= pn.y.v1 + 1e-9; v += pn.step) {
    const double y = pn.y.at(v);
    p.colour(grid);
    p.line(pn.b.x, y, pn.b.right(), y, 0.4);
    p.colour(grey);
    p.text_right(pn.b.x - 3, y + 2.3, number(v));
  }
  p.font(6.5, weight::bold);
  p.colour(grey);
  p.text_right(pn.b.x - 3, pn.b.y - 7, unit);
}

void vertical_grid(pen& p, const panel& pn, double tick) {
  p.colour(grid);
  for (double t = std::ceil(pn.x.v0 / tick) * tick; t <= pn.x.v1 + 1e-9; t += tick)
    p.line(pn.x.at(t), pn.b.y, pn.x.at(t), pn.b.bottom(), 0.4);
}

void episodes(pen& p, const panel& pn, const record::session_record& r, const record::summary& s) {
  // Each priority's spans merged first, so many overlapping alarms shade no darker than one.
  for (auto pr : {core::priority::low, core::priority::medium, core::priority::high,
                  core::priority::unspecified}) {
    std::vector<std::pair<double, double>> spans;
    for (const auto& e : s.episodes)
      if (e.priority == pr) spans.emplace_back(minutes(r, e.begin_ms), minutes(r, e.end_ms));
    std::sort(spans.begin(), spans.end());
    std::vector<std::pair<double, double>> merged;
    for (const auto& sp : spans) {
      if (!merged.empty() && sp.first <= merged.back().second)
        merged.back().second = std::max(merged.back().second, sp.second);
      else merged.push_back(sp);
    }
    p.colour(priority_colour(pr), 0.13);
    for (const auto& [b, e] : merged) {
      const double x0 = pn.x.at(b), x1 = pn.x.at(e);
      p.fill({x0, pn.b.y, std::max(x1 - x0, 0.6), pn.b.h});
    }
  }
}

void limits(pen& p, const panel& pn, const record::session_record& r, bool bp) {
  for (const auto& l : r.limits) {
    if ((l.series == series::hr) == bp) continue;
    const double y = pn.y.at(l.value);
    p.colour(grey, 0.9);
    p.dash(1.2, 1.6);
    p.line(pn.b.x, y, pn.b.right(), y, 0.6);
    p.undash();
    p.font(5.5);
    p.text_right(pn.b.right() - 2, y - 1.5, l.condition + " " + number(l.value));
  }
}

// The series' points as a line of means (broken where buckets are missing), optionally over a
// band from lo to hi.
void trend_line(pen& p, const panel& pn, const record::session_record& r, series which, rgb c,
                bool band) {
  std::vector<std::vector<const record::trend_point*>> runs;
  core::time_ms last = 0;
  for (const auto& t : r.trend) {
    if (t.series != which) continue;
    if (runs.empty() || t.at_ms - last > record::trend_bucket_ms * 3 / 2) runs.emplace_back();
    runs.back().push_back(&t);
    last = t.at_ms;
  }
  const auto x_of = [&](const record::trend_point* t) {
    return pn.x.at(minutes(r, t->at_ms + record::trend_bucket_ms / 2));
  };
  cairo_t* cr = p.cr();
  for (const auto& run : runs) {
    if (band) {
      for (const auto* t : run) cairo_line_to(cr, x_of(t), pn.y.at(t->hi));
      for (auto it = run.rbegin(); it != run.rend(); ++it)
        cairo_line_to(cr, x_of(*it), pn.y.at((*it)->lo));
      cairo_close_path(cr);
      p.colour(c, 0.18);
      cairo_fill(cr);
    }
    for (const auto* t : run) cairo_line_to(cr, x_of(t), pn.y.at(t->mean));
    if (run.size() == 1) cairo_rel_line_to(cr, 0.8, 0);
    p.colour(c);
    cairo_set_line_width(cr, 0.9);
    cairo_stroke(cr);
  }
}

void dot(pen& p, double x, double y, double radius, rgb c) {
  p.colour(c);
  cairo_arc(p.cr(), x, y, radius, 0, 2 * std::numbers::pi);
  cairo_fill(p.cr());
}

// Every NIBP reading: SBP and DBP dots joined by a thin line.
void nibp(pen& p, const panel& pn, const record::session_record& r) {
  for (const auto& t : r.trend) {
    if (t.series != series::nibp_sys) continue;
    const double x = pn.x.at(minutes(r, t.at_ms));
    const auto dia = std::find_if(r.trend.begin(), r.trend.end(), [&](const auto& d) {
      return d.series == series::nibp_dia && d.at_ms == t.at_ms;
    });
    if (dia != r.trend.end()) {
      p.colour(grey, 0.7);
      p.line(x, pn.y.at(t.mean), x, pn.y.at(dia->mean), 0.5);
    }
  }
  for (const auto& t : r.trend) {
    if (t.series == series::nibp_sys)
      dot(p, pn.x.at(minutes(r, t.at_ms)), pn.y.at(t.mean), 2.1, systolic);
    if (t.series == series::nibp_dia)
      dot(p, pn.x.at(minutes(r, t.at_ms)), pn.y.at(t.mean), 2.1, diastolic);
  }
}

void baseline(pen& p, const panel& pn, std::optional<double> v, rgb c, std::string_view what) {
  if (!v) return;
  const double y = pn.y.at(*v);
  p.colour(c, 0.85);
  p.dash(4, 2.5);
  p.line(pn.b.x, y, pn.b.right(), y, 0.8);
  p.undash();
  p.font(5.5);
  p.text(pn.b.x + 8, y - 1.5, std::string(what) + " baseline " + number(*v));
}

void infusion_marks(pen& p, const panel& bp, const panel& hr, const record::session_record& r,
                    bool labels) {
  const auto mark = [&](double minute, std::string_view label, bool solid) {
    const double x = bp.x.at(minute);
    if (x < bp.b.x - 0.1 || x > bp.b.right() + 0.1) return;
    p.colour(ink, 0.8);
    if (!solid) p.dash(2, 2);
    p.line(x, bp.b.y, x, bp.b.bottom(), 0.8);
    p.line(x, hr.b.y, x, hr.b.bottom(), 0.8);
    p.undash();
    if (!labels) return;
    p.font(6, weight::bold);
    p.text(x + 2, bp.b.y - 2.5, label);
  };
  mark(0, "infusion start", true);
  if (r.info.stopped_ms != 0)
    mark(minutes(r, r.info.stopped_ms), "stop " + elapsed(r.info.stopped_ms - r.info.started_ms),
         true);
  if (r.info.planned_minutes > 0 &&
      (r.info.stopped_ms == 0 ||
       std::abs(minutes(r, r.info.stopped_ms) - r.info.planned_minutes) > 1.5))
    mark(r.info.planned_minutes, "planned " + std::to_string(r.info.planned_minutes), false);
}

void peak_label(pen& p, const panel& pn, const record::session_record& r,
                const std::optional<record::bp_peak>& peak, bool above) {
  if (!peak) return;
  const double x = pn.x.at(minutes(r, peak->at_ms));
  const double y = pn.y.at(peak->mmhg);
  p.font(6, weight::bold);
  p.colour(ink);
  const std::string text = "peak " + number(peak->mmhg);
  p.text(std::min(x + 3, pn.b.right() - p.width(text)), above ? y - 3 : y + 8, text);
}

void legend(pen& p, double x, double y) {
  p.font(6.5);
  const auto swatch_text = [&](std::string_view t) {
    p.colour(ink);
    p.text(x, y, t);
    x += p.width(t) + 10;
  };
  p.colour(heart, 0.18);
  p.fill({x, y - 6, 12, 6});
  p.colour(heart);
  p.line(x, y - 3, x + 12, y - 3, 0.9);
  x += 15;
  swatch_text("HR mean, min\u2013max");
  dot(p, x + 3, y - 2.5, 2.1, systolic);
  x += 8;
  swatch_text("NIBP SBP");
  dot(p, x + 3, y - 2.5, 2.1, diastolic);
  x += 8;
  swatch_text("NIBP DBP");
  p.colour(systolic);
  p.line(x, y - 3, x + 12, y - 3, 0.9);
  x += 15;
  swatch_text("arterial");
  p.colour(grey);
  p.dash(4, 2.5);
  p.line(x, y - 3, x + 12, y - 3, 0.8);
  p.undash();
  x += 15;
  swatch_text("baseline");
  p.dash(1.2, 1.6);
  p.line(x, y - 3, x + 12, y - 3, 0.6);
  p.undash();
  x += 15;
  swatch_text("limit");
  for (auto pr : {core::priority::high, core::priority::medium, core::priority::low}) {
    p.colour(priority_colour(pr), 0.85);
    p.fill({x, y - 6, 8, 6});
    x += 11;
    swatch_text(std::string(record::priority_name(pr)) + " alarm");
  }
}

// The episodes as bars in lanes under the time axis, each lane holding episodes (and labels)
// that do not overlap. When the lanes are full, the rest go into the last lane, unlabelled:
// the alarm table names them.
void alarm_lanes(pen& p, const box& area, const scale& x, const record::session_record& r,
                 const record::summary& s, int max_lanes) {
  std::vector<double> lane_end(static_cast<std::size_t>(max_lanes), -1e9);
  p.font(5.8, weight::bold);
  p.colour(grey);
  p.text_right(area.x - 3, area.y + 6.5, "alarms");
  for (const auto& e : s.episodes) {
    const double x0 = x.at(minutes(r, e.begin_ms));
    const double x1 = std::max(x.at(minutes(r, e.end_ms)), x0 + 1.0);
    std::size_t lane = lane_end.size() - 1;
    bool crowded = true;
    for (std::size_t i = 0; i < lane_end.size(); ++i)
      if (lane_end[i] < x0 - 1) {
        lane = i;
        crowded = false;
        break;
      }
    const double y = area.y + static_cast<double>(lane) * 9.5;
    p.colour(priority_colour(e.priority), 0.85);
    p.fill({x0, y, x1 - x0, 8});
    p.font(5.8);
    const std::string label = e.condition + (e.ended ? "" : " (open)");
    const double wl = p.width(label);
    if (crowded) {
      lane_end[lane] = std::max(lane_end[lane], x1);
    } else if (wl + 4 <= x1 - x0) {
      p.colour(e.priority == core::priority::medium ? black : white);
      p.text(x0 + 2, y + 6, label);
      lane_end[lane] = x1;
    } else if (x1 + 2 + wl <= area.right()) {
      p.colour(ink);
      p.text(x1 + 2, y + 6, label);
      lane_end[lane] = x1 + 4 + wl;
    } else {
      if (x0 - 2 - wl > std::max(lane_end[lane] + 2, area.x)) {
        p.colour(ink);
        p.text(x0 - 2 - wl, y + 6, label);
      }
      lane_end[lane] = x1;
    }
  }
}

}  // namespace

void draw_chart(pen& p, const box& area, const record::session_record& r,
                const record::summary& s) {
  // Time: from the infusion start (or the first point, if earlier) to the record's end.
  double t0 = 0, t1 = std::max(minutes(r, r.until_ms), 10.0);
  for (const auto& t : r.trend) t0 = std::min(t0, minutes(r, t.at_ms));
  const double tick = t1 - t0 > 150 ? 30 : t1 - t0 > 60 ? 10 : 5;
  t0 = std::floor(t0 / tick) * tick;
  t1 = std::ceil(t1 / tick) * tick;

  double bp_lo = 1e9, bp_hi = -1e9, hr_lo = 1e9, hr_hi = -1e9;
  for (const auto& t : r.trend) {
    if (t.series == series::hr) hr_lo = std::min(hr_lo, t.lo), hr_hi = std::max(hr_hi, t.hi);
    if (is_bp(t.series)) bp_lo = std::min(bp_lo, t.lo), bp_hi = std::max(bp_hi, t.hi);
  }
  for (const auto& l : r.limits) {
    auto& lo = l.series == series::hr ? hr_lo : bp_lo;
    auto& hi = l.series == series::hr ? hr_hi : bp_hi;
    lo = std::min(lo, l.value), hi = std::max(hi, l.value);
  }
  for (const auto& b : {r.info.baseline_systolic_mmhg, r.info.baseline_diastolic_mmhg})
    if (b) bp_lo = std::min(bp_lo, *b), bp_hi = std::max(bp_hi, *b);
  if (bp_lo > bp_hi) bp_lo = 60, bp_hi = 160;
  if (hr_lo > hr_hi) hr_lo = 50, hr_hi = 110;
  nice(bp_lo, bp_hi, 8, 20);
  nice(hr_lo, hr_hi, 5, 20);

  const int lanes = std::clamp(static_cast<int>(s.episodes.size()), 1, 3);
  const double lanes_h = lanes * 9.5;
  const double plot_x = area.x + 30;
  const double plot_w = area.right() - plot_x;
  const double top = area.y + 24;  // under the legend and the panel's unit label
  const double room = area.bottom() - top - 16 - 24 - lanes_h;
  const box bp_box{plot_x, top, plot_w, room * 0.62};
  const box hr_box{plot_x, bp_box.bottom() + 16, plot_w, room * 0.38};
  const scale x{t0, t1, plot_x, plot_x + plot_w};
  const panel bp{bp_box, x, {bp_lo, bp_hi, bp_box.bottom(), bp_box.y}, 20};
  const panel hr{hr_box, x, {hr_lo, hr_hi, hr_box.bottom(), hr_box.y}, 20};

  legend(p, area.x, area.y + 7);
  frame(p, bp, "mmHg");
  frame(p, hr, "HR /min");
  for (const panel* pn : {&bp, &hr}) {
    vertical_grid(p, *pn, tick);
    clip_to(p, pn->b);
    episodes(p, *pn, r, s);
    unclip(p);
  }
  infusion_marks(p, bp, hr, r, true);

  clip_to(p, bp.b);
  limits(p, bp, r, true);
  baseline(p, bp, r.info.baseline_systolic_mmhg, systolic, "SBP");
  baseline(p, bp, r.info.baseline_diastolic_mmhg, diastolic, "DBP");
  trend_line(p, bp, r, series::art_sys, systolic, false);
  trend_line(p, bp, r, series::art_dia, diastolic, false);
  nibp(p, bp, r);
  peak_label(p, bp, r, s.peak_systolic, true);
  peak_label(p, bp, r, s.peak_diastolic, false);
  unclip(p);

  clip_to(p, hr.b);
  limits(p, hr, r, false);
  trend_line(p, hr, r, series::hr, heart, true);
  unclip(p);

  for (const panel* pn : {&bp, &hr}) {
    p.colour(rule);
    cairo_set_line_width(p.cr(), 0.6);
    cairo_rectangle(p.cr(), pn->b.x, pn->b.y, pn->b.w, pn->b.h);
    cairo_stroke(p.cr());
  }
  p.font(6.5);
  p.colour(grey);
  for (double t = t0; t <= t1 + 1e-9; t += tick) {
    p.line(x.at(t), hr_box.bottom(), x.at(t), hr_box.bottom() + 2.5, 0.5);
    p.text_centre(x.at(t), hr_box.bottom() + 9.5, number(t));
  }
  p.text_centre(plot_x + plot_w / 2, hr_box.bottom() + 19, "minutes from infusion start");
  alarm_lanes(p, {plot_x, hr_box.bottom() + 24, plot_w, lanes_h}, x, r, s, lanes);
}

}  // namespace vigil::report::pdf
