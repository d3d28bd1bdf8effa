// One bed, opened by tapping its tile: a large trend over the session, 1 h or 8 h, the bed's
// open alarms (acknowledged from here too), and its alarm history from vigild's record.
import { needs_ack, without_ack } from './ward.js';
import { chart_lines, draw_trend, trend_svg } from './trend.js';
import { alarm_html, alarms_by_urgency, bed_points, esc, monitor_html, phase_html, session_window, vitals_html } from './view.js';

const ranges = { session: 'Session', '1h': '1 h', '8h': '8 h' };
const fmt_time = (t) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });

function set_html(el, html) {
  if (el.dataset.last !== html) {
    el.innerHTML = html;
    el.dataset.last = html;
  }
}

// The record's events grouped into one line per alarm, newest first.
function history_rows(events) {
  const by_alarm = new Map();
  for (const e of events) {
    if (!by_alarm.has(e.alarm_id)) by_alarm.set(e.alarm_id, { id: e.alarm_id, condition: e.condition, kind: e.kind, events: [] });
    by_alarm.get(e.alarm_id).events.push(e);
  }
  const order = { LOW: 1, MEDIUM: 2, HIGH: 3 };
  return [...by_alarm.values()].map((a) => {
    const first = a.events[0];
    const last = a.events.at(-1);
    const top = a.events.reduce((p, e) => ((order[e.priority] ?? 0) > (order[p] ?? 0) ? e.priority : p), first.priority);
    const ack = a.events.find((e) => e.acknowledged_by);
    const raised = a.events.find((e) => e.transition === 'RAISED') ?? first;
    return { ...a, priority: top, onset_ms: first.onset_ms || first.at_ms, ended_ms: last.state === 'ENDED' ? last.at_ms : 0,
      text: raised.text, acknowledged_by: ack?.acknowledged_by, acknowledged_ms: ack?.at_ms };
  }).sort((a, b) => b.onset_ms - a.onset_ms);
}

export class detail_view {
  // ward: the ward; history: a history_client; config: the limits; pending_acks: alarm_id -> ms
  constructor({ el, ward, history, config, pending_acks }) {
    Object.assign(this, { el, ward, history, config, pending_acks });
    this.bed_id = null;
    this.range = 'session';
    this.answer = null; // { range, events, trend, at_ms } or { error }
    this.asked = 0;
  }

  get is_open() {
    return this.bed_id !== null;
  }

  open(bed_id) {
    this.bed_id = bed_id;
    this.el.dataset.bed = bed_id;
    this.el.hidden = false;
    document.body.classList.add('detail-open');
    this.set_range('session');
  }

  close() {
    this.bed_id = null;
    this.el.hidden = true;
    document.body.classList.remove('detail-open');
    for (const part of this.el.querySelectorAll('[data-last], [data-key]')) { delete part.dataset.last; delete part.dataset.key; }
  }

  window(vigil_now) {
    const bed = this.ward.beds.get(this.bed_id);
    if (this.range === '1h') return [vigil_now - 3600_000, vigil_now];
    if (this.range === '8h') return [vigil_now - 8 * 3600_000, vigil_now];
    return session_window(bed, vigil_now);
  }

  // Asks vigild for the range's alarm history and its trend at the record's 10 s resolution.
  set_range(range) {
    this.range = range;
    this.answer = null;
    const asked = (this.asked += 1);
    const [since_ms] = this.window(this.ward.vigil_now(Date.now()));
    this.history.request_all({ bed_id: this.bed_id, since_ms: Math.floor(since_ms), until_ms: 0, trend: true, limit: 5000 })
      .then((r) => {
        if (asked !== this.asked) return;
        this.answer = { range, ...r };
        this.ward.on_history_events(r.events);
      })
      .catch((e) => { if (asked === this.asked) this.answer = { range, error: e.message }; })
      .finally(() => this.render(Date.now()));
  }

  render(now) {
    if (!this.is_open) return;
    const bed = this.ward.beds.get(this.bed_id);
    if (!bed) return;
    const vigil_now = this.ward.vigil_now(now);
    const buttons = Object.entries(ranges).map(([key, label]) =>
      `<button data-range="${key}" aria-pressed="${this.range === key}">${label}</button>`).join('');
    set_html(this.el.querySelector('.detail-head'), `<h2 class="bed-id" title="${esc(bed.id)}">${esc(bed.id)}</h2>${monitor_html(bed)}
      <span class="ranges" role="group" aria-label="time range">${buttons}</span><button class="close" data-close>Close</button>`);
    const a = this.answer;
    const newest = [bed.trend?.points, a?.trend].filter((p) => p?.length).sort((x, y) => x.at(-1).at_ms - y.at(-1).at_ms).at(-1);
    set_html(this.el.querySelector('.detail-status'), `${phase_html(bed.session)}${vitals_html(bed, newest)}`);

    const [t0, t1] = this.window(vigil_now);
    // vigild's 10 s trend once it answered, then the readings since; until then the tile's.
    const points = a?.trend ? a.trend.concat(bed_points(bed).filter((p) => p.at_ms > a.at_ms)) : bed_points(bed);
    const arterial = bed.bp?.msg.source === 'ARTERIAL';
    const lines = chart_lines(bed, this.config, { detail: true, arterial });
    const episodes = [...bed.episodes.values()];
    const key = `${this.range}|${bed.version}|${a ? a.at_ms ?? 'e' : '-'}|${Math.floor(vigil_now / 10_000)}|${JSON.stringify(lines)}|${episodes.map((e) => e.alarm_id + e.end_ms).join()}`;
    draw_trend(this.el.querySelector('.detail-chart'), key, (width, height) =>
      trend_svg(points, { width, height, t0, t1, detail: true, lines, episodes }));

    const open = alarms_by_urgency(bed.alarms).filter((x) => x.kind !== 'NOTICE' || needs_ack(x));
    const open_html = open.length ? `<ul class="alarms">${open.map((x) => alarm_html(x, this.pending_acks)).join('')}</ul>` : '<p class="no-alarms">No open alarms</p>';
    let history;
    if (!a) history = '<p class="history-state">Asking vigild for the record…</p>';
    else if (a.error) history = `<p class="history-state bad">No alarm history: ${esc(a.error)}</p>`;
    else {
      const rows = history_rows(a.events.filter((e) => e.bed_id === bed.id && e.kind !== 'NOTICE'));
      history = `<p class="history-state">${rows.length} alarm${rows.length === 1 ? '' : 's'} since ${fmt_time(t0)}${a.truncated ? ' (more than one answer holds: the oldest are shown)' : ''}</p>
        <ol class="history">${rows.map((r) => `<li class="hist p-${esc(r.priority)}" data-alarm="${esc(r.id)}">
          <span class="prio">${esc(r.priority)}</span><div class="text">${esc(without_ack(r.text) || r.condition)}</div>
          <div class="meta">${esc(r.condition)} · ${fmt_time(r.onset_ms)}${r.ended_ms ? `–${fmt_time(r.ended_ms)}` : ' · still open'}${
            r.acknowledged_by ? ` · acknowledged by <b>${esc(r.acknowledged_by)}</b> at ${fmt_time(r.acknowledged_ms)}` : ''}</div></li>`).join('')}</ol>`;
    }
    set_html(this.el.querySelector('.detail-alarms'), `<h3>Open alarms</h3>${open_html}<h3>Alarm history (vigild's record)</h3>${history}`);
  }
}
