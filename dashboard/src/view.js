// Drawing the ward. Structure is redrawn only when a message changes it; the texts that
// move with time (ages, the infusion clock, stale greying) are refreshed in place by tick(),
// so an Acknowledge button is never replaced under a nurse's finger.
import { needs_ack } from './ward.js';

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

function vital_html(label, value, unit, r, stale_ms, note) {
  if (!r) return `<div class="vital none"><span class="label">${label}</span><span class="value">—</span></div>`;
  return `<div class="vital" data-stale="${r.rx_ms}" data-stale-ms="${stale_ms}">
    <span class="label">${label}</span><span class="value">${value}</span><span class="unit">${unit}</span>
    <span class="age"><span data-clock="ago" data-t="${r.rx_ms}"></span> ago<span class="stale-word"> · stale</span>${note}</span></div>`;
}

function vitals_html(bed) {
  const invalid = (r) => (r?.invalid_since_ms ? ' · <b>newest reading invalid</b>' : '');
  const hr = bed.hr && vital_html('HR', round(bed.hr.msg.bpm), '/min', bed.hr, hr_stale_ms, invalid(bed.hr));
  let bp = null;
  if (bed.bp) {
    const m = bed.bp.msg;
    const arterial = m.source === 'ARTERIAL';
    const map = m.mean_mmhg ?? (m.systolic_mmhg + 2 * m.diastolic_mmhg) / 3;
    bp = vital_html(arterial ? 'ART' : 'BP', `${round(m.systolic_mmhg)}/${round(m.diastolic_mmhg)}`,
      `mmHg <span class="map">MAP ${round(map)}</span>`, bed.bp, arterial ? arterial_stale_ms : nibp_stale_ms, invalid(bed.bp));
  }
  return `<div class="vitals">${hr ?? vital_html('HR')}${bp ?? vital_html('BP')}</div>`;
}

function phase_html(s) {
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

function alarm_html(a, pending_acks) {
  const priority = esc(a.priority);
  let action = '';
  if (a.state === 'ACKNOWLEDGED') action = `<span class="acked">Acknowledged by <b>${esc(a.acknowledged_by || 'someone')}</b></span>`;
  else if (needs_ack(a) && pending_acks.has(a.alarm_id)) action = '<button class="ack" disabled>Ack sent…</button>';
  else if (needs_ack(a)) action = `<button class="ack" data-ack="${esc(a.alarm_id)}">Acknowledge</button>`;
  const latched = a.state === 'LATCHED' ? ' · <b>condition over, not yet acknowledged</b>' : '';
  const level = a.escalation_level > 0 ? ` · escalated ×${a.escalation_level}` : '';
  return `<li class="alarm p-${priority} s-${esc(a.state)}${needs_ack(a) ? ' calling' : ''}">
    <div class="alarm-top"><span class="prio">${priority}</span>
      <span class="meta">started <span data-clock="ago" data-vigil data-t="${a.onset_ms}"></span> ago${level}${latched}</span>
      <span class="action">${action}</span></div>
    <div class="text">${esc(a.reason || a.text || a.condition)}</div></li>`;
}

// The highest priority among the bed's alarms that still call for someone, or undefined.
function top_calling(bed) {
  const calling = bed.alarms.filter(needs_ack);
  return ['HIGH', 'MEDIUM', 'LOW'].find((p) => calling.some((a) => a.priority === p));
}

function tile_html(bed, pending_acks) {
  const monitor = bed.monitor ? (bed.monitor.state === 'ONLINE' ? '<span class="monitor on">monitor online</span>'
    : `<span class="monitor off">MONITOR ${esc(bed.monitor.state)}</span>`) : '<span class="monitor unknown">monitor: no status</span>';
  const alarms = bed.alarms.length ? `<ul class="alarms">${bed.alarms.map((a) => alarm_html(a, pending_acks)).join('')}</ul>`
    : '<p class="no-alarms">No open alarms</p>';
  return `<div class="tile-head"><h2>${esc(bed.id)}</h2>${monitor}</div>
    ${phase_html(bed.session)}${vitals_html(bed)}${alarms}`;
}

// Keyed by bed id; a tile's DOM is replaced only when its markup changed.
const drawn = new WeakMap();
export function render_beds(container, beds, pending_acks) {
  const existing = new Map([...container.children].map((el) => [el.dataset.bed, el]));
  beds.forEach((bed, i) => {
    let el = existing.get(bed.id);
    if (!el) {
      el = document.createElement('article');
      el.dataset.bed = bed.id;
    }
    existing.delete(bed.id);
    const html = tile_html(bed, pending_acks);
    if (drawn.get(el) !== html) {
      el.innerHTML = html;
      drawn.set(el, html);
    }
    const top = top_calling(bed);
    el.className = `tile${top ? ` calls-${top}` : ''}`;
    if (container.children[i] !== el) container.insertBefore(el, container.children[i] ?? null);
  });
  for (const el of existing.values()) el.remove();
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
    el.classList.toggle('stale', now_ms - Number(el.dataset.stale) > Number(el.dataset.staleMs));
  }
}
