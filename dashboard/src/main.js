// The nurse-station page: MQTT over WebSockets straight to the broker, the project's own
// .proto files decoded here, acknowledgements published back.
//
// Query parameters:
//   prefix   topic prefix (default "clinic")
//   broker   MQTT-over-WebSockets URL (default: the host that served this page)
//   stale_s  seconds without a vigild heartbeat before the screen says monitoring is not
//            running (default 30; the tests shorten it)
//   limits   the ward's alarm limits when they are not vigild's defaults, drawn on the trends
//            until vigild reports a bed's own (e.g. hr_high_medium:130,sbp_high_medium:170)
import mqtt from 'mqtt';
import protos from 'virtual:vigil-protos';
import { load_schema, make_codec } from './wire.js';
import { ward } from './ward.js';
import { alarm_audio } from './audio.js';
import { render_beds, render_banners, draw_tile_trends, tick, fmt_clock, fmt_ago, esc } from './view.js';
import { parse_limits } from './trend.js';
import { history_client } from './history.js';
import { detail_view } from './detail.js';
import { plan_grid } from './layout.js';
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
const limits = parse_limits(params.get('limits'));
// The smallest tile: a 1024x768 tablet shows six; a wider screen's tiles are never narrower.
const tile_min = { min_w: 320, min_h: 290 };
// Alarm episodes of the tiles' trends come from the record this far back.
const history_back_ms = 12 * 3600_000;

const $ = (id) => document.getElementById(id);
const codec = make_codec(load_schema(protos));
const w = new ward(prefix);
const audio = new alarm_audio();
const pending_acks = new Map(); // alarm_id -> when the ack was sent
const link = { state: 'connecting', error: '', subscribed_at: 0 };

$('prefix').textContent = `· ${prefix}`;

