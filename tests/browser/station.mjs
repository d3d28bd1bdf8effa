// The central station (issue 17): trends on every tile, a whole ward on one screen, a bed's
// detail with vigild's alarm history, and sound a wall screen can rely on. Imported by run.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alarm_event, launch_browser, screenshot_path, start_vigild } from './harness.mjs';
import { broker, in_infusion, setup, tile, vitals } from './fixture.mjs';

const minute = 60_000;

// A session 30 minutes in under ketamine: HR per minute rising 76 -> 90, a cuff every 5 min.
function ketamine_session(now) {
  const start = now - 30 * minute;
  const hr = Array.from({ length: 30 }, (_, m) => ({ at_ms: start + m * minute, series: 'hr', n: 60, lo: 73 + m / 2, mean: 76 + m / 2, hi: 79 + m / 2 }));
  const cuffs = [[2, 130, 80], [7, 138, 83], [12, 146, 86], [17, 155, 89], [22, 163, 92], [27, 170, 95]]
    .map(([m, sys, dia]) => ({ at_ms: start + m * minute, sys, dia }));
  return { start, hr, cuffs };
}

const nibp_points = (cuffs) => cuffs.flatMap(({ at_ms, sys, dia }) => [
  { at_ms, series: 'nibp_sys', mean: sys }, { at_ms, series: 'nibp_dia', mean: dia }, { at_ms, series: 'nibp_mean', mean: Math.round((sys + 2 * dia) / 3) }]);

async function session_with_baseline(vigild, bed, start, baseline = [126, 80]) {
  await vigild.publish(`beds/${bed}/session`, 'SessionState', {
    bed_id: bed, session_id: `${bed}-s1`, phase: 'PHASE_INFUSION', infusion_started_at_ms: start, planned_minutes: 45,
    baseline_systolic_mmhg: baseline[0], baseline_diastolic_mmhg: baseline[1], at_ms: Date.now(),
  });
  await vigild.publish(`beds/${bed}/monitor/status`, 'MonitorStatus', { device_id: `mon-${bed}`, state: 'MONITOR_STATE_ONLINE', at_ms: Date.now() });
}

const drawn_cuffs = (page, bed) => tile(page, bed).locator('.chart .nibp').evaluateAll((els) => els.map((el) => [Number(el.dataset.sys), Number(el.dataset.dia)]));

test('a tile\'s trend: the readings sent, the baseline and limits as lines, the alarm on the time axis; it survives a reload', async () => {
  const { vigild, page, open, close } = await setup({ nurse: 'Nurse Bo' });
  const now = Date.now();
  const { start, hr, cuffs } = ketamine_session(now);
  await vigild.status('ward-a', 'ONLINE');
  await session_with_baseline(vigild, 'bed-31', start);
  await vigild.trend('bed-31', [...hr, ...nibp_points(cuffs)].sort((a, b) => a.at_ms - b.at_ms), { from_ms: start });
  await vigild.active('bed-31', [alarm_event('bed-31', 'SBP_RISE', 'MEDIUM', 'SBP rise 44 mmHg ≥ 40 over baseline 126 at 27:00 into infusion',
    { value: 44, limit: 40, onset_ms: start + 27 * minute })]);
  await open();

  const chart = tile(page, 'bed-31').locator('.chart');
  await chart.locator('.nibp').nth(5).waitFor({ timeout: 2000 });
  assert.deepEqual(await drawn_cuffs(page, 'bed-31'), cuffs.map((c) => [c.sys, c.dia]));
  // Every cuff reading sits at its time: x grows with at_ms.
  const xs = await chart.locator('.nibp circle.sys').evaluateAll((els) => els.map((el) => Number(el.getAttribute('cx'))));
  assert.ok(xs.every((x, i) => i === 0 || x > xs[i - 1]), xs.join(' '));
  // HR: one vertex per minute of the trend.
  assert.equal((await chart.locator('.hr-line').getAttribute('d')).match(/[ML]/g).length, 30);
  // The session's baseline, and the rise limit over it marked in the open alarm's colour.
  assert.equal(await chart.locator('.baseline[data-part="sys"]').getAttribute('data-value'), '126');
  const rise = chart.locator('.limit[data-condition="SBP_RISE"]');
  assert.equal(await rise.getAttribute('data-value'), '166');
  assert.match(await rise.getAttribute('class'), /mark p-MEDIUM/);
  assert.equal(await chart.locator('.limit[data-condition="SBP_HIGH"]').getAttribute('data-value'), '160');
  assert.equal(await chart.locator('.episode.p-MEDIUM').getAttribute('data-alarm'), 'bed-31:SBP_RISE:1');
  // No live BP yet: the tile shows the trend's last cuff reading and its age, not "—".
  const bp = tile(page, 'bed-31').locator('.vital').nth(1);
  assert.match(await bp.innerText(), /170\/95[\s\S]*3 min ago/);

  // A live reading joins the trend at once.
  await vitals(vigild, 'bed-31', 92, 174, 97);
  await page.waitForFunction(() => document.querySelectorAll('article[data-bed="bed-31"] .chart .nibp').length === 7);
  assert.deepEqual((await drawn_cuffs(page, 'bed-31')).at(-1), [174, 97]);
  assert.match(await bp.innerText(), /174\/97/);
  await page.screenshot({ path: screenshot_path('1920-trend') });

  // vigild's next BedTrend holds it; a reloaded page draws all seven and keeps the last BP.
  await vigild.trend('bed-31', [...hr, ...nibp_points([...cuffs, { at_ms: Date.now(), sys: 174, dia: 97 }])], { from_ms: start });
  await page.reload();
  await tile(page, 'bed-31').locator('.chart .nibp').nth(6).waitFor({ timeout: 2000 });
  assert.deepEqual(await drawn_cuffs(page, 'bed-31'), [...cuffs.map((c) => [c.sys, c.dia]), [174, 97]]);
  assert.match(await tile(page, 'bed-31').locator('.vital').nth(1).innerText(), /174\/97[\s\S]*\d+ s ago/);
  await close();
});

