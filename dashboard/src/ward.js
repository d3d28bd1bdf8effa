// What the dashboard knows about the ward, built only from what arrives on the broker.
// No DOM here: main.js feeds messages in, view.js draws the result.

export const priority_rank = { LOW: 1, MEDIUM: 2, HIGH: 3 };
const phase_rank = { INFUSION: 2, RECOVERY: 1 };

// Alarms that still call for someone: ACTIVE, or LATCHED (the condition ended but nobody
// acknowledged it; IEC 60601-1-8 keeps a latched alarm signalling until then).
export const needs_ack = (alarm) => alarm.kind !== 'NOTICE' && (alarm.state === 'ACTIVE' || alarm.state === 'LATCHED');

// Each route: the message type, and what it does to the bed (vigil_ms: the receive time on
// vigild's clock, which is the clock of the trend's points).
const bed_routes = {
  'alarms/active': ['ActiveAlarms', (bed, m) => {
    bed.alarms = m ? m.alarms.sort((a, b) => b.onset_ms - a.onset_ms) : [];
    episodes_from_active(bed, m?.at_ms);
  }],
  'alarms/events': ['AlarmEvent', (bed, m) => { if (m) note_event(bed, m); }],
  'session': ['SessionState', (bed, m) => { bed.session = m; }],
  'monitor/status': ['MonitorStatus', (bed, m) => { bed.monitor = m; }],
  'trend': ['BedTrend', (bed, m) => {
    bed.trend = m;
    // What the trend now holds is no longer needed from the live tail.
    if (m) bed.live = bed.live.filter((p) => p.at_ms > m.at_ms);
    bed.version += 1;
  }],
  'vitals/heart_rate': ['HeartRate', (bed, m, rx_ms, vigil_ms) => {
    if (!m) return;
    bed.hr = reading(bed.hr, m, rx_ms);
    if (m.validity !== 'INVALID') live_point(bed, vigil_ms, 'hr', m.bpm);
  }],
  'vitals/blood_pressure': ['BloodPressure', (bed, m, rx_ms, vigil_ms) => {
    if (!m) return;
    bed.bp = reading(bed.bp, m, rx_ms);
    if (m.validity === 'INVALID') return;
    const kind = m.source === 'ARTERIAL' ? 'art' : 'nibp';
    live_point(bed, vigil_ms, `${kind}_sys`, m.systolic_mmhg);
    live_point(bed, vigil_ms, `${kind}_dia`, m.diastolic_mmhg);
    live_point(bed, vigil_ms, `${kind}_mean`, m.mean_mmhg ?? (m.systolic_mmhg + 2 * m.diastolic_mmhg) / 3);
  }],
};

// Readings that arrived after the bed's last BedTrend, in the trend's own point format, so the
// chart is current between vigild's trend updates (and without them, from an older vigild).
const live_keep_ms = 8 * 3600_000;
function live_point(bed, at_ms, series, v) {
  if (!Number.isFinite(v)) return;
  bed.live.push({ at_ms, series, n: 1, lo: v, mean: v, hi: v });
  if (bed.live.length > 40_000 || bed.live[0].at_ms < at_ms - live_keep_ms) {
    bed.live = bed.live.filter((p) => p.at_ms >= at_ms - live_keep_ms).slice(-30_000);
  }
  bed.version += 1;
}

// Alarm episodes for the time axis: alarm_id -> { condition, priority, onset_ms, end_ms }, from
// the retained open alarms, the live events and the record asked for at start.
const priority_word = (a, b) => ((priority_rank[a] ?? 0) >= (priority_rank[b] ?? 0) ? a : b);
function note_event(bed, e) {
  if (e.kind === 'NOTICE') return;
  const ep = bed.episodes.get(e.alarm_id) ?? { alarm_id: e.alarm_id, condition: e.condition, priority: e.priority, onset_ms: e.onset_ms, end_ms: 0 };
  ep.priority = priority_word(e.priority, ep.priority);
  ep.onset_ms = Math.min(ep.onset_ms || e.onset_ms, e.onset_ms || ep.onset_ms);
  if (e.state === 'ENDED') ep.end_ms = e.at_ms;
  bed.episodes.set(e.alarm_id, ep);
  // The limit vigild itself evaluated against: the chart draws it rather than a configured one.
  if (e.limit !== undefined && (!bed.limits.has(e.condition) || bed.limits.get(e.condition).at_ms <= e.at_ms)) {
    bed.limits.set(e.condition, { value: e.limit, priority: e.priority, at_ms: e.at_ms });
  }
  bed.version += 1;
}

