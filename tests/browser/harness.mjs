// What the dashboard's browser tests stand on: the built page, a real mosquitto serving it
// (websockets listener + http_dir, as config/mosquitto-dashboard.conf does), a fake vigild
// speaking the project's .proto files over MQTT, and Debian's chromium driven headless.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repo = resolve(import.meta.dirname, '../..');
const dashboard = join(repo, 'dashboard');
const build_dir = process.env.VIGIL_DASHBOARD_BUILD ?? join(repo, 'build', 'dashboard');
export const screenshot_dir = join(repo, 'build', 'screenshots');
const chromium_path = process.env.CHROMIUM ?? '/usr/bin/chromium';
const mosquitto_path = process.env.MOSQUITTO ?? '/usr/sbin/mosquitto';

function run(cmd, args, options) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
}

// npm ci when the lock file's packages are missing, then a fresh build of the page into
// build/dashboard/dist, so the tests always see the current sources.
export function build_page() {
  for (const [path, fix] of [[chromium_path, 'apt-get install chromium'], [mosquitto_path, 'apt-get install mosquitto']]) {
    if (!existsSync(path)) throw new Error(`${path} is missing: ${fix}`);
  }
  if (!existsSync(join(dashboard, 'node_modules', '.package-lock.json'))) run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dashboard });
  const out = join(build_dir, 'dist');
  run('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: dashboard, env: { ...process.env, VIGIL_DASHBOARD_OUT: out } });
  return out;
}

// Packages come from the dashboard's own lock file.
export const dashboard_require = createRequire(join(dashboard, 'package.json'));

