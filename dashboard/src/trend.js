// A bed's trend drawn by hand as SVG: HR on top, blood pressure below (cuff readings as
// points, SBP to DBP; an arterial line as its MAP with the SBP-DBP band), the session's
// baseline and the alarm limits as lines, and the alarm episodes on the time axis.
// Points come in the TrendPoint format of BedTrend and HistoryResponse (at_ms, series, n, lo,
// mean, hi), all on vigild's clock.

// Configured limits drawn when vigild has not told this bed another (vigild.toml's [alarms]
// *_medium defaults; ?limits= overrides them, see README). RISE limits are over the baseline.
export const default_limits = {
  HR_HIGH: 120, HR_LOW: 50, SBP_HIGH: 160, SBP_LOW: 90, DBP_HIGH: 100, MAP_LOW: 60, SBP_RISE: 40, DBP_RISE: 25,
};
const limit_keys = {
  hr_high_medium: 'HR_HIGH', hr_low_medium: 'HR_LOW', sbp_high_medium: 'SBP_HIGH', sbp_low_medium: 'SBP_LOW',
  dbp_high_medium: 'DBP_HIGH', map_low_medium: 'MAP_LOW', sbp_rise_medium: 'SBP_RISE', dbp_rise_medium: 'DBP_RISE',
};

// "?limits=hr_high_medium:130,sbp_high_medium:170": the ward's vigild.toml values, when they
// differ from vigild's defaults. Unknown keys and values that are not numbers are ignored.
export function parse_limits(text) {
  const out = { ...default_limits };
  for (const item of String(text ?? '').split(',')) {
    const [key, value] = item.split(':').map((s) => s.trim());
    if (limit_keys[key] && value !== '' && Number.isFinite(Number(value))) out[limit_keys[key]] = Number(value);
  }
  return out;
}

// The points of [t0, t1] grouped: hr [{t, lo, mean, hi}], nibp and art [{t, sys, dia, map}].
export function trend_series(points, t0, t1) {
  const hr = [];
  const bp = { nibp: new Map(), art: new Map() };
  for (const p of points) {
    if (p.at_ms < t0 || p.at_ms > t1) continue;
    if (p.series === 'hr') { hr.push({ t: p.at_ms, lo: p.lo, mean: p.mean, hi: p.hi, n: p.n || 1 }); continue; }
    const [kind, part] = p.series.split('_');
    const by_t = bp[kind];
    if (!by_t || !['sys', 'dia', 'mean'].includes(part)) continue;
    if (!by_t.has(p.at_ms)) by_t.set(p.at_ms, { t: p.at_ms });
    const row = by_t.get(p.at_ms);
    // An arterial bucket: its mean; the band is the means of SBP and DBP.
    row[part === 'mean' ? 'map' : part] = p.mean;
  }
  const rows = (m) => [...m.values()].filter((r) => Number.isFinite(r.sys) && Number.isFinite(r.dia)).sort((a, b) => a.t - b.t);
  return { hr: hr.sort((a, b) => a.t - b.t), nibp: rows(bp.nibp), art: rows(bp.art) };
}

// The last cuff (or arterial) reading in the points: what the BP tile shows after a reload.
export function last_bp(points) {
  const { nibp, art } = trend_series(points, -Infinity, Infinity);
  const n = nibp.at(-1);
  const a = art.at(-1);
  if (!n && !a) return null;
  return !a || (n && n.t >= a.t) ? { ...n, source: 'NIBP' } : { ...a, source: 'ARTERIAL' };
}

// Merges readings into buckets of bw ms (min of lo, max of hi, n-weighted mean).
function bucketed(rows, bw, fields) {
  const out = [];
  for (const r of rows) {
    const last = out.at(-1);
    const key = Math.floor(r.t / bw);
    if (last && last.key === key) {
      for (const f of fields) last.sum[f] += r[f] * r.n;
      last.n += r.n;
      last.lo = Math.min(last.lo, r.lo);
      last.hi = Math.max(last.hi, r.hi);
    } else {
      out.push({ key, t: r.t, n: r.n, lo: r.lo, hi: r.hi, sum: Object.fromEntries(fields.map((f) => [f, r[f] * r.n])) });
    }
  }
  return out.map((b) => ({ t: b.t, lo: b.lo, hi: b.hi, ...Object.fromEntries(fields.map((f) => [f, b.sum[f] / b.n])) }));
}

const num = (v) => Math.round(v * 10) / 10;
const fmt_time = (t) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });

// Polylines broken where readings are missing for longer than `gap` ms.
function runs(rows, gap) {
  const out = [];
  for (const r of rows) {
    if (!out.length || r.t - out.at(-1).at(-1).t > gap) out.push([]);
    out.at(-1).push(r);
  }
  return out;
}

function line_path(rows, x, y, field) {
  return rows.map((r, i) => `${i ? 'L' : 'M'}${num(x(r.t))},${num(y(r[field]))}`).join('');
}