function episodes_from_active(bed, at_ms) {
  const open = new Set();
  for (const a of bed.alarms) { note_event(bed, a); open.add(a.alarm_id); }
  for (const ep of bed.episodes.values()) if (!ep.end_ms && !open.has(ep.alarm_id)) ep.end_ms = at_ms || Date.now();
}

// An INVALID reading (probe off, artefact) is no measurement: the last valid one stays on
// screen, ageing into grey, and the tile says the newest one was invalid.
function reading(old, msg, rx_ms) {
  if (msg.validity === 'INVALID') return old ? { ...old, invalid_since_ms: old.invalid_since_ms ?? rx_ms } : null;
  return { msg, rx_ms };
}

// vigild's ACKNOWLEDGED text is "<reason>; acknowledged by <name> at ...": the tile says who
// acknowledged once, beside the alarm, so the text keeps only the reason.
export const without_ack = (text) => String(text ?? '').replace(/; (latched alarm )?acknowledged by .*$/, '');

export class ward {
  constructor(prefix) {
    this.prefix = prefix;
    this.beds = new Map();
    this.daemons = new Map(); // instance -> { msg, rx_ms }
    this.escalations = new Map(); // alarm_id -> { event, rx_ms }
    // vigild's clock minus ours, learnt from live heartbeats, so that ages of vigild's
    // timestamps do not depend on this station's clock being right.
    this.clock_offset_ms = 0;
    this.decode_errors = 0;
    this.early_history = new Map(); // bed_id -> AlarmEvents from the record, for beds not yet seen
  }

  bed(id) {
    if (!this.beds.has(id)) {
      this.beds.set(id, {
        id, alarms: [], reasons: new Map(), session: null, monitor: null, hr: null, bp: null,
        trend: null, live: [], episodes: new Map(), limits: new Map(), version: 0,
      });
      for (const e of this.early_history.get(id) ?? []) note_event(this.beds.get(id), e);
      this.early_history.delete(id);
    }
    return this.beds.get(id);
  }

  vigil_now(now_ms) {
    return now_ms + this.clock_offset_ms;
  }

  topics() {
    const p = this.prefix;
    return [...Object.keys(bed_routes).map((r) => `${p}/beds/+/${r}`), `${p}/escalations`, `${p}/daemon/+/status`];
  }

  // Returns false when the topic is not one of ours or the payload does not decode.
  on_message(topic, payload, rx_ms, retained, codec) {
    if (!topic.startsWith(this.prefix + '/')) return false;
    const parts = topic.slice(this.prefix.length + 1).split('/');
    const decode = (type) => (payload.length === 0 ? null : codec.decode(type, payload));
    try {
      if (parts[0] === 'beds' && parts.length >= 3) {
        const route = bed_routes[parts.slice(2).join('/')];
        if (!route) return false;
        const bed = this.bed(parts[1]);
        route[1](bed, decode(route[0]), rx_ms, this.vigil_now(rx_ms));
        if (route[0] === 'ActiveAlarms') {
          this.#remember_reasons(bed);
          this.#drop_answered_escalations(bed);
        }
        return true;
      }
      if (parts[0] === 'daemon' && parts.length === 3 && parts[2] === 'status') {
        const msg = decode('DaemonStatus');
        if (!msg) this.daemons.delete(parts[1]);
        else {
          this.daemons.set(parts[1], { msg, rx_ms });
          if (!retained && msg.at_ms > 0) this.clock_offset_ms = msg.at_ms - rx_ms;
        }
        return true;
      }
      if (topic === `${this.prefix}/escalations`) {
        const event = decode('AlarmEvent');
        if (event) this.escalations.set(event.alarm_id, { event, rx_ms });
        return true;
      }
    } catch {
      this.decode_errors += 1;
    }
    return false;
  }

