// What the dashboard knows about the ward, built only from what arrives on the broker.
// No DOM here: main.js feeds messages in, view.js draws the result.

export const priority_rank = { LOW: 1, MEDIUM: 2, HIGH: 3 };
const phase_rank = { INFUSION: 2, RECOVERY: 1 };

// Alarms that still call for someone: ACTIVE, or LATCHED (the condition ended but nobody
// acknowledged it; IEC 60601-1-8 keeps a latched alarm signalling until then).
export const needs_ack = (alarm) => alarm.kind !== 'NOTICE' && (alarm.state === 'ACTIVE' || alarm.state === 'LATCHED');

const bed_routes = {
  'alarms/active': ['ActiveAlarms', (bed, m) => { bed.alarms = m ? m.alarms.sort((a, b) => b.onset_ms - a.onset_ms) : []; }],
  'session': ['SessionState', (bed, m) => { bed.session = m; }],
  'monitor/status': ['MonitorStatus', (bed, m) => { bed.monitor = m; }],
  'vitals/heart_rate': ['HeartRate', (bed, m, rx_ms) => { if (m) bed.hr = reading(bed.hr, m, rx_ms); }],
  'vitals/blood_pressure': ['BloodPressure', (bed, m, rx_ms) => { if (m) bed.bp = reading(bed.bp, m, rx_ms); }],
};

// An INVALID reading (probe off, artefact) is no measurement: the last valid one stays on
// screen, ageing into grey, and the tile says the newest one was invalid.
function reading(old, msg, rx_ms) {
  if (msg.validity === 'INVALID') return old ? { ...old, invalid_since_ms: old.invalid_since_ms ?? rx_ms } : null;
  return { msg, rx_ms };
}

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
  }

  bed(id) {
    if (!this.beds.has(id)) this.beds.set(id, { id, alarms: [], reasons: new Map(), session: null, monitor: null, hr: null, bp: null });
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
        route[1](bed, decode(route[0]), rx_ms);
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
      a.reason = says_why || !bed.reasons.has(a.alarm_id) ? a.text : bed.reasons.get(a.alarm_id);
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
