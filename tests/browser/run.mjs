// Browser tests of the nurse-station dashboard: `node tests/browser/run.mjs` (exits non-zero
// on failure). Needs Debian's chromium and mosquitto; installs the dashboard's npm packages
// from its lock file when they are missing. Screenshots go to build/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alarm_event, screenshot_path, start_vigild } from './harness.mjs';
import { broker, in_infusion, outage_shown, setup, tile, vitals } from './fixture.mjs';

test('shows a bed\'s HIGH alarm within 2 s of its publication, by word and red, most urgent bed first', async () => {
  const { vigild, page, open, close } = await setup();
  await vigild.status('ward-a', 'ONLINE');
  await in_infusion(vigild, 'bed-01', 12);
  await in_infusion(vigild, 'bed-07', 41, 40);
  await in_infusion(vigild, 'bed-12', 3);
  await vigild.active('bed-12', [alarm_event('bed-12', 'HR_HIGH', 'MEDIUM', 'HR 128 /min > 120 at 03:10 into infusion', { unit: '/min' })]);
  await open();
  await vitals(vigild, 'bed-01', 88, 122, 78);
  await vitals(vigild, 'bed-07', 97, 181, 96);

  const published = Date.now();
  await vigild.active('bed-07', [alarm_event('bed-07', 'SBP_HIGH', 'HIGH', 'SBP 186 mmHg ≥ 180 at 41:20 into infusion')]);
  const alarm = tile(page, 'bed-07').locator('.alarm.p-HIGH');
  await alarm.waitFor({ timeout: 2000 });
  const shown_after_ms = Date.now() - published;
  assert.ok(shown_after_ms < 2000, `shown after ${shown_after_ms} ms`);

  assert.equal(await alarm.locator('.prio').innerText(), 'HIGH');
  assert.match(await alarm.locator('.text').innerText(), /SBP 186 mmHg ≥ 180/);
  assert.equal(await alarm.locator('.prio').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(228, 0, 43)');
  assert.match(await alarm.locator('.meta').innerText(), /started 1 min ago/);
  // 41 minutes into a planned 40: the infusion clock says so, in red.
  const clock = tile(page, 'bed-07').locator('.clock');
  assert.match(await clock.innerText(), /^41:0\d$/);
  assert.equal(await clock.evaluate((el) => getComputedStyle(el).color), 'rgb(228, 0, 43)');
  assert.match(await tile(page, 'bed-07').locator('.phase-line').innerText(), /41:0\d\s+\/ 40:00\s*OVERRUN/);
  assert.doesNotMatch(await tile(page, 'bed-01').locator('.phase-line').innerText(), /OVERRUN/);
  assert.match(await tile(page, 'bed-01').locator('.vitals').innerText(), /88[\s\S]*122\/78/);
  await page.waitForFunction(() => document.querySelector('main').children[0]?.dataset.bed === 'bed-07');
  assert.deepEqual(await page.locator('main article').evaluateAll((els) => els.map((e) => e.dataset.bed)), ['bed-07', 'bed-12', 'bed-01']);
  await page.screenshot({ path: screenshot_path('1920-high-alarm') });
  await close();
});

test('acknowledge asks the nurse\'s name once, publishes AlarmAck, and shows who acknowledged', async () => {
  const { vigild, page, open, close } = await setup();
  await vigild.status('ward-a', 'ONLINE');
  await in_infusion(vigild, 'bed-03', 20);
  const raised = alarm_event('bed-03', 'SBP_HIGH', 'HIGH', 'SBP 183 mmHg ≥ 180 at 20:02 into infusion', { value: 183, limit: 180 });
  await vigild.active('bed-03', [raised]);
  await open();

  await tile(page, 'bed-03').getByRole('button', { name: 'Acknowledge' }).click();
  await page.getByLabel('Your name').fill('Nurse Alice');
  // The dialog says which alarm the name is for.
  assert.match(await page.locator('#nurse-for').innerText(), /Acknowledging HIGH SBP_HIGH on bed-03: SBP 183 mmHg ≥ 180/);
  await page.screenshot({ path: screenshot_path('1920-nurse-name-dialog') });
  await page.getByRole('button', { name: 'Save' }).click();
  const sent_at = Date.now();
  const ack = await vigild.next_ack(2000);
  assert.equal(ack.topic, `${vigild.prefix}/beds/bed-03/alarms/ack`);
  assert.equal(ack.alarm_id, 'bed-03:SBP_HIGH:1');
  assert.equal(ack.by, 'Nurse Alice');
  assert.ok(Math.abs(ack.at_ms - sent_at) < 5000, `at_ms ${ack.at_ms} vs ${sent_at}`);
  await tile(page, 'bed-03').getByRole('button', { name: 'Ack sent…' }).waitFor({ timeout: 2000 });

  await vigild.active('bed-03', [{ ...raised, value: undefined, state: 'ALARM_STATE_ACKNOWLEDGED', transition: 'TRANSITION_ACKNOWLEDGED',
    acknowledged_by: 'Nurse Alice', text: 'SBP_HIGH acknowledged by Nurse Alice at 20:05 into infusion' }]);
  await tile(page, 'bed-03').locator('.acked', { hasText: 'Acknowledged by Nurse Alice' }).waitFor({ timeout: 2000 });
  // The ack event's text says who, not why: the tile keeps the reason it was raised for.
  assert.match(await tile(page, 'bed-03').locator('.alarm .text').innerText(), /^SBP 183 mmHg ≥ 180/);
  assert.equal(await tile(page, 'bed-03').getByRole('button', { name: 'Acknowledge' }).count(), 0);
  await page.screenshot({ path: screenshot_path('1920-acknowledged') });

  // The name is kept: a reload and a second alarm do not ask again.
  // vigild's ACKNOWLEDGED text is "<reason>; acknowledged by <name> at ...": a reopened page
  // shows the reason, and who acknowledged once.
  await vigild.active('bed-03', [
    { ...raised, value: undefined, state: 'ALARM_STATE_ACKNOWLEDGED', transition: 'TRANSITION_ACKNOWLEDGED', acknowledged_by: 'Nurse Alice',
      text: 'SBP 183 mmHg ≥ 180; acknowledged by Nurse Alice at 20:05 into infusion' },
    alarm_event('bed-03', 'HR_LOW', 'MEDIUM', 'HR 46 /min < 50', { alarm_id: 'bed-03:HR_LOW:1' })]);
  await page.reload();
  const acked = tile(page, 'bed-03').locator('.alarm.s-ACKNOWLEDGED');
  await acked.waitFor({ timeout: 2000 });
  assert.equal(await acked.locator('.text').innerText(), 'SBP 183 mmHg ≥ 180');
  assert.equal((await acked.innerText()).match(/acknowledged by/gi).length, 1);
  // Each badge keeps its own colour, whatever the tile around it calls for.
  const badge_colours = () => tile(page, 'bed-03').locator('.alarm .prio').evaluateAll((els) =>
    els.map((el) => `${el.innerText} ${getComputedStyle(el).backgroundColor}`));
  await tile(page, 'bed-03').locator('.alarm').nth(1).waitFor({ timeout: 2000 });
  assert.deepEqual((await badge_colours()).sort(), ['HIGH rgb(228, 0, 43)', 'MEDIUM rgb(255, 212, 0)']);
  await tile(page, 'bed-03').getByRole('button', { name: 'Acknowledge' }).click();
  const second = await vigild.next_ack(2000);
  assert.deepEqual([second.alarm_id, second.by], ['bed-03:HR_LOW:1', 'Nurse Alice']);
  assert.equal(await page.locator('#nurse-dialog').isVisible(), false);
  await close();
});

test('a DaemonStatus OFFLINE makes the whole screen say monitoring is not running', async () => {
  const { vigild, page, open, close } = await setup({ nurse: 'Nurse Bo' });
  await vigild.status('ward-a', 'ONLINE');
  await in_infusion(vigild, 'bed-05', 30);
  await vigild.active('bed-05', [alarm_event('bed-05', 'HR_HIGH', 'MEDIUM', 'HR 131 /min > 120 at 29:40 into infusion', { unit: '/min' })]);
  await open();
  await tile(page, 'bed-05').waitFor();
  assert.equal(await outage_shown(page), false);

  await vigild.status('ward-a', 'OFFLINE');
  await page.locator('#outage').waitFor({ timeout: 2000 });
  assert.match(await page.locator('#outage').innerText(), /MONITORING IS NOT RUNNING[\s\S]*vigild "ward-a" is OFFLINE/);
  await page.screenshot({ path: screenshot_path('1920-daemon-offline') });

  await vigild.status('ward-a', 'ONLINE');
  await page.locator('#outage').waitFor({ state: 'hidden', timeout: 2000 });
  await close();
});

test('a heartbeat older than the threshold (stale_s) makes the screen say monitoring is not running', async () => {
  // Also reaches the broker by the broker= parameter rather than the page's own host.
  const ws_url = broker.http_url.replace('http://127.0.0.1', 'ws://localhost');
  const { vigild, page, sockets, open, close } = await setup({ query: `&stale_s=2&broker=${encodeURIComponent(ws_url)}` });
  await open();
  assert.ok(sockets.length > 0 && sockets.every((url) => url.startsWith(ws_url)), sockets.join(' '));
  await vigild.status('ward-a', 'ONLINE', Date.now(), false);
  await page.locator('#daemons .ok').waitFor({ timeout: 2000 });
  assert.equal(await outage_shown(page), false);
  // No further heartbeat: after 2 s the screen says so.
  await page.locator('#outage').waitFor({ timeout: 4000 });
  assert.match(await page.locator('#outage').innerText(), /MONITORING IS NOT RUNNING[\s\S]*no heartbeat for [23] s/);
  await close();
});

test('a retained heartbeat 40 s old, read by a late dashboard, is stale at the default 30 s', async () => {
  const { vigild, page, open, close } = await setup();
  await vigild.status('ward-a', 'ONLINE', Date.now() - 40_000);
  await open();
  await page.locator('#outage').waitFor({ timeout: 4000 });
  assert.match(await page.locator('#outage').innerText(), /no heartbeat for 4\d s/);
  await close();
});

test('with no vigild status at all, the screen says monitoring is not running', async () => {
  const { page, open, close } = await setup();
  await open();
  await page.locator('#outage').waitFor({ timeout: 4000 });
  assert.match(await page.locator('#outage').innerText(), /No vigild instance has reported/);
  await close();
});

test('a dashboard opened late shows the retained state at once', async () => {
  const { vigild, page, open, close } = await setup({ nurse: 'Nurse Bo' });
  await vigild.status('ward-a', 'ONLINE');
  await in_infusion(vigild, 'bed-21', 52, 50);
  await vigild.publish('beds/bed-21/monitor/status', 'MonitorStatus', { device_id: 'mon-bed-21', state: 'MONITOR_STATE_OFFLINE', at_ms: Date.now() });
  await vigild.active('bed-21', [
    alarm_event('bed-21', 'MONITOR_OFFLINE', 'HIGH', 'Monitor offline at 52:00 into infusion', { kind: 'ALARM_KIND_TECHNICAL', onset_ms: Date.now() - 20_000 }),
    alarm_event('bed-21', 'DBP_HIGH', 'MEDIUM', 'DBP 104 mmHg ≥ 100 at 44:10 into infusion',
      { state: 'ALARM_STATE_ACKNOWLEDGED', acknowledged_by: 'Nurse Carol', onset_ms: Date.now() - 480_000 }),
  ]);
  await vigild.publish('beds/bed-22/session', 'SessionState', {
    bed_id: 'bed-22', session_id: 's', phase: 'PHASE_RECOVERY', infusion_started_at_ms: Date.now() - 80 * 60_000,
    infusion_stopped_at_ms: Date.now() - 30 * 60_000, recovery_ends_at_ms: Date.now() + 30 * 60_000, planned_minutes: 50, at_ms: Date.now(),
  });

  const opened = Date.now();
  await open();
  await tile(page, 'bed-21').locator('.alarm').nth(1).waitFor({ timeout: 2000 });
  assert.ok(Date.now() - opened < 3000);
  const text = await tile(page, 'bed-21').innerText();
  assert.match(text, /MONITOR OFFLINE/);
  assert.match(text, /INFUSION\s+52:0\d\s+\/ 50:00\s*OVERRUN/);
  // Newest first, each with its priority word; the acknowledged one says by whom.
  assert.deepEqual(await tile(page, 'bed-21').locator('.alarm .prio').allInnerTexts(), ['HIGH', 'MEDIUM']);
  assert.match(text, /Acknowledged by Nurse Carol/);
  assert.match(await tile(page, 'bed-22').innerText(), /RECOVERY[\s\S]*infusion 50:00[\s\S]*ends in (29:5\d|30:00)/);
  assert.equal(await outage_shown(page), false);
  await page.screenshot({ path: screenshot_path('1920-late-open') });
  await close();
});

test('an ESCALATED event shows a banner until dismissed', async () => {
  const { vigild, page, open, close } = await setup({ nurse: 'Nurse Bo' });
  await vigild.status('ward-a', 'ONLINE');
  await in_infusion(vigild, 'bed-09', 15);
  const escalated = alarm_event('bed-09', 'HR_HIGH', 'HIGH', 'HR 156 /min > 150 at 15:00 into infusion',
    { transition: 'TRANSITION_ESCALATED', escalation_level: 1, unit: '/min' });
  await vigild.active('bed-09', [escalated]);
  await open();
  await vigild.publish('escalations', 'AlarmEvent', escalated, false);
  const banner = page.locator('.banner');
  await banner.waitFor({ timeout: 2000 });
  assert.match(await banner.innerText(), /ESCALATED[\s\S]*bed-09[\s\S]*HR 156 \/min > 150/);
  await page.screenshot({ path: screenshot_path('1920-escalation-banner') });
  await banner.getByRole('button', { name: 'Dismiss' }).click();
  await banner.waitFor({ state: 'detached', timeout: 2000 });
  await close();
});

test('audio: tones by priority once sound is on; pause lasts 2 min, says so, and a new alarm ends it', async () => {
  const { vigild, page, open, close } = await setup({ nurse: 'Nurse Bo' });
  await vigild.status('ward-a', 'ONLINE');
  await vigild.active('bed-02', [alarm_event('bed-02', 'SBP_LOW', 'MEDIUM', 'SBP 86 mmHg < 90')]);
  await open();
  await page.getByRole('button', { name: /Sound is OFF/ }).click();
  await page.getByRole('button', { name: 'Pause audio for 2 min' }).waitFor({ timeout: 2000 });
  await page.waitForFunction(() => window.vigil_debug.audio.bursts.MEDIUM >= 1);

  await page.getByRole('button', { name: 'Pause audio for 2 min' }).click();
  assert.match(await page.locator('#resume').innerText(), /AUDIO PAUSED (02:00|01:5\d) — tap to resume/);
  await page.screenshot({ path: screenshot_path('1920-audio-paused') });

  await vigild.active('bed-02', [alarm_event('bed-02', 'SBP_LOW', 'HIGH', 'SBP 76 mmHg < 80', { alarm_id: 'bed-02:SBP_LOW:2' })]);
  await page.waitForFunction(() => window.vigil_debug.audio.bursts.HIGH >= 1, null, { timeout: 2000 });
  await page.getByRole('button', { name: 'Pause audio for 2 min' }).waitFor({ timeout: 2000 });
  await close();
});

test('vitals grey when stale: HR after 10 s, a cuff BP only after 6 min (page clock moved on)', async () => {
  const { vigild, page, open, close } = await setup({ nurse: 'Nurse Bo' });
  await page.clock.install();
  await vigild.status('ward-a', 'ONLINE');
  await in_infusion(vigild, 'bed-04', 25);
  await open();
  await vitals(vigild, 'bed-04', 92, 134, 82);
  const hr = tile(page, 'bed-04').locator('.vital').nth(0);
  const bp = tile(page, 'bed-04').locator('.vital').nth(1);
  await hr.getByText('92').waitFor({ timeout: 2000 });
  const stale = (locator) => locator.evaluate((el) => el.classList.contains('stale'));
  assert.deepEqual([await stale(hr), await stale(bp)], [false, false]);

  await page.clock.fastForward('00:11');
  await page.waitForFunction(() => document.querySelector('.vital').classList.contains('stale'));
  assert.equal(await stale(bp), false);
  assert.match(await hr.innerText(), /1[12] s ago · stale/);
  await page.screenshot({ path: screenshot_path('1920-stale-hr') });

  await page.clock.fastForward('06:00');
  await page.waitForFunction(() => document.querySelectorAll('.vital.stale').length === 2);
  await close();
});

test('a 1024-wide tablet shows the tiles without sideways scrolling', async () => {
  const { vigild, page, open, close } = await setup({ width: 1024, height: 768, nurse: 'Nurse Bo' });
  await vigild.status('ward-a', 'ONLINE');
  for (const [bed, minutes] of [['bed-01', 12], ['bed-02', 47], ['bed-03', 5]]) await in_infusion(vigild, bed, minutes);
  await vigild.active('bed-02', [
    alarm_event('bed-02', 'SBP_RISE', 'MEDIUM', 'SBP rise 42 mmHg ≥ 40 over baseline 128 at 45:10 into infusion'),
    alarm_event('bed-02', 'HR_HIGH', 'HIGH', 'HR 152 /min > 150 at 46:30 into infusion', { onset_ms: Date.now() - 20_000 }),
  ]);
  await open();
  await vitals(vigild, 'bed-02', 152, 170, 95);
  await tile(page, 'bed-02').locator('.alarm').nth(1).waitFor({ timeout: 2000 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 1024));
  await page.screenshot({ path: screenshot_path('1024-tablet'), fullPage: true });
  await close();
});

test('end to end with the real vigild: a cuff SBP of 186 is shown HIGH and acknowledged from the page',
  { skip: process.env.VIGIL_VIGILD ? false : 'set VIGIL_VIGILD to the vigild binary' }, async () => {
    // Here the fake only plays the bedside gateway; vigild itself raises and acknowledges.
    const { prefix, vigild: gateway, page, open, close } = await setup({ nurse: 'Nurse Dee' });
    const daemon = start_vigild(broker.tcp_url, prefix, 'ward-e2e');
    try {
      await open();
      await page.locator('#daemons .ok', { hasText: 'ward-e2e' }).waitFor({ timeout: 10_000 });
      const now = Date.now();
      const bp = (seq, systolic_mmhg, diastolic_mmhg) => gateway.publish('beds/bed-e2e/vitals/blood_pressure', 'BloodPressure',
        { device_id: 'mon-e2e', measured_at_ms: Date.now(), seq, systolic_mmhg, diastolic_mmhg, source: 'BP_SOURCE_NIBP', validity: 'VALIDITY_VALID' }, false);
      await gateway.publish('beds/bed-e2e/monitor/status', 'MonitorStatus', { device_id: 'mon-e2e', state: 'MONITOR_STATE_ONLINE', at_ms: now });
      await bp(1, 126, 80);
      await gateway.publish('beds/bed-e2e/infusion', 'InfusionEvent',
        { kind: 'INFUSION_KIND_STARTED', at_ms: now, session_id: 'e2e-1', planned_minutes: 45, by: 'Dr Ek' }, false);
      await gateway.publish('beds/bed-e2e/vitals/heart_rate', 'HeartRate',
        { device_id: 'mon-e2e', measured_at_ms: now, seq: 1, bpm: 84, validity: 'VALIDITY_VALID' }, false);
      const published = Date.now();
      await bp(2, 186, 96);

      const high = tile(page, 'bed-e2e').locator('.alarm.p-HIGH');
      await high.waitFor({ timeout: 2000 });
      assert.ok(Date.now() - published < 2000);
      assert.match(await high.locator('.text').innerText(), /186/);
      assert.match(await tile(page, 'bed-e2e').locator('.phase-line').innerText(), /INFUSION\s+00:0\d\s+\/ 45:00/);
      await high.getByRole('button', { name: 'Acknowledge' }).click();
      await high.locator('.acked', { hasText: 'Acknowledged by Nurse Dee' }).waitFor({ timeout: 2000 });
      assert.match(await high.locator('.text').innerText(), /186/);
      await page.screenshot({ path: screenshot_path('1920-e2e-vigild') });

      daemon.stop();
      await page.locator('#outage').waitFor({ timeout: 5000 });
      assert.match(await page.locator('#outage').innerText(), /vigild "ward-e2e" is OFFLINE/);
    } finally {
      daemon.stop();
      await close();
    }
  });

// The central station: trends, the whole ward on one screen, a bed's detail, sound.
await import('./station.mjs');
