// vigild's record, asked for over MQTT 5 request/response (README "The record"): a
// HistoryRequest on {prefix}/history/request with this page's own Response Topic and a
// Correlation Data per request; vigild answers with one HistoryResponse carrying it back.

export class history_client {
  // publish(topic, payload, options, callback): the MQTT client's.
  constructor({ prefix, client_id, codec, publish }) {
    this.request_topic = `${prefix}/history/request`;
    this.response_topic = `${prefix}/history/response/${client_id}`;
    Object.assign(this, { codec, publish, client_id });
    this.waiting = new Map(); // correlation -> { ok, fail, timer }
    this.count = 0;
  }

  // One request; resolves with the decoded HistoryResponse, rejects on error or timeout.
  request(req, timeout_ms = 10_000) {
    const correlation = `${this.client_id}-${(this.count += 1)}`;
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => {
        this.waiting.delete(correlation);
        fail(new Error(`vigild did not answer within ${timeout_ms / 1000} s`));
      }, timeout_ms);
      this.waiting.set(correlation, { ok, fail, timer });
      const payload = this.codec.encode('HistoryRequest', req);
      this.publish(this.request_topic, payload, { qos: 1, properties: { responseTopic: this.response_topic, correlationData: correlation } }, (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.waiting.delete(correlation);
        fail(new Error(`request not sent: ${err.message}`));
      });
    });
  }

  // Asks again from where a truncated answer stopped (events and trend points of the last
  // millisecond come again and are dropped), up to max_pages answers.
  async request_all(req, max_pages = 8) {
    const events = new Map();
    const trend = new Map();
    let sessions = [];
    let r;
    let since = req.since_ms ?? 0;
    for (let page = 0; page < max_pages; page += 1) {
      r = await this.request({ ...req, since_ms: since });
      if (r.error) throw new Error(r.error);
      for (const e of r.events) events.set(`${e.bed_id}|${e.event_seq}|${e.alarm_id}`, e);
      for (const p of r.trend) trend.set(`${p.at_ms}|${p.series}`, p);
      if (r.sessions.length) sessions = r.sessions;
      if (!r.truncated) break;
      const next = Math.min(...[r.events.at(-1)?.at_ms, r.trend.at(-1)?.at_ms].filter(Number.isFinite));
      if (!(next > since)) break;
      since = next;
    }
    return {
      events: [...events.values()].sort((a, b) => a.at_ms - b.at_ms),
      trend: [...trend.values()].sort((a, b) => a.at_ms - b.at_ms),
      sessions, truncated: r.truncated, at_ms: r.at_ms,
    };
  }

  // Returns true when the message was an answer to this page.
  on_message(topic, payload, packet) {
    if (topic !== this.response_topic) return false;
    const raw = packet.properties?.correlationData;
    const correlation = raw ? new TextDecoder().decode(raw) : '';
    const waiter = this.waiting.get(correlation);
    if (!waiter) return true;
    this.waiting.delete(correlation);
    clearTimeout(waiter.timer);
    try {
      waiter.ok(this.codec.decode('HistoryResponse', payload));
    } catch (e) {
      waiter.fail(e);
    }
    return true;
  }
}