function band_path(rows, x, y, lo, hi) {
  if (rows.length === 1) rows = [rows[0], { ...rows[0], t: rows[0].t + 1 }];
  const top = rows.map((r, i) => `${i ? 'L' : 'M'}${num(x(r.t))},${num(y(r[hi]))}`).join('');
  const bottom = [...rows].reverse().map((r) => `L${num(x(r.t))},${num(y(r[lo]))}`).join('');
  return `${top}${bottom}Z`;
}

// Y scale of a panel: fits the data and the lines, with a little room, at least `span` tall.
function scale(values, top, bottom, span) {
  const finite = values.filter(Number.isFinite);
  let lo = finite.length ? Math.min(...finite) : 60;
  let hi = finite.length ? Math.max(...finite) : 120;
  if (hi - lo < span) { const mid = (hi + lo) / 2; lo = mid - span / 2; hi = mid + span / 2; }
  const pad = (hi - lo) * 0.08;
  lo -= pad; hi += pad;
  return (v) => bottom - ((v - lo) / (hi - lo)) * (bottom - top);
}

// Which limit lines a panel draws, each { condition, value, mark } (mark: the priority of an
// open alarm on that condition, drawn in its colour).
export function chart_lines(bed, config, { detail = false, arterial = false } = {}) {
  const open = new Map();
  for (const a of bed.alarms) if (a.kind !== 'NOTICE') open.set(a.condition.replace(/^ART_/, ''), a.priority);
  const vigild_limit = (c) => bed.limits.get(c)?.value ?? bed.limits.get(`ART_${c}`)?.value;
  const baseline = { sys: bed.session?.baseline_systolic_mmhg, dia: bed.session?.baseline_diastolic_mmhg };
  const in_session = ['INFUSION', 'RECOVERY'].includes(bed.session?.phase);
  let bp = arterial ? ['SBP_HIGH', 'MAP_LOW'] : ['SBP_HIGH', 'SBP_LOW', 'DBP_HIGH'];
  if (detail) bp = ['SBP_HIGH', 'SBP_LOW', 'DBP_HIGH', 'MAP_LOW'];
  const line = (c, over = 0) => {
    const value = (vigild_limit(c) ?? config[c]) + over;
    return Number.isFinite(value) ? { condition: c, value, mark: open.get(c) } : null;
  };
  const bp_lines = bp.map((c) => line(c));
  if (in_session && Number.isFinite(baseline.sys)) bp_lines.push(line('SBP_RISE', baseline.sys));
  if (detail && in_session && Number.isFinite(baseline.dia)) bp_lines.push(line('DBP_RISE', baseline.dia));
  return { hr: ['HR_HIGH', 'HR_LOW'].map((c) => line(c)).filter(Boolean), bp: bp_lines.filter(Boolean), baseline };
}

const label_of = { HR_HIGH: 'HR high', HR_LOW: 'HR low', SBP_HIGH: 'SBP high', SBP_LOW: 'SBP low', DBP_HIGH: 'DBP high',
  MAP_LOW: 'MAP low', SBP_RISE: 'SBP rise', DBP_RISE: 'DBP rise' };