  // Alarm events from vigild's record (a HistoryResponse): episodes and limits of alarms that
  // ended before this page was opened.
  // A bed not (yet) known keeps them until it reports: a bed that no longer reports gets no tile.
  on_history_events(events) {
    for (const e of events) {
      if (this.beds.has(e.bed_id)) note_event(this.beds.get(e.bed_id), e);
      else this.early_history.set(e.bed_id, [...(this.early_history.get(e.bed_id) ?? []), e]);
    }
  }

  dismiss_escalation(alarm_id) {
    this.escalations.delete(alarm_id);
  }

  // `text` describes the alarm's latest transition: after an acknowledgement it reads
  // "... acknowledged by ...", no longer why the alarm is there. The text of a RAISED event,
  // or of an ESCALATED one caused by a measurement, says why; it is kept as the alarm's
  // `reason` for as long as the alarm is open (a dashboard opened later shows `text`).
  #remember_reasons(bed) {
    const open = new Map();
    for (const a of bed.alarms) {
      const says_why = a.transition === 'RAISED' || (a.transition === 'ESCALATED' && a.value !== undefined);
      a.reason = says_why || !bed.reasons.has(a.alarm_id) ? without_ack(a.text) : bed.reasons.get(a.alarm_id);
      open.set(a.alarm_id, a.reason);
    }
    bed.reasons = open;
  }

  // An escalation banner stays until dismissed or until its alarm is no longer ACTIVE.
  #drop_answered_escalations(bed) {
    for (const [id, { event }] of this.escalations) {
      if (event.bed_id !== bed.id) continue;
      const now = bed.alarms.find((a) => a.alarm_id === id);
      if (!now || now.state !== 'ACTIVE') this.escalations.delete(id);
    }
  }

  // Why monitoring is not running, one line per reason; empty when it is.
  daemon_problems(now_ms, stale_ms) {
    if (this.daemons.size === 0) return ['No vigild instance has reported its status on this broker.'];
    const problems = [];
    for (const [instance, { msg }] of this.daemons) {
      const age = this.vigil_now(now_ms) - msg.at_ms;
      if (msg.state !== 'ONLINE') problems.push(`vigild "${instance}" is ${msg.state}.`);
      else if (age > stale_ms) problems.push(`vigild "${instance}" has sent no heartbeat for ${Math.round(age / 1000)} s.`);
    }
    return problems;
  }

  // Most urgent first: an unanswered alarm's priority, then any alarm's, then a monitor
  // that is offline, then beds under infusion, then by bed id.
  sorted_beds() {
    const key = (bed) => {
      const top = (list) => Math.max(0, ...list.map((a) => priority_rank[a.priority] ?? 0));
      return [
        top(bed.alarms.filter(needs_ack)),
        top(bed.alarms.filter((a) => a.kind !== 'NOTICE')),
        bed.monitor?.state === 'OFFLINE' ? 1 : 0,
        phase_rank[bed.session?.phase] ?? 0,
      ];
    };
    const keyed = [...this.beds.values()].map((bed) => [key(bed), bed]);
    keyed.sort(([ka, a], [kb, b]) => {
      for (let i = 0; i < ka.length; i += 1) if (ka[i] !== kb[i]) return kb[i] - ka[i];
      return a.id.localeCompare(b.id, undefined, { numeric: true });
    });
    return keyed.map(([, bed]) => bed);
  }

  // The highest priority among alarms that still call for someone, and their ids.
  calling() {
    let priority = null;
    const ids = [];
    for (const bed of this.beds.values()) {
      for (const a of bed.alarms.filter(needs_ack)) {
        ids.push(a.alarm_id);
        if ((priority_rank[a.priority] ?? 0) > (priority_rank[priority] ?? 0)) priority = a.priority;
      }
    }
    return { priority, ids };
  }
}