// A ward of `ids`, each in infusion with a short trend; some with alarms.
async function ward_of(vigild, ids) {
  await vigild.status('ward-a', 'ONLINE');
  const now = Date.now();
  const { start, hr, cuffs } = ketamine_session(now);
  for (const [i, bed] of ids.entries()) {
    await session_with_baseline(vigild, bed, start + i * minute);
    await vigild.trend(bed, [...hr, ...nibp_points(cuffs)].map((p) => ({ ...p, mean: p.mean + (i % 4) * 3 })).sort((a, b) => a.at_ms - b.at_ms), { from_ms: start });
  }
  await vigild.active(ids[2], [alarm_event(ids[2], 'SBP_HIGH', 'HIGH', 'SBP 183 mmHg ≥ 180 at 28:02 into infusion', { value: 183, limit: 180 })]);
  await vigild.active(ids[4], [
    alarm_event(ids[4], 'SBP_RISE', 'MEDIUM', 'SBP rise 44 mmHg ≥ 40 over baseline 126 at 27:00 into infusion', { onset_ms: now - 3 * minute }),
    alarm_event(ids[4], 'HR_HIGH', 'MEDIUM', 'HR 124 /min > 120 at 29:30 into infusion', { unit: '/min', onset_ms: now - 30_000 }),
    alarm_event(ids[4], 'DBP_HIGH', 'MEDIUM', 'DBP 101 mmHg ≥ 100; acknowledged by Nurse Carol at 25:00 into infusion',
      { state: 'ALARM_STATE_ACKNOWLEDGED', transition: 'TRANSITION_ACKNOWLEDGED', acknowledged_by: 'Nurse Carol', onset_ms: now - 6 * minute }),
  ]);
}