const client_id = `vigil-dashboard-${Math.random().toString(16).slice(2, 10)}`;
// MQTT 5: the record is asked for with a Response Topic and Correlation Data.
const client = mqtt.connect(broker, {
  clientId: client_id,
  protocolVersion: 5,
  clean: true,
  reconnectPeriod: 2000,
  connectTimeout: 5000,
});
const history = new history_client({ prefix, client_id, codec, publish: (...args) => client.publish(...args) });
const detail = new detail_view({ el: $('detail'), ward: w, history, config: limits, pending_acks });
client.on('connect', () => {
  link.state = 'connected';
  link.error = '';
  client.subscribe([...w.topics(), history.response_topic], { qos: 1 }, (err) => {
    if (err) { link.error = `subscribe failed: ${err.message}`; return; }
    link.subscribed_at = Date.now();
    // Alarms that ended before this page opened, for the episodes on the tiles' time axes.
    history.request_all({ since_ms: Math.floor(w.vigil_now(Date.now()) - history_back_ms), until_ms: 0, limit: 5000 })
      .then((r) => { w.on_history_events(r.events); schedule_render(); })
      .catch(() => { /* an older vigild, or none yet: the tiles draw the episodes they see */ });
  });
});
client.on('close', () => { link.state = 'disconnected'; link.subscribed_at = 0; });
client.on('error', (err) => { link.error = err.message; });
client.on('message', (topic, payload, packet) => {
  if (history.on_message(topic, payload, packet)) return;
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
  render_banners($('banners'), w);
  const grid = layout(beds);
  render_beds($('beds'), beds.slice(0, grid.shown), pending_acks, { narrow: grid.w < 400 });
  $('empty').hidden = beds.length > 0;
  $('empty').textContent = `No bed has reported on "${prefix}/beds/…" yet.`;
  refresh();
}

// The grid that fits the screen below the header and banners. When not every bed fits, the
// most urgent keep their tiles and a line above them names the others: never below the fold.
function layout(beds) {
  const main = $('beds');
  const style = getComputedStyle(main);
  const pad = parseFloat(style.paddingTop) || 0;
  const gap = parseFloat(style.rowGap) || 0;
  const plan = () => plan_grid(beds.length, document.documentElement.clientWidth - 2 * pad,
    window.innerHeight - main.getBoundingClientRect().top - 2 * pad, { ...tile_min, gap });
  $('more').hidden = true;
  let grid = plan();
  if (grid.shown < beds.length) {
    $('more').hidden = false;
    set_html($('more'), more_html(beds, grid.shown));
    grid = plan();
    set_html($('more'), more_html(beds, grid.shown));
  }
  main.style.gridTemplateColumns = `repeat(${grid.cols}, minmax(0, 1fr))`;
  main.style.gridTemplateRows = `repeat(${grid.rows}, ${Math.max(0, Math.floor(grid.h))}px)`;
  return grid;
}

function more_html(beds, shown) {
  const rest = beds.slice(shown);
  const chip = (bed) => {
    const calling = bed.alarms.filter((a) => a.kind !== 'NOTICE').map((a) => a.priority);
    const top = ['HIGH', 'MEDIUM', 'LOW'].find((p) => calling.includes(p));
    return `<button class="chip${top ? ` p-${top}` : ''}" data-open="${esc(bed.id)}" title="${esc(bed.id)}">${esc(bed.id)}${top ? ` · ${top}` : ''}</button>`;
  };
  return `<span class="more-count">${beds.length} beds: the ${shown} most urgent shown, <b>${rest.length} more</b>:</span>${rest.map(chip).join('')}`;
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
  // A failed alarm system is itself an alarm condition: it sounds like a MEDIUM alarm.
  const calling = w.calling();
  if (outage) calling.ids.push('vigil:monitoring-down');
  if (outage && !calling.priority) calling.priority = 'MEDIUM';
  audio.update(now, calling);
  // Silent while something calls: the header turns into a flashing prompt, the notice says it.
  const silent = !audio.enabled && Boolean(calling.priority);
  document.body.classList.toggle('silent-alarm', silent);

  $('outage').hidden = !outage;
  document.body.classList.toggle('down', Boolean(outage));
  if (outage) {
    const sound_line = silent ? '<p class="sound-line">Sound is OFF on this screen — tap anywhere to turn it on.</p>' : '';
    set_html($('outage'), `<h2>${outage.title}</h2>${outage.lines.map((l) => `<p>${esc(l)}</p>`).join('')}${sound_line}`);
  }

  set_html($('link'), link.state === 'connected' ? '<span class="ok">● live</span>' : `<span class="bad">● ${esc(link.state)}</span>`);
  set_html($('daemons'), [...w.daemons].map(([name, { msg }]) =>
    `<span class="daemon ${msg.state === 'ONLINE' ? 'ok' : 'bad'}">vigild ${esc(name)} ${esc(msg.state)}</span>`).join(' '));
  const heartbeat = [...w.daemons.values()].map(({ msg }) => w.vigil_now(now) - msg.at_ms);
  $('daemons').title = heartbeat.length ? `last heartbeat ${fmt_ago(Math.max(...heartbeat))} ago` : '';
  set_html($('controls'), controls_html(now));
  if ($('pause-left')) $('pause-left').textContent = fmt_clock(audio.paused_left_ms(now) + 999);
  tick(document.body, now, w.vigil_now(now));
  draw_tile_trends($('beds'), w, limits, w.vigil_now(now));
  detail.render(now);
}

function controls_html(now) {
  const nurse = localStorage.getItem(nurse_key);
  const who = `<button id="nurse" class="plain">${nurse ? `Nurse: <b>${esc(nurse)}</b>` : 'Set your name'}</button>`;
  let sound;
  if (!audio.enabled && document.body.classList.contains('silent-alarm')) sound = '<button id="sound" class="warn urgent">Sound is OFF — tap anywhere to hear the alarms</button>';
  else if (!audio.enabled) sound = '<button id="sound" class="warn">Sound is OFF — tap to turn on</button>';
  else if (audio.paused_left_ms(now) > 0) {
    sound = '<button id="resume" class="paused">AUDIO PAUSED <span id="pause-left"></span> — tap to resume</button>';
  } else sound = '<button id="pause">Pause audio for 2 min</button>';
  return who + sound;
}

// A nurse's name is asked once and kept in this browser. `what` says which alarm it is for.
function with_nurse(then, what) {
  const name = localStorage.getItem(nurse_key);
  if (name) then(name);
  else ask_nurse(then, what);
}

function ask_nurse(then, what = '') {
  const dialog = $('nurse-dialog');
  $('nurse-for').hidden = !what;
  $('nurse-for').innerHTML = what;
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

// The alarm an Acknowledge button is for, in words: bed, priority, condition and text.
function alarm_words(bed_id, alarm_id) {
  const a = w.beds.get(bed_id)?.alarms.find((x) => x.alarm_id === alarm_id);
  if (!a) return `Acknowledging an alarm on <b>${esc(bed_id)}</b>`;
  return `Acknowledging <b>${esc(a.priority)} ${esc(a.condition)}</b> on <b>${esc(bed_id)}</b>: ${esc(a.reason || a.text)}`;
}

// Acknowledge on a tile or in a bed's detail; a tap elsewhere on a tile opens the bed.
function on_bed_click(ev) {
  const button = ev.target.closest('button[data-ack]');
  const bed = ev.target.closest('[data-bed]')?.dataset.bed;
  if (button && bed) with_nurse((name) => send_ack(bed, button.dataset.ack, name), alarm_words(bed, button.dataset.ack));
  else if (bed && ev.currentTarget === $('beds') && !ev.target.closest('button')) open_bed(bed);
}
$('beds').addEventListener('click', on_bed_click);
$('detail').addEventListener('click', (ev) => {
  const range = ev.target.closest('button[data-range]')?.dataset.range;
  if (range) { detail.set_range(range); detail.render(Date.now()); return; }
  if (ev.target.closest('button[data-close]')) { detail.close(); render(); return; }
  on_bed_click(ev);
});
$('more').addEventListener('click', (ev) => {
  const bed = ev.target.closest('button[data-open]')?.dataset.open;
  if (bed) open_bed(bed);
});
document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape' && detail.is_open && !$('nurse-dialog').open) { detail.close(); render(); }
});
function open_bed(bed) {
  detail.open(bed);
  detail.render(Date.now());
}
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
window.addEventListener('resize', schedule_render);
// A wall screen started with Chromium's --autoplay-policy=no-user-gesture-required (README:
// kiosk mode) has sound from the start; elsewhere this stays suspended until the first tap.
audio.enable().then(refresh, () => {});
render();

// For the browser tests: what the page would sound, without listening to it.
window.vigil_debug = { audio, ward: w, link, detail };