function free_port() {
  return new Promise((ok, fail) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

function can_connect(port) {
  return new Promise((ok) => {
    const c = net.connect(port, '127.0.0.1', () => { c.destroy(); ok(true); });
    c.on('error', () => ok(false));
  });
}

// The shipped config/mosquitto-dashboard.conf, moved to free ports and the test's build.
// 'user root' keeps a root-run broker from dropping to the mosquitto user.
function shipped_config(tcp, ws, http_dir) {
  let text = readFileSync(join(repo, 'config', 'mosquitto-dashboard.conf'), 'utf8');
  for (const [from, to] of [[/^listener 1883 127\.0\.0\.1$/m, `listener ${tcp} 127.0.0.1`],
    [/^listener 9001$/m, `listener ${ws}`], [/^http_dir .*$/m, `http_dir ${http_dir}`]]) {
    if (!from.test(text)) throw new Error(`config/mosquitto-dashboard.conf has no line matching ${from}`);
    text = text.replace(from, to);
  }
  return `user root\n${text}`;
}

export async function start_broker(http_dir) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-dash-broker-'));
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const tcp = await free_port();
    const ws = await free_port();
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(conf, shipped_config(tcp, ws, http_dir));
    const child = spawn(mosquitto_path, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const deadline = Date.now() + 5000;
    while (child.exitCode === null && Date.now() < deadline) {
      if ((await can_connect(tcp)) && (await can_connect(ws))) {
        // A test run that dies still takes its broker with it.
        process.on('exit', () => child.kill('SIGKILL'));
        return {
          tcp_url: `mqtt://127.0.0.1:${tcp}`,
          http_url: `http://127.0.0.1:${ws}`,
          stop() { child.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); },
        };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    if (attempt === 4) throw new Error(`mosquitto did not start: ${stderr}`);
  }
}

// The real daemon, when VIGIL_VIGILD names its binary (CTest passes the built one).
export function start_vigild(tcp_url, prefix, instance) {
  const binary = process.env.VIGIL_VIGILD;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-dash-vigild-'));
  const config = join(dir, 'vigild.toml');
  writeFileSync(config, [`[mqtt]`, `broker_uri = "${tcp_url.replace('mqtt:', 'tcp:')}"`, `prefix = "${prefix}"`,
    `instance = "${instance}"`, `[daemon]`, `state_dir = "${join(dir, 'state')}"`,
    `[metrics]`, `listen = "127.0.0.1:0"`, ''].join('\n'));
  const child = spawn(binary, ['--config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  process.on('exit', () => child.kill('SIGKILL'));
  return { stop() { child.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); } };
}

// args: more Chromium switches (the kiosk test passes --autoplay-policy=no-user-gesture-required).
export async function launch_browser({ args = [] } = {}) {
  const { chromium } = dashboard_require('playwright-core');
  // launch() gives chromium a fresh temporary --user-data-dir of its own and removes it on close.
  return chromium.launch({
    executablePath: chromium_path,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...args],
  });
}

// Headless Chromium lets every AudioContext run, whatever --autoplay-policy says. A browser on
// a desk does not: an AudioContext stays suspended, and resume() pending, until the page has
// had a tap or a key. This init script gives a test page that behaviour.
export function desk_autoplay_policy() {
  const Real = window.AudioContext;
  let activated = false;
  for (const type of ['pointerdown', 'mousedown', 'keydown', 'touchend']) addEventListener(type, () => { activated = true; }, true);
  window.AudioContext = class extends Real {
    #allowed = activated;
    get state() { return this.#allowed ? super.state : 'suspended'; }
    resume() {
      if (!activated) return new Promise(() => {});
      this.#allowed = true;
      return super.resume();
    }
  };
}

export async function proto_root() {
  const { load_schema } = await import(join(dashboard, 'src', 'wire.js'));
  const dir = join(repo, 'proto', 'vigil', 'v1');
  const files = Object.fromEntries(readdirSync(dir).filter((n) => n.endsWith('.proto')).map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
  return load_schema(files);
}

// fromObject silently drops an enum name the .proto files do not have: a test that misspells
// one must fail, not publish UNSPECIFIED.
function check_enum_names(type, obj) {
  for (const field of type.fieldsArray) {
    const rt = field.resolvedType;
    for (const v of [obj[field.name] ?? []].flat()) {
      if (rt?.values && typeof v === 'string' && !(v in rt.values)) throw new Error(`${type.name}.${field.name}: no ${v} in ${rt.name}`);
      if (rt?.fieldsArray) check_enum_names(rt, v);
    }
  }
}

// Plays vigild: publishes what vigild publishes, with the enum names spelled as the .proto
// files spell them, and collects the acknowledgements dashboards send.
export class fake_vigild {
  static async connect(url, prefix, root) {
    const mqtt = dashboard_require('mqtt');
    const client = await mqtt.connectAsync(url, { clientId: `fake-vigild-${prefix}`, clean: true });
    const self = new fake_vigild(client, prefix, root);
    client.on('message', (topic, payload) => {
      for (const watch of self.watchers) watch(topic, payload);
      if (!topic.endsWith('/alarms/ack')) return;
      const ack = root.lookupType('vigil.v1.AlarmAck');
      self.acks.push({ topic, ...ack.toObject(ack.decode(payload), { longs: Number }) });
      for (const waiter of self.ack_waiters.splice(0)) waiter();
    });
    await client.subscribeAsync(`${prefix}/beds/+/alarms/ack`, { qos: 1 });
    return self;
  }

  constructor(client, prefix, root) {
    Object.assign(this, { client, prefix, root, acks: [], ack_waiters: [], watchers: new Set() });
  }

  // The first message on topic (under the prefix; wildcards allowed) of type that satisfies
  // test, decoded with enum names as the .proto files spell them; retained ones count.
  async wait_for(topic, type_name, test = () => true, timeout_ms = 10_000) {
    const type = this.root.lookupType(`vigil.v1.${type_name}`);
    const full = `${this.prefix}/${topic}`;
    const pattern = new RegExp(`^${full.replace(/[.]/g, '\\.').replace(/\+/g, '[^/]+').replace(/#$/, '.*')}$`);
    let watch;
    const found = new Promise((ok) => {
      watch = (t, payload) => {
        if (!pattern.test(t) || payload.length === 0) return;
        const msg = type.toObject(type.decode(payload), { longs: Number, enums: String, defaults: true });
        if (test(msg)) ok(msg);
      };
      this.watchers.add(watch);
    });
    let timer;
    const timeout = new Promise((_, fail) => { timer = setTimeout(() => fail(new Error(`nothing on ${full} within ${timeout_ms} ms`)), timeout_ms); });
    await this.client.subscribeAsync(full, { qos: 1 });
    try {
      return await Promise.race([found, timeout]);
    } finally {
      clearTimeout(timer);
      this.watchers.delete(watch);
      await this.client.unsubscribeAsync(full);
    }
  }

  // A retained BedTrend as vigild publishes it: points [{at_ms, series, mean}] (n, lo, hi
  // filled in as for a single reading unless given).
  trend(bed, points, { session_id = `${bed}-s1`, from_ms = Date.now() - 3600_000 } = {}) {
    return this.publish(`beds/${bed}/trend`, 'BedTrend', {
      bed_id: bed, session_id, from_ms, at_ms: Date.now(), resolution_ms: 60_000,
      points: points.map((p) => ({ n: 1, lo: p.mean, hi: p.mean, ...p })),
    });
  }

  async publish(topic, type_name, obj, retain = true) {
    const type = this.root.lookupType(`vigil.v1.${type_name}`);
    check_enum_names(type, obj);
    await this.client.publishAsync(`${this.prefix}/${topic}`, Buffer.from(type.encode(type.fromObject(obj)).finish()), { qos: 1, retain });
  }

  status(instance, state, at_ms = Date.now(), retain = true) {
    return this.publish(`daemon/${instance}/status`, 'DaemonStatus',
      { instance, state: `DAEMON_STATE_${state}`, version: 'fake', started_at_ms: at_ms - 60_000, at_ms }, retain);
  }

  active(bed, alarms) {
    return this.publish(`beds/${bed}/alarms/active`, 'ActiveAlarms', { bed_id: bed, at_ms: Date.now(), alarms });
  }

  async next_ack(timeout_ms) {
    if (!this.acks.length) {
      await new Promise((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`no AlarmAck within ${timeout_ms} ms`)), timeout_ms);
        this.ack_waiters.push(() => { clearTimeout(timer); ok(); });
      });
    }
    return this.acks.shift();
  }

  end() {
    return this.client.endAsync();
  }
}

// An AlarmEvent as vigild would put it in ActiveAlarms; words are the .proto's suffixes.
export function alarm_event(bed, condition, priority, text, extra = {}) {
  const now = Date.now();
  return {
    alarm_id: `${bed}:${condition}:1`, event_seq: 1, bed_id: bed, session_id: `${bed}-s1`, condition,
    kind: 'ALARM_KIND_PHYSIOLOGICAL', priority: `PRIORITY_${priority}`, state: 'ALARM_STATE_ACTIVE',
    transition: 'TRANSITION_RAISED', unit: 'mm[Hg]', onset_ms: now - 75_000, at_ms: now,
    phase: 'PHASE_INFUSION', text, ...extra,
  };
}

export function screenshot_path(name) {
  mkdirSync(screenshot_dir, { recursive: true });
  return join(screenshot_dir, `${name}.png`);
}
