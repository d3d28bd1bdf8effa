// How many tiles fit, and in which grid: every bed on one screen when it can, never scrolling.

// The grid (cols x rows) for n tiles in width x height px: as many tiles as fit at min_w x
// min_h or more, each as large as it can be while keeping a landscape shape (the area of the
// largest 3:2 rectangle inside it). Returns { cols, rows, shown, w, h }.
export function plan_grid(n, width, height, { min_w = 320, min_h = 290, gap = 14 } = {}) {
  const max_cols = Math.max(1, Math.floor((width + gap) / (min_w + gap)));
  const max_rows = Math.max(1, Math.floor((height + gap) / (min_h + gap)));
  const shown = Math.min(n, max_cols * max_rows);
  let best = { cols: 1, rows: 1, shown, w: width, h: height };
  let best_score = -1;
  for (let cols = 1; cols <= max_cols; cols += 1) {
    for (let rows = 1; rows <= max_rows; rows += 1) {
      if (cols * rows < shown) continue;
      const w = (width - gap * (cols - 1)) / cols;
      const h = (height - gap * (rows - 1)) / rows;
      const score = Math.min(w, 1.5 * h) * Math.min(h, w / 1.5) - (cols * rows - shown);
      if (score > best_score) { best_score = score; best = { cols, rows, shown, w, h }; }
    }
  }
  return best;
}
