// What every browser test stands on: one mosquitto and one chromium for the run, and per test
// its own topic prefix, fake vigild and browser context (setup()).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { build_page, desk_autoplay_policy, fake_vigild, launch_browser, proto_root, start_broker } from './harness.mjs';

export let broker;
export let browser;
export let root;
let prefix_count = 0;

before(async () => {
  const dist = build_page();
  broker = await start_broker(dist);
  browser = await launch_browser();
  root = await proto_root();
});

after(async () => {
  await browser?.close();
  broker?.stop();
});

// Each test gets its own topic prefix, so retained state never leaks between tests.
// in: another browser (the kiosk one) than the run's.
export async function setup({ width = 1920, height = 1080, query = '', nurse = null, in: in_browser = browser } = {}) {
  const prefix = `t${process.pid}-${(prefix_count += 1)}`;
  const vigild = await fake_vigild.connect(broker.tcp_url, prefix, root);
  const context = await in_browser.newContext({ viewport: { width, height } });
  if (in_browser === browser) await context.addInitScript(desk_autoplay_policy);
  if (nurse) await context.addInitScript((name) => localStorage.setItem('vigil.nurse', name), nurse);
  const page = await context.newPage();
  const errors = [];
  const sockets = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('websocket', (ws) => sockets.push(ws.url()));
  const open = async () => {
    await page.goto(`${broker.http_url}/index.html?prefix=${prefix}${query}`);
    await page.locator('#link .ok').waitFor({ timeout: 5000 });
  };
  const close = async () => {
    assert.deepEqual(errors, [], 'the page threw');
    await context.close();
    await vigild.end();
  };
  return { prefix, vigild, page, sockets, open, close, context };
}

export const tile = (page, bed) => page.locator(`article[data-bed="${bed}"]`);
export const outage_shown = (page) => page.locator('#outage').isVisible();

export async function in_infusion(vigild, bed, minutes_in, planned_minutes = 50) {
  const now = Date.now();
  await vigild.publish(`beds/${bed}/session`, 'SessionState', {
    bed_id: bed, session_id: `${bed}-s1`, phase: 'PHASE_INFUSION', infusion_started_at_ms: now - minutes_in * 60_000,
    planned_minutes, at_ms: now,
  });
  await vigild.publish(`beds/${bed}/monitor/status`, 'MonitorStatus', { device_id: `mon-${bed}`, state: 'MONITOR_STATE_ONLINE', at_ms: now });
}

export async function vitals(vigild, bed, bpm, sbp, dbp) {
  const now = Date.now();
  await vigild.publish(`beds/${bed}/vitals/heart_rate`, 'HeartRate', { device_id: `mon-${bed}`, measured_at_ms: now, seq: 1, bpm, validity: 'VALIDITY_VALID' }, false);
  await vigild.publish(`beds/${bed}/vitals/blood_pressure`, 'BloodPressure',
    { device_id: `mon-${bed}`, measured_at_ms: now, seq: 1, systolic_mmhg: sbp, diastolic_mmhg: dbp, source: 'BP_SOURCE_NIBP', validity: 'VALIDITY_VALID' }, false);
}