// The page fits the viewport: no scrolling either way, every tile inside, nothing of a tile
// cut off, and each tile's trend tall enough to read.
async function assert_fits(page) {
  const m = await page.evaluate(() => ({
    sw: document.documentElement.scrollWidth, sh: document.documentElement.scrollHeight, w: innerWidth, h: innerHeight,
    tiles: [...document.querySelectorAll('main article')].map((el) => {
      const box = el.getBoundingClientRect();
      const parts = [...el.querySelectorAll('.tile-head, .phase-wrap, .tile-main, .alarms-wrap')].map((p) => p.getBoundingClientRect().bottom);
      const main = el.querySelector('.tile-main').getBoundingClientRect();
      return { id: el.dataset.bed, right: box.right, bottom: box.bottom, width: box.width, content_bottom: Math.max(...parts),
        vitals_over: el.querySelector('.vitals').getBoundingClientRect().bottom - main.bottom,
        chart_h: el.querySelector('.chart').getBoundingClientRect().height };
    }),
  }));
  assert.ok(m.sw <= m.w && m.sh <= m.h, `scroll ${m.sw}x${m.sh} in a ${m.w}x${m.h} viewport`);
  for (const t of m.tiles) {
    assert.ok(t.right <= m.w && t.bottom <= m.h, `${t.id} ends at ${t.right},${t.bottom}`);
    assert.ok(t.content_bottom <= t.bottom - 4, `${t.id}'s content ends at ${t.content_bottom}, the tile at ${t.bottom}`);
    assert.ok(t.chart_h >= 60, `${t.id}'s trend is ${t.chart_h} px tall`);
    assert.ok(t.vitals_over <= 1, `${t.id}'s vitals run ${t.vitals_over} px into its alarms`);
  }
  return m.tiles;
}

// A bed id is one line: as tall as one line, and never broken inside.
async function bed_id_box(page, bed) {
  return tile(page, bed).locator('h2.bed-id').evaluate((el) => ({
    text: el.innerText, title: el.title, height: el.getBoundingClientRect().height,
    line: parseFloat(getComputedStyle(el).lineHeight), elided: el.scrollWidth > el.clientWidth,
  }));
}

let wide_tile_width = 0;

test('12 beds fit a 1920x1080 screen without scrolling, most urgent first, a long bed id on one line', async () => {
  const { vigild, page, open, close } = await setup({ nurse: 'Nurse Bo' });
  const ids = [...Array.from({ length: 11 }, (_, i) => `bed-${String(i + 1).padStart(2, '0')}`), 'icu-east-bay-12'];
  await ward_of(vigild, ids);
  await open();
  await page.locator('main article').nth(11).waitFor({ timeout: 3000 });
  for (const [i, bed] of ids.entries()) await vitals(vigild, bed, 80 + i, 140 + i, 85);
  await tile(page, 'icu-east-bay-12').locator('.vital .value', { hasText: '151/85' }).waitFor({ timeout: 2000 });
  // Each tile's trend has its live cuff reading too (the newest point, at the right).
  await page.waitForFunction(() => [...document.querySelectorAll('main article')].every((el, i, all) => el.querySelectorAll('.nibp').length > 0
    && el.querySelector('.nibp:last-of-type').dataset.sys === el.querySelector('.vital:nth-child(2) .value')?.innerText.split('/')[0]));
  const tiles = await assert_fits(page);
  assert.equal(tiles.length, 12);
  assert.deepEqual(tiles.slice(0, 2).map((t) => t.id), ['bed-03', 'bed-05']);
  assert.equal(await page.locator('#more').isVisible(), false);
  wide_tile_width = Math.min(...tiles.map((t) => t.width));

  const id = await bed_id_box(page, 'icu-east-bay-12');
  assert.equal(id.text, 'icu-east-bay-12');
  assert.equal(id.title, 'icu-east-bay-12');
  assert.ok(id.height <= id.line * 1.05, `bed id ${id.height} px tall, line ${id.line} px`);
  assert.equal(id.elided, false);
  // The tile with three alarms shows the two that call and says there is one more; the
  // acknowledged one's text says who once, not twice.
  assert.match(await tile(page, 'bed-05').locator('.alarms .more').innerText(), /\+1 more alarm/);
  await page.screenshot({ path: screenshot_path('1920-ward-12') });
  await close();
});