// opts: { width, height, t0, t1, detail, lines (chart_lines), episodes: [{alarm_id, priority, onset_ms, end_ms}] }
export function trend_svg(points, { width, height, t0, t1, detail = false, lines, episodes = [] }) {
  if (!(width > 20 && height > 20 && t1 > t0)) return '';
  const s = trend_series(points, t0, t1);
  const left = detail ? 4 : 2;
  // Room on the right for the lines' values (and so the newest reading is not on the edge).
  const right = width - (detail ? 116 : width >= 220 ? 30 : 8);
  const axis_h = detail ? 18 : 0;
  const strip_h = detail ? 12 : 7;
  const plot_bottom = height - axis_h - strip_h - 2;
  const split = 3 + (plot_bottom - 3) * 0.4;
  const x = (t) => left + ((t - t0) / (t1 - t0)) * (right - left);
  const bw = Math.max(1, (t1 - t0) / Math.max(1, (right - left) / 3));
  const gap = Math.max(3 * bw, 150_000);
  const hr = bucketed(s.hr, bw, ['mean']);
  const art = bucketed(s.art.map((r) => ({ ...r, n: 1, lo: r.dia, hi: r.sys })), bw, ['sys', 'dia', 'map']);
  const y_hr = scale([...hr.flatMap((r) => [r.lo, r.hi]), ...lines.hr.map((l) => l.value)], 4, split - 3, 30);
  const y_bp = scale([...s.nibp.flatMap((r) => [r.sys, r.dia]), ...art.flatMap((r) => [r.sys, r.dia]),
    ...lines.bp.map((l) => l.value), lines.baseline.sys, lines.baseline.dia], split + 3, plot_bottom, 50);
  const out = [];
  const text = (tx, ty, cls, body, anchor = 'start') => out.push(`<text x="${num(tx)}" y="${num(ty)}" class="${cls}" text-anchor="${anchor}">${body}</text>`);
  out.push(`<line class="panel-split" x1="${left}" x2="${right}" y1="${num(split)}" y2="${num(split)}"/>`);

  // Each line's value at the right edge; a label that would overlap the one above moves down.
  const labels = [];
  const limit_line = (l, y, panel) => {
    out.push(`<line class="limit${l.mark ? ` mark p-${l.mark}` : ''}" data-panel="${panel}" data-condition="${l.condition}" data-value="${num(l.value)}" x1="${left}" x2="${right}" y1="${num(y(l.value))}" y2="${num(y(l.value))}"/>`);
    labels.push({ y: y(l.value), cls: `limit-label${l.mark ? ` p-${l.mark}` : ''}`, body: detail ? `${label_of[l.condition]} ${Math.round(l.value)}` : Math.round(l.value) });
  };
  for (const l of lines.hr) limit_line(l, y_hr, 'hr');
  for (const l of lines.bp) limit_line(l, y_bp, 'bp');
  for (const [part, v] of Object.entries(lines.baseline)) {
    if (!Number.isFinite(v)) continue;
    out.push(`<line class="baseline" data-part="${part}" data-value="${num(v)}" x1="${left}" x2="${right}" y1="${num(y_bp(v))}" y2="${num(y_bp(v))}"/>`);
    labels.push({ y: y_bp(v), cls: 'baseline-label', body: detail ? `baseline ${part === 'sys' ? 'SBP' : 'DBP'} ${Math.round(v)}` : Math.round(v) });
  }
  if (right < width - 20) {
    let last = -Infinity;
    const room = detail ? 14 : 11;
    for (const l of labels.sort((a, b) => a.y - b.y)) {
      const y = Math.max(l.y + 4, last + room);
      if (y > height - 2) break;
      text(right + 3, y, l.cls, l.body);
      last = y;
    }
  }

  for (const run of runs(hr, gap)) {
    out.push(`<path class="hr-band" d="${band_path(run, x, y_hr, 'lo', 'hi')}"/>`);
    out.push(`<path class="hr-line" d="${line_path(run.length > 1 ? run : [run[0], { ...run[0], t: run[0].t + bw }], x, y_hr, 'mean')}"/>`);
  }
  for (const run of runs(art, gap)) {
    out.push(`<path class="art-band" d="${band_path(run, x, y_bp, 'dia', 'sys')}"/>`);
    out.push(`<path class="art-map" d="${line_path(run.length > 1 ? run : [run[0], { ...run[0], t: run[0].t + bw }], x, y_bp, 'map')}"/>`);
  }
  const r = detail ? 5 : 3.5;
  for (const p of s.nibp) {
    const px = num(x(p.t));
    out.push(`<g class="nibp" data-t="${p.t}" data-sys="${num(p.sys)}" data-dia="${num(p.dia)}"><line x1="${px}" x2="${px}" y1="${num(y_bp(p.sys))}" y2="${num(y_bp(p.dia))}"/>`
      + `<circle class="sys" cx="${px}" cy="${num(y_bp(p.sys))}" r="${r}"/><circle class="dia" cx="${px}" cy="${num(y_bp(p.dia))}" r="${r}"/></g>`);
    if (detail) text(px, y_bp(p.sys) - 8, 'nibp-label', `${Math.round(p.sys)}/${Math.round(p.dia)}`, 'middle');
  }

  // Alarm episodes along the time axis, in their priority's colour, the highest on top.
  const strip_y = plot_bottom + 2;
  const order = { LOW: 1, MEDIUM: 2, HIGH: 3 };
  for (const e of [...episodes].sort((a, b) => (order[a.priority] ?? 0) - (order[b.priority] ?? 0))) {
    const from = Math.max(t0, e.onset_ms);
    const to = Math.min(t1, e.end_ms || t1);
    if (to < t0 || from > t1) continue;
    out.push(`<rect class="episode p-${e.priority}" data-alarm="${String(e.alarm_id).replace(/[&<>"']/g, '')}" x="${num(x(from))}" y="${num(strip_y)}" width="${num(Math.max(3, x(to) - x(from)))}" height="${strip_h}"><title>${e.condition} ${e.priority}</title></rect>`);
  }

  if (detail) {
    const minutes = (t1 - t0) / 60_000;
    const step = [5, 10, 15, 30, 60, 120, 240].find((m) => minutes / m <= 8) ?? 480;
    for (let t = Math.ceil(t0 / (step * 60_000)) * step * 60_000; t <= t1; t += step * 60_000) {
      out.push(`<line class="tick" x1="${num(x(t))}" x2="${num(x(t))}" y1="3" y2="${num(strip_y + strip_h)}"/>`);
      text(x(t), height - 4, 'axis', fmt_time(t), 'middle');
    }
  }
  text(left + 3, 15, 'panel-label hr', 'HR');
  text(left + 3, split + 16, 'panel-label bp', s.art.length && !s.nibp.length ? 'ART' : 'BP');
  return `<svg class="trend-svg" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" data-t0="${t0}" data-t1="${t1}">${out.join('')}</svg>`;
}

// Draws into `el` at its laid-out size; redraws only when the key (data, size, minute) changed.
export function draw_trend(el, key, make) {
  const width = Math.floor(el.clientWidth);
  const height = Math.floor(el.clientHeight);
  const full_key = `${key}|${width}x${height}`;
  if (el.dataset.key === full_key) return;
  el.dataset.key = full_key;
  el.innerHTML = make(width, height);
}
