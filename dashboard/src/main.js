// The nurse-station page: MQTT over WebSockets straight to the broker, the project's own
// .proto files decoded here, acknowledgements published back.
//
// Query parameters:
//   prefix   topic prefix (default "clinic")
//   broker   MQTT-over-WebSockets URL (default: the host that served this page)
//   stale_s  seconds without a vigild heartbeat before the screen says monitoring is not
//            running (default 30; the tests shorten it)
import mqtt from 'mqtt';
import protos from 'virtual:vigil-protos';
import { load_schema, make_codec } from './wire.js';
import { ward } from './ward.js';
import { alarm_audio } from './audio.js';
import { render_beds, render_banners, tick, fmt_clock, fmt_ago, esc } from './view.js';
import './style.css';

const params = new URLSearchParams(location.search);
const prefix = (params.get('prefix') || 'clinic').replace(/\/+$/, '');
// contract.md: no wildcards, no empty levels, not starting with "$" or "/".
if (!/^[^+#/$]([^+#]*[^+#/])?$/.test(prefix) || prefix.includes('//')) {
  document.body.textContent = `"${prefix}" is not a topic prefix: no + or #, no empty levels, not starting with $ or /.`;
  throw new Error(`invalid prefix ${prefix}`);
}
const broker = params.get('broker') || `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
// A threshold that does not parse must not turn the heartbeat check off.
const stale_s = Number(params.get('stale_s') ?? 30);
const stale_ms = (Number.isFinite(stale_s) && stale_s > 0 ? stale_s : 30) * 1000;
// Retained statuses arrive right after the subscription; until then "no vigild" is unknown.
const startup_grace_ms = 2000;
// An ack that vigild has not answered within this is offered again.
const ack_answer_ms = 10_000;
const nurse_key = 'vigil.nurse';

const $ = (id) => document.getElementById(id);
const codec = make_codec(load_schema(protos));
const w = new ward(prefix);
const audio = new alarm_audio();
const pending_acks = new Map(); // alarm_id -> when the ack was sent
const link = { state: 'connecting', error: '', subscribed_at: 0 };

$('prefix').textContent = `· ${prefix}`;

const client = mqtt.connect(broker, {
  clientId: `vigil-dashboard-${Math.random().toString(16).slice(2, 10)}`,
  clean: true,
  reconnectPeriod: 2000,
  connectTimeout: 5000,
});
client.on('connect', () => {
  link.state = 'connected';
  link.error = '';
  client.subscribe(w.topics(), { qos: 1 }, (err) => {
    if (err) link.error = `subscribe failed: ${err.message}`;
    else link.subscribed_at = Date.now();
  });
});
client.on('close', () => { link.state = 'disconnected'; link.subscribed_at = 0; });
client.on('error', (err) => { link.error = err.message; });
client.on('message', (topic, payload, packet) => {
  if (w.on_message(topic, payload, Date.now(), packet.retain, codec)) schedule_render();
});

let render_queued = false;
function schedule_render() {
  if (render_queued) return;
  render_queued = true;
  requestAnimationFrame(() => { render_queued = false; render(); });
}

function render() {
  const beds = w.sorted_beds();
  render_beds($('beds'), beds, pending_acks);
  render_banners($('banners'), w);
  $('empty').hidden = beds.length > 0;
  $('empty').textContent = `No bed has reported on "${prefix}/beds/…" yet.`;
  refresh();
}

// Sets markup only when it changed, so buttons in it stay put between ticks.
function set_html(el, html) {
  if (el.dataset.last !== html) {
    el.innerHTML = html;
    el.dataset.last = html;
  }
}

function monitoring_problems(now) {
  if (link.state !== 'connected') {
    return { title: 'NOT CONNECTED', lines: [`This screen is not receiving alarms from ${broker}${link.error ? ` (${link.error})` : ''}.`, 'Retrying every 2 s. Watch the bedside monitors.'] };
  }
  const unknown_yet = !link.subscribed_at || now - link.subscribed_at < startup_grace_ms;
  if (w.daemons.size === 0 && unknown_yet) return null;
  const problems = w.daemon_problems(now, stale_ms);
  if (!problems.length) return null;
  return { title: 'MONITORING IS NOT RUNNING', lines: [...problems, 'Alarms are not being evaluated. Watch the bedside monitors.'] };
}

function refresh() {
  const now = Date.now();
  for (const [id, at] of pending_acks) if (now - at > ack_answer_ms) { pending_acks.delete(id); schedule_render(); }

  const outage = monitoring_problems(now);
  $('outage').hidden = !outage;
  document.body.classList.toggle('down', Boolean(outage));
  if (outage) set_html($('outage'), `<h2>${outage.title}</h2>${outage.lines.map((l) => `<p>${esc(l)}</p>`).join('')}`);

  // A failed alarm system is itself an alarm condition: it sounds like a MEDIUM alarm.
  const calling = w.calling();
  if (outage) calling.ids.push('vigil:monitoring-down');
  if (outage && !calling.priority) calling.priority = 'MEDIUM';
  audio.update(now, calling);

  set_html($('link'), link.state === 'connected' ? '<span class="ok">● live</span>' : `<span class="bad">● ${esc(link.state)}</span>`);
  set_html($('daemons'), [...w.daemons].map(([name, { msg }]) =>
    `<span class="daemon ${msg.state === 'ONLINE' ? 'ok' : 'bad'}">vigild ${esc(name)} ${esc(msg.state)}</span>`).join(' '));
  const heartbeat = [...w.daemons.values()].map(({ msg }) => w.vigil_now(now) - msg.at_ms);
  $('daemons').title = heartbeat.length ? `last heartbeat ${fmt_ago(Math.max(...heartbeat))} ago` : '';
  set_html($('controls'), controls_html(now));
  if ($('pause-left')) $('pause-left').textContent = fmt_clock(audio.paused_left_ms(now) + 999);
  tick(document.body, now, w.vigil_now(now));
}

function controls_html(now) {
  const nurse = localStorage.getItem(nurse_key);
  const who = `<button id="nurse" class="plain">${nurse ? `Nurse: <b>${esc(nurse)}</b>` : 'Set your name'}</button>`;
  let sound;
  if (!audio.enabled) sound = '<button id="sound" class="warn">Sound is OFF — tap to turn on</button>';
  else if (audio.paused_left_ms(now) > 0) {
    sound = '<button id="resume" class="paused">AUDIO PAUSED <span id="pause-left"></span> — tap to resume</button>';
  } else sound = '<button id="pause">Pause audio for 2 min</button>';
  return who + sound;
}

// A nurse's name is asked once and kept in this browser.
function with_nurse(then) {
  const name = localStorage.getItem(nurse_key);
  if (name) then(name);
  else ask_nurse(then);
}

function ask_nurse(then) {
  const dialog = $('nurse-dialog');
  $('nurse-name').value = localStorage.getItem(nurse_key) ?? '';
  dialog.onclose = () => {
    const name = $('nurse-name').value.trim();
    if (dialog.returnValue !== 'ok' || !name) return;
    localStorage.setItem(nurse_key, name);
    refresh();
    then?.(name);
  };
  dialog.returnValue = '';
  dialog.showModal();
}

function send_ack(bed, alarm_id, by) {
  const payload = codec.encode('AlarmAck', { alarm_id, by, at_ms: Date.now() });
  pending_acks.set(alarm_id, Date.now());
  client.publish(`${prefix}/beds/${bed}/alarms/ack`, payload, { qos: 1 }, (err) => {
    if (err) { pending_acks.delete(alarm_id); link.error = `acknowledgement not sent: ${err.message}`; schedule_render(); }
  });
  render();
}

// Any tap may turn the sound on: browsers allow audio only after a user gesture.
document.addEventListener('click', () => { audio.enable().then(refresh); });

$('beds').addEventListener('click', (ev) => {
  const button = ev.target.closest('button[data-ack]');
  if (!button) return;
  const bed = button.closest('article').dataset.bed;
  with_nurse((name) => send_ack(bed, button.dataset.ack, name));
});
$('banners').addEventListener('click', (ev) => {
  const button = ev.target.closest('button[data-dismiss]');
  if (button) { w.dismiss_escalation(button.dataset.dismiss); render(); }
});
$('controls').addEventListener('click', (ev) => {
  const id = ev.target.closest('button')?.id;
  if (id === 'nurse') ask_nurse();
  else if (id === 'pause') audio.pause(Date.now());
  else if (id === 'resume') audio.resume();
  refresh();
});

setInterval(refresh, 250);
render();

// For the browser tests: what the page would sound, without listening to it.
window.vigil_debug = { audio, ward: w, link };