test('6 beds fit a 1024x768 tablet without scrolling; tiles no wider than on the wall screen; a very long id elides', async () => {
  const { vigild, page, open, close } = await setup({ width: 1024, height: 768, nurse: 'Nurse Bo' });
  const long_id = `recovery-chair-${'x'.repeat(30)}-south-wing-07`;
  const ids = ['bed-01', 'bed-02', 'icu-east-bay-12', 'bed-04', 'bed-05', long_id];
  await ward_of(vigild, ids);
  await open();
  await page.locator('main article').nth(5).waitFor({ timeout: 3000 });
  await page.waitForFunction(() => document.querySelectorAll('main article .nibp').length >= 6 * 3);
  const tiles = await assert_fits(page);
  assert.equal(tiles.length, 6);
  if (wide_tile_width) {
    assert.ok(Math.max(...tiles.map((t) => t.width)) <= wide_tile_width, `tablet tiles ${tiles.map((t) => t.width)} vs ${wide_tile_width} at 1920`);
  }
  const short = await bed_id_box(page, 'icu-east-bay-12');
  assert.ok(short.height <= short.line * 1.05 && short.text === 'icu-east-bay-12', JSON.stringify(short));
  const long = await bed_id_box(page, long_id);
  assert.ok(long.height <= long.line * 1.05, JSON.stringify(long));
  assert.equal(long.elided, true);
  assert.equal(long.title, long_id);
  await page.screenshot({ path: screenshot_path('1024-ward-6') });

  // The acknowledged alarm says who once: the badge line, not again in vigild's text.
  await tile(page, 'bed-05').click({ position: { x: 200, y: 100 } });
  const dbp = page.locator('#detail .alarm', { hasText: 'DBP 101' });
  await dbp.waitFor({ timeout: 2000 });
  assert.equal((await dbp.innerText()).match(/acknowledged by/gi)?.length, 1);
  await close();
});

test('more beds than fit: a tablet says how many, pins the most urgent as tiles and names the rest', async () => {
  const { vigild, page, open, close } = await setup({ width: 1024, height: 768, nurse: 'Nurse Bo' });
  const ids = Array.from({ length: 9 }, (_, i) => `bed-${String(i + 1).padStart(2, '0')}`);
  await ward_of(vigild, ids);
  await vigild.active('bed-09', [alarm_event('bed-09', 'HR_LOW', 'HIGH', 'HR 38 /min < 40 at 29:00 into infusion', { unit: '/min' })]);
  await open();
  await page.locator('#more .chip').nth(2).waitFor({ timeout: 3000 });
  await tile(page, 'bed-09').locator('.alarm.p-HIGH').waitFor({ timeout: 2000 });
  const tiles = await assert_fits(page);
  assert.equal(tiles.length, 6);
  assert.deepEqual(tiles.slice(0, 3).map((t) => t.id).sort(), ['bed-03', 'bed-05', 'bed-09']);
  assert.match(await page.locator('#more').innerText(), /9 beds: the 6 most urgent shown, 3 more:/);
  const named = await page.locator('#more .chip').evaluateAll((els) => els.map((el) => el.dataset.open));
  assert.deepEqual([...tiles.map((t) => t.id), ...named].sort(), ids);
  await page.screenshot({ path: screenshot_path('1024-more-beds') });
  // A named bed opens from the line.
  await page.locator('#more .chip').first().click();
  await page.locator(`#detail[data-bed="${named[0]}"]`).waitFor({ timeout: 2000 });
  await close();
});

test('sound: a kiosk station sounds without a tap; a desk browser cannot miss that its sound is off', async () => {
  const kiosk = await launch_browser({ args: ['--autoplay-policy=no-user-gesture-required'] });
  try {
    const { vigild, page, open, close } = await setup({ nurse: 'Nurse Bo', in: kiosk });
    await vigild.status('ward-a', 'ONLINE');
    await vigild.active('bed-02', [alarm_event('bed-02', 'SBP_LOW', 'MEDIUM', 'SBP 86 mmHg < 90')]);
    await open();
    await page.waitForFunction(() => window.vigil_debug.audio.enabled && window.vigil_debug.audio.bursts.MEDIUM >= 1, null, { timeout: 3000 });
    assert.equal(await page.getByRole('button', { name: /Sound is OFF/ }).count(), 0);
    await close();
  } finally {
    await kiosk.close();
  }

  const { vigild, page, open, close } = await setup({ nurse: 'Nurse Bo' });
  await vigild.status('ward-a', 'ONLINE');
  await in_infusion(vigild, 'bed-02', 10);
  await open();
  // Nothing calls: a quiet reminder only.
  await page.getByRole('button', { name: 'Sound is OFF — tap to turn on' }).waitFor({ timeout: 2000 });
  assert.equal(await page.evaluate(() => document.body.classList.contains('silent-alarm')), false);
  await vigild.active('bed-02', [alarm_event('bed-02', 'SBP_LOW', 'MEDIUM', 'SBP 86 mmHg < 90')]);
  await page.getByRole('button', { name: /Sound is OFF — tap anywhere/ }).waitFor({ timeout: 2000 });
  // The whole header turns yellow (or its flashing paler phase).
  assert.match(await page.locator('header#top').evaluate((el) => getComputedStyle(el).backgroundColor), /rgb\(255, (212, 0|242, 160)\)/);
  await page.screenshot({ path: screenshot_path('1920-sound-off-alarm') });
  // The not-running notice says it too.
  await vigild.status('ward-a', 'OFFLINE');
  await page.locator('#outage .sound-line').waitFor({ timeout: 2000 });
  // A tap anywhere turns sound on, and the prompt goes.
  await tile(page, 'bed-02').locator('.phase-wrap').click();
  await page.getByRole('button', { name: 'Pause audio for 2 min' }).waitFor({ timeout: 2000 });
  assert.equal(await page.locator('#outage .sound-line').count(), 0);
  await close();
});

