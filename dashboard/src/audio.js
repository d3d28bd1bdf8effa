// Alarm tones by priority, after the burst shapes of IEC 60601-1-8: HIGH a ten-pulse burst
// (3+2, 3+2) every 6 s, MEDIUM three pulses every 8 s, LOW two pulses every 20 s. A
// square wave gives the harmonics the standard asks for. This is a secondary alarm display:
// the bedside monitor keeps its own sound.

const pause_ms = 2 * 60 * 1000;

const patterns = {
  HIGH: { hz: 880, every_ms: 6000, pulses_ms: [0, 250, 500, 1000, 1250, 2250, 2500, 2750, 3250, 3500] },
  MEDIUM: { hz: 660, every_ms: 8000, pulses_ms: [0, 300, 600] },
  LOW: { hz: 520, every_ms: 20000, pulses_ms: [0, 300] },
};

export class alarm_audio {
  constructor() {
    this.ctx = null;
    this.paused_until_ms = 0;
    this.known_ids = new Set();
    this.priority = null;
    this.next_burst_ms = 0;
    this.bursts = { HIGH: 0, MEDIUM: 0, LOW: 0 }; // counted for the tests and the curious
  }

  // Browsers start audio only from a user gesture: call this from a click handler.
  enable() {
    this.ctx ??= new AudioContext();
    return this.ctx.resume();
  }

  get enabled() {
    return this.ctx?.state === 'running';
  }

  pause(now_ms) {
    this.paused_until_ms = now_ms + pause_ms;
  }

  resume() {
    this.paused_until_ms = 0;
    this.next_burst_ms = 0;
  }

  paused_left_ms(now_ms) {
    return Math.max(0, this.paused_until_ms - now_ms);
  }

  // calling: { priority, ids } of the alarms that still call for someone (ward.calling()).
  // A new alarm ends an audio pause: the pause was for the alarms the nurse had heard.
  update(now_ms, calling) {
    const fresh = calling.ids.some((id) => !this.known_ids.has(id));
    this.known_ids = new Set(calling.ids);
    if (fresh) this.resume();
    if (calling.priority !== this.priority) {
      this.priority = calling.priority;
      this.next_burst_ms = 0;
    }
    const pattern = patterns[this.priority];
    if (!pattern || this.paused_left_ms(now_ms) > 0 || now_ms < this.next_burst_ms) return;
    this.next_burst_ms = now_ms + pattern.every_ms;
    this.bursts[this.priority] += 1;
    if (this.enabled) this.#play(pattern);
  }

  #play({ hz, pulses_ms }) {
    const t0 = this.ctx.currentTime + 0.05;
    const gain = this.ctx.createGain();
    gain.gain.value = 0;
    gain.connect(this.ctx.destination);
    const osc = this.ctx.createOscillator();
    osc.type = 'square';
    osc.frequency.value = hz;
    osc.connect(gain);
    for (const at of pulses_ms) {
      const t = t0 + at / 1000;
      gain.gain.setValueAtTime(0, t);
      gain.gain.linearRampToValueAtTime(0.15, t + 0.02);
      gain.gain.setValueAtTime(0.15, t + 0.15);
      gain.gain.linearRampToValueAtTime(0, t + 0.18);
    }
    const end = t0 + pulses_ms.at(-1) / 1000 + 0.3;
    osc.start(t0);
    osc.stop(end);
    osc.onended = () => gain.disconnect();
  }
}
