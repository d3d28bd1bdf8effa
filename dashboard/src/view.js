// Drawing the ward. Structure is redrawn only when a message changes it; the texts that
// move with time (ages, the infusion clock, stale greying) are refreshed in place by tick(),
// so an Acknowledge button is never replaced under a nurse's finger.
import { needs_ack, priority_rank, without_ack } from './ward.js';
import { chart_lines, draw_trend, last_bp, trend_svg } from './trend.js';

// Greyed after these: the engine's defaults for signal lost (HR, arterial: 10 s) and for
// an overdue cuff reading (NIBP: 5 min interval + 60 s).
const hr_stale_ms = 10_000;
const arterial_stale_ms = 10_000;
const nibp_stale_ms = 6 * 60_000;

const html_escapes = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => html_escapes[c]);

export function fmt_clock(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function fmt_ago(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const round = (v) => (Number.isFinite(v) ? Math.round(v) : '?');

// r: { t, vigil } — when the reading arrived, on this page's clock or (vigil) on vigild's.
function vital_html(label, value, unit, r, stale_ms, note = '') {
  if (!r) return `<div class="vital none"><span class="label">${label}</span><span class="value">—</span></div>`;
  const clock = r.vigil ? ' data-vigil' : '';
  return `<div class="vital" data-stale="${r.t}" data-stale-ms="${stale_ms}"${clock}>
    <span class="label">${label}</span><span class="reading"><span class="value">${value}</span> <span class="unit">${unit}</span></span>
    <span class="age">${r.extra ?? ''}<span data-clock="ago"${clock} data-t="${r.t}"></span> ago<span class="stale-word"> · stale</span>${note}</span></div>`;
}

// The points a bed's charts draw: its retained BedTrend, then the readings since.
export const bed_points = (bed) => (bed.trend ? bed.trend.points.concat(bed.live) : bed.live);

// points: where a page opened late finds the last BP (the bed's BedTrend, or the detail's
// answer from the record).
export function vitals_html(bed, points = bed.trend?.points) {
  const invalid = (r) => (r?.invalid_since_ms ? ' · <b>newest reading invalid</b>' : '');
  const hr = bed.hr && vital_html('HR', round(bed.hr.msg.bpm), '/min', { t: bed.hr.rx_ms }, hr_stale_ms, invalid(bed.hr));
  let bp = null;
  // MAP goes on the age line: the reading line stays short enough for a tablet's tile.
  const bp_html = (arterial, sys, dia, map, r, note) => vital_html(arterial ? 'ART' : 'BP', `${round(sys)}/${round(dia)}`,
    '', { ...r, extra: `<span class="map">MAP ${round(map)}</span> · ` }, arterial ? arterial_stale_ms : nibp_stale_ms, note);
  if (bed.bp) {
    const m = bed.bp.msg;
    bp = bp_html(m.source === 'ARTERIAL', m.systolic_mmhg, m.diastolic_mmhg, m.mean_mmhg ?? (m.systolic_mmhg + 2 * m.diastolic_mmhg) / 3,
      { t: bed.bp.rx_ms }, invalid(bed.bp));
  } else if (points?.length) {
    // A page opened late: the last reading of vigild's trend, aged on vigild's clock.
    const last = last_bp(points);
    if (last) bp = bp_html(last.source === 'ARTERIAL', last.sys, last.dia, last.map ?? (last.sys + 2 * last.dia) / 3, { t: last.t, vigil: true });
  }
  return `<div class="vitals">${hr ?? vital_html('HR')}${bp ?? vital_html('BP')}</div>`;
}

export function phase_html(s) {
  if (!s || s.phase === 'IDLE' || s.phase === 'UNSPECIFIED') return '<div class="phase-line"><span class="phase">IDLE</span></div>';
  if (s.phase === 'INFUSION') {
    const planned_ms = s.planned_minutes * 60_000;
    return `<div class="phase-line"><span class="phase infusion">INFUSION</span>
      <span class="clock" data-clock="elapsed" data-t="${s.infusion_started_at_ms}" data-limit-ms="${planned_ms}"></span>
      <span class="planned">/ ${fmt_clock(planned_ms)}</span><span class="overrun-word">OVERRUN</span>
      ${s.paused ? '<span class="paused">PAUSED</span>' : ''}</div>`;
  }
  const lasted = s.infusion_stopped_at_ms && s.infusion_started_at_ms ? `infusion ${fmt_clock(s.infusion_stopped_at_ms - s.infusion_started_at_ms)}` : '';
  return `<div class="phase-line"><span class="phase recovery">${esc(s.phase)}</span>
    <span class="planned">${lasted}</span>
    ${s.recovery_ends_at_ms ? `<span class="planned">ends in <span data-clock="until" data-t="${s.recovery_ends_at_ms}"></span></span>` : ''}</div>`;
}

// One alarm: its priority by word and colour, why (vigild's text without the "acknowledged
// by" it appends: the line says who, once), since when, and Acknowledge while it calls.
export function alarm_html(a, pending_acks) {
  const priority = esc(a.priority);
  let action = '';
  if (needs_ack(a) && pending_acks.has(a.alarm_id)) action = '<button class="ack" disabled>Ack sent…</button>';
  else if (needs_ack(a)) action = `<button class="ack" data-ack="${esc(a.alarm_id)}">Acknowledge</button>`;
  const acked = a.state === 'ACKNOWLEDGED' ? `<span class="acked">Acknowledged by <b>${esc(a.acknowledged_by || 'someone')}</b></span> · ` : '';
  const latched = a.state === 'LATCHED' ? ' · <b>condition over, not yet acknowledged</b>' : '';
  const level = a.escalation_level > 0 ? ` · escalated ×${a.escalation_level}` : '';
  const text = a.reason || without_ack(a.text) || a.condition;
  return `<li class="alarm p-${priority} s-${esc(a.state)}${needs_ack(a) ? ' calling' : ''}" data-alarm="${esc(a.alarm_id)}">
    <span class="prio">${priority}</span><div class="text" title="${esc(text)}">${esc(text)}</div>
    <div class="meta">${acked}started <span data-clock="ago" data-vigil data-t="${a.onset_ms}"></span> ago${level}${latched}</div>
    <span class="action">${action}</span></li>`;
}

// The highest priority among the bed's alarms that still call for someone, or undefined.
function top_calling(bed) {
  const calling = bed.alarms.filter(needs_ack);
  return ['HIGH', 'MEDIUM', 'LOW'].find((p) => calling.some((a) => a.priority === p));
}

// Those calling first, then by priority, then newest: a tile shows the first two.
export function alarms_by_urgency(alarms) {
  const rank = (a) => [needs_ack(a) ? 1 : 0, priority_rank[a.priority] ?? 0, a.onset_ms];
  return [...alarms].sort((a, b) => {
    const [ka, kb] = [rank(a), rank(b)];
    for (let i = 0; i < ka.length; i += 1) if (ka[i] !== kb[i]) return kb[i] - ka[i];
    return 0;
  });
}

export function monitor_html(bed) {
  if (!bed.monitor) return '<span class="monitor unknown" title="no monitor status yet">no monitor</span>';
  return bed.monitor.state === 'ONLINE' ? '<span class="monitor on" title="monitor online">● online</span>'
    : `<span class="monitor off">MONITOR ${esc(bed.monitor.state)}</span>`;
}

// A tile's parts, each redrawn only when its own markup changed: a new HR reading does not
// replace the Acknowledge button under a nurse's finger. A narrow tile (a tablet's) lists one
// alarm, a wider one two; the bed's detail lists them all.
function tile_parts(bed, pending_acks, narrow) {
  const tile_alarms = narrow ? 1 : 2;
  const sorted = alarms_by_urgency(bed.alarms);
  const more = sorted.length - tile_alarms;
  const alarms = sorted.length ? `<ul class="alarms">${sorted.slice(0, tile_alarms).map((a) => alarm_html(a, pending_acks)).join('')}${
    more > 0 ? `<li class="more">+${more} more alarm${more > 1 ? 's' : ''} — tap the bed for all</li>` : ''}</ul>` : '';
  // Long ids get a smaller font, and an ellipsis past that: never a break inside the id.
  const size = bed.id.length > 14 ? ' longer' : bed.id.length > 9 ? ' long' : '';
  return {
    '.tile-head': `<h2 class="bed-id${size}" title="${esc(bed.id)}">${esc(bed.id)}</h2>${monitor_html(bed)}`,
    '.phase-wrap': phase_html(bed.session),
    '.vitals-wrap': vitals_html(bed),
    '.alarms-wrap': alarms,
  };
}
const tile_skeleton = `<div class="tile-head"></div><div class="phase-wrap"></div>
  <div class="tile-main"><div class="vitals-wrap"></div><div class="chart"></div></div><div class="alarms-wrap"></div>`;

// The window a tile's trend shows: the session so far, or in IDLE the last 60 minutes.
export function session_window(bed, vigil_now) {
  const s = bed.session;
  let t0 = vigil_now - 60 * 60_000;
  if (s && ['INFUSION', 'RECOVERY'].includes(s.phase) && s.infusion_started_at_ms) t0 = s.infusion_started_at_ms;
  else if (bed.trend?.session_id && bed.trend.from_ms) t0 = bed.trend.from_ms;
  return [Math.min(t0, vigil_now - 60_000), vigil_now];
}

// Keyed by bed id; each part of a tile is replaced only when its markup changed.
const drawn = new WeakMap();
export function render_beds(container, beds, pending_acks, { narrow = false } = {}) {
  const existing = new Map([...container.children].map((el) => [el.dataset.bed, el]));
  beds.forEach((bed, i) => {
    let el = existing.get(bed.id);
    if (!el) {
      el = document.createElement('article');
      el.dataset.bed = bed.id;
      el.innerHTML = tile_skeleton;
      el.querySelector('.chart').setAttribute('aria-label', `trend of ${bed.id}`);
      drawn.set(el, {});
    }
    existing.delete(bed.id);
    const last = drawn.get(el);
    for (const [sel, html] of Object.entries(tile_parts(bed, pending_acks, narrow))) {
      if (last[sel] !== html) { el.querySelector(sel).innerHTML = html; last[sel] = html; }
    }
    const top = top_calling(bed);
    el.className = `tile${top ? ` calls-${top}` : ''}`;
    if (container.children[i] !== el) container.insertBefore(el, container.children[i] ?? null);
  });
  for (const el of existing.values()) el.remove();
}

// Each tile's trend at its laid-out size (redrawn when its data, size or the 10 s step changed).
export function draw_tile_trends(container, ward, config, vigil_now) {
  for (const el of container.children) {
    const bed = ward.beds.get(el.dataset.bed);
    if (!bed) continue;
    const [t0, t1] = session_window(bed, vigil_now);
    const points = bed_points(bed);
    const arterial = bed.bp ? bed.bp.msg.source === 'ARTERIAL' : last_bp(points)?.source === 'ARTERIAL';
    const lines = chart_lines(bed, config, { arterial });
    const episodes = [...bed.episodes.values()];
    const key = `${bed.version}|${Math.floor(vigil_now / 10_000)}|${JSON.stringify(lines)}|${episodes.map((e) => e.alarm_id + e.end_ms).join()}`;
    draw_trend(el.querySelector('.chart'), key, (width, height) => trend_svg(points, { width, height, t0, t1, lines, episodes }));
  }
}

export function render_banners(container, ward) {
  const banners = [...ward.escalations.values()].sort((a, b) => b.rx_ms - a.rx_ms);
  container.innerHTML = banners.map(({ event: e }) => `<div class="banner p-${esc(e.priority)}" role="alert">
    <span class="prio">ESCALATED</span><span class="bed">${esc(e.bed_id)}</span>
    <span class="text">${esc(e.text || e.condition)} (${esc(e.priority)}, level ${e.escalation_level})</span>
    <button class="dismiss" data-dismiss="${esc(e.alarm_id)}">Dismiss</button></div>`).join('');
}

// Refreshes every time-dependent text; now_ms is this page's clock, vigil_now_ms vigild's.
export function tick(root, now_ms, vigil_now_ms) {
  const now_for = (el) => ('vigil' in el.dataset ? vigil_now_ms : now_ms);
  for (const el of root.querySelectorAll('[data-clock]')) {
    const t = Number(el.dataset.t);
    const kind = el.dataset.clock;
    if (kind === 'ago') el.textContent = fmt_ago(now_for(el) - t);
    else if (kind === 'until') el.textContent = fmt_clock(t - vigil_now_ms);
    else if (kind === 'elapsed') {
      const elapsed = vigil_now_ms - t;
      const over = elapsed > Number(el.dataset.limitMs);
      el.textContent = fmt_clock(elapsed);
      el.closest('.phase-line').classList.toggle('overrun', over);
    }
  }
  for (const el of root.querySelectorAll('[data-stale]')) {
    el.classList.toggle('stale', now_for(el) - Number(el.dataset.stale) > Number(el.dataset.staleMs));
  }
}