test('end to end with the real vigild: a bed\'s detail shows an alarm that ended before the page was opened, from vigild\'s record',
  { skip: process.env.VIGIL_VIGILD ? false : 'set VIGIL_VIGILD to the vigild binary' }, async () => {
    const { prefix, vigild: gateway, page, open, close } = await setup({ nurse: 'Nurse Dee' });
    const daemon = start_vigild(broker.tcp_url, prefix, 'ward-e2e');
    try {
      await gateway.wait_for('daemon/ward-e2e/status', 'DaemonStatus', (m) => m.state === 'DAEMON_STATE_ONLINE');
      const bp = (seq, systolic_mmhg, diastolic_mmhg) => gateway.publish('beds/bed-e2e/vitals/blood_pressure', 'BloodPressure',
        { device_id: 'mon-e2e', measured_at_ms: Date.now(), seq, systolic_mmhg, diastolic_mmhg, source: 'BP_SOURCE_NIBP', validity: 'VALIDITY_VALID' }, false);
      const active_has = (condition) => (m) => m.alarms.some((a) => a.condition === condition && a.state === 'ALARM_STATE_ACTIVE');
      await gateway.publish('beds/bed-e2e/monitor/status', 'MonitorStatus', { device_id: 'mon-e2e', state: 'MONITOR_STATE_ONLINE', at_ms: Date.now() });
      await bp(1, 126, 80);
      await gateway.publish('beds/bed-e2e/infusion', 'InfusionEvent',
        { kind: 'INFUSION_KIND_STARTED', at_ms: Date.now(), session_id: 'e2e-2', planned_minutes: 45, by: 'Dr Ek' }, false);
      await gateway.wait_for('beds/bed-e2e/session', 'SessionState', (m) => m.phase === 'PHASE_INFUSION');
      // SBP 186: SBP_HIGH (HIGH) and SBP_RISE (MEDIUM); acknowledged, then over (SBP 130).
      await bp(2, 186, 96);
      const raised = await gateway.wait_for('beds/bed-e2e/alarms/active', 'ActiveAlarms', active_has('SBP_HIGH'));
      const sbp_high = raised.alarms.find((a) => a.condition === 'SBP_HIGH');
      await gateway.publish('beds/bed-e2e/alarms/ack', 'AlarmAck', { alarm_id: sbp_high.alarm_id, by: 'Nurse Eve', at_ms: Date.now() }, false);
      await gateway.wait_for('beds/bed-e2e/alarms/active', 'ActiveAlarms', (m) => m.alarms.some((a) => a.state === 'ALARM_STATE_ACKNOWLEDGED'));
      await bp(3, 130, 80);
      await gateway.wait_for('beds/bed-e2e/alarms/active', 'ActiveAlarms', (m) => !m.alarms.some((a) => a.condition === 'SBP_HIGH'));

      // vigild's retained BedTrend holds the session's cuff readings (within 5 s of the last).
      const has_cuff = (sys) => (m) => m.points.some((p) => p.series === 'nibp_sys' && p.mean === sys);
      await gateway.wait_for('beds/bed-e2e/trend', 'BedTrend', (m) => has_cuff(186)(m) && has_cuff(130)(m));

      // Only now the page: the alarm is in no retained topic, only in vigild's record.
      await open();
      await tile(page, 'bed-e2e').waitFor({ timeout: 2000 });
      assert.equal(await tile(page, 'bed-e2e').locator('.alarm').count(), 0);
      // The tile draws vigild's BedTrend at once, and shows its last cuff as the BP.
      await tile(page, 'bed-e2e').locator('.chart .nibp[data-sys="130"]').waitFor({ timeout: 2000 });
      const tile_sys = await tile(page, 'bed-e2e').locator('.chart .nibp').evaluateAll((els) => els.map((el) => el.dataset.sys));
      assert.deepEqual(tile_sys.filter((v) => v !== '126'), ['186', '130']);
      assert.match(await tile(page, 'bed-e2e').locator('.vital').nth(1).innerText(), /130\/80/);
      // The tile's time axis still shows the episode (the record asked for at start).
      await tile(page, 'bed-e2e').locator(`.episode[data-alarm="${sbp_high.alarm_id}"]`).waitFor({ timeout: 5000 });
      await tile(page, 'bed-e2e').locator('.chart').click();
      const detail = page.locator('#detail');
      const hist = detail.locator(`.hist[data-alarm="${sbp_high.alarm_id}"]`);
      await hist.waitFor({ timeout: 5000 });
      assert.match(await hist.innerText(), /HIGH[\s\S]*186[\s\S]*SBP_HIGH[\s\S]*acknowledged by Nurse Eve/);
      assert.match(await detail.locator('.history').innerText(), /SBP_RISE/);
      // vigild's own trend, from its record: the session's cuff readings. (A session under a
      // minute old is drawn over its last minute: the baseline cuff may show too, as vigild's
      // record holds it or not.)
      await page.waitForFunction(() => window.vigil_debug.detail.answer?.trend?.length >= 6);
      const sys = await detail.locator('.detail-chart .nibp').evaluateAll((els) => els.map((el) => el.dataset.sys));
      assert.deepEqual(sys.filter((v) => v !== '126'), ['186', '130']);
      assert.equal(await detail.locator('.detail-chart .baseline[data-part="sys"]').getAttribute('data-value'), '126');
      // No live BP since the page opened: the detail shows the record's last cuff.
      assert.match(await detail.locator('.detail-status .vital').nth(1).innerText(), /130\/80/);

      await page.screenshot({ path: screenshot_path('1920-detail-e2e') });

      // 1 h: asks again, from an hour ago; the chart spans the hour.
      await detail.getByRole('button', { name: '1 h' }).click();
      await page.waitForFunction(() => window.vigil_debug.detail.answer?.range === '1h');
      assert.equal(await detail.getByRole('button', { name: '1 h' }).getAttribute('aria-pressed'), 'true');
      const span = await detail.locator('.detail-chart svg').evaluate((el) => el.dataset.t1 - el.dataset.t0);
      assert.ok(Math.abs(span - 3600_000) < 5000, `the 1 h chart spans ${span} ms`);
      assert.deepEqual(await detail.locator('.detail-chart .nibp').evaluateAll((els) => els.map((el) => el.dataset.sys)), sys);

      // A new alarm while the detail is open is acknowledged from there.
      await bp(4, 191, 99);
      const again = detail.locator('.alarm.p-HIGH', { hasText: '191' });
      await again.getByRole('button', { name: 'Acknowledge' }).click({ timeout: 3000 });
      await again.locator('.acked', { hasText: 'Acknowledged by Nurse Dee' }).waitFor({ timeout: 2000 });
      assert.equal((await again.innerText()).match(/acknowledged by/gi).length, 1);
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.waitForFunction(() => {
        const chart = document.querySelector('#detail .detail-chart');
        return chart.querySelector('svg')?.getAttribute('width') === String(chart.clientWidth);
      });
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth));
      await page.screenshot({ path: screenshot_path('1024-detail-e2e') });
      await detail.getByRole('button', { name: 'Close' }).click();
      await detail.waitFor({ state: 'hidden', timeout: 2000 });
    } finally {
      daemon.stop();
      await close();
    }
  });
