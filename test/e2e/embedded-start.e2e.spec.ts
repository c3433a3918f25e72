import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../src/config/config';
import { ensureIssuerKeys, signToken } from '../../src/platform/auth/issuer-keys';
import { DEMO_ACCOUNTS, tenantId } from '../../seeds/demo-data';

/**
 * The service as `npm start` runs it, in a child process on its own embedded PostgreSQL (whatever
 * DATABASE_URL the test run has), with DATA_DIR in a `mktemp -d` folder (0700: as root, the OS user
 * postgres cannot enter it): a first start, a kill -9 and the start after it, a second start beside a
 * running one, a clean stop, and a cluster PostgreSQL refuses.
 */
const ROOT = path.resolve(__dirname, '../..');
const UP_WITHIN_MS = 90_000;

interface Service {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

describe('embedded PostgreSQL: first start, crash, restart', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagi-embedded-start-'));
  const dataDir = path.join(folder, 'data');
  const link = path.join(dataDir, 'postgres');
  const running: Service[] = [];
  let caseId = '';

  const start = async (): Promise<Service> => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--require', './test/support/typescript-hooks.cjs', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH!, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const service = { child, port, output: () => output, exited };
    running.push(service);
    return service;
  };
  const startHealthy = async (): Promise<Service> => {
    const service = await start();
    let ended = false;
    void service.exited.then(() => (ended = true));
    for (const deadline = Date.now() + UP_WITHIN_MS; Date.now() < deadline && !ended; await sleep(250)) {
      const status = await fetch(`http://127.0.0.1:${service.port}/health`).then((r) => r.status, () => 0);
      if (status === 200) return service;
    }
    throw new Error(`the service did not become healthy:\n${service.output()}`);
  };
  const api = async (service: Service, method: string, route: string, body?: object) => {
    const config = loadConfig({ DATA_DIR: dataDir });
    if (config.auth.mode !== 'built-in') throw new Error('built-in issuer expected');
    const login = 'choju-counselor';
    const tenant = DEMO_ACCOUNTS.find((a) => a.login === login)!.tenant;
    const token = await signToken(await ensureIssuerKeys(config.auth.keyDir), { issuer: config.auth.issuer, audience: config.auth.audience, subject: login, tenantId: tenantId(tenant) });
    const res = await fetch(`http://127.0.0.1:${service.port}/api/v1${route}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const cluster = () => path.join(fs.realpathSync(link), 'cluster');
  const postmasterPid = () => Number(fs.readFileSync(path.join(cluster(), 'postmaster.pid'), 'utf8').split('\n')[0]);

  afterAll(async () => {
    for (const { child } of running) child.kill('SIGKILL');
    const home = fs.existsSync(link) ? fs.realpathSync(link) : undefined;
    const pidFile = home && path.join(home, 'cluster', 'postmaster.pid');
    if (pidFile && fs.existsSync(pidFile)) process.kill(postmasterPid(), 'SIGQUIT');
    if (home) for (let i = 0; i < 100 && fs.existsSync(pidFile!); i++) await sleep(100);
    if (home) fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('comes up on a first start in a folder only its user can enter, and says where the data lives', async () => {
    const service = await startHealthy();
    expect(service.output()).toContain(`data in ${fs.realpathSync(link)}`);
    // Started without a heap limit, the same process runs under the default one (src/platform/bounded-heap.ts).
    expect(fs.readFileSync(`/proc/${service.child.pid}/cmdline`, 'utf8').split('\0')).toContain('--max-old-space-size=256');
    const opened = await api(service, 'POST', '/cases', { title: '再起動確認', issues: ['care'], persons: [{ relation: '本人', familyName: '再起', givenName: '花子' }] });
    expect(opened.status).toBe(201);
    caseId = opened.body.id as string;
  }, 120_000);

  it('after kill -9, the next start stops the PostgreSQL left running and comes up with the data', async () => {
    const [first] = running;
    const orphan = postmasterPid();
    first.child.kill('SIGKILL');
    await first.exited;
    expect(isRunning(orphan)).toBe(true); // the crash left it holding the cluster

    const second = await startHealthy();
    expect(second.output()).toContain(`stopped the PostgreSQL (pid ${orphan})`);
    expect(isRunning(orphan)).toBe(false);
    expect(postmasterPid()).not.toBe(orphan);
    const found = await api(second, 'GET', `/cases/${caseId}`);
    expect(found.status).toBe(200);
    expect(found.body.title).toBe('再起動確認');
  }, 120_000);

  it('refuses a second start on the database a running service uses, in one line, and leaves that one running', async () => {
    const owner = running[1];
    const extra = await start();
    expect(await extra.exited).toBe(1);
    expect(extra.output()).toMatch(new RegExp(`Database: The embedded database in \\S+ is in use by another running tsunagi \\(pid ${owner.child.pid}\\): stop that one, or give this one its own DATA_DIR\\n`));
    expect((await fetch(`http://127.0.0.1:${owner.port}/health`)).status).toBe(200);
  }, 120_000);

  it('stops its PostgreSQL when told to stop', async () => {
    const service = running[1];
    const postmaster = postmasterPid();
    service.child.kill('SIGTERM');
    await service.exited;
    expect(isRunning(postmaster)).toBe(false);
    expect(fs.existsSync(path.join(cluster(), 'postmaster.pid'))).toBe(false);
  }, 120_000);

  it('prints the cause when PostgreSQL refuses to start', async () => {
    fs.appendFileSync(path.join(cluster(), 'postgresql.conf'), "\nshared_buffers = 'plenty'\n");
    const service = await start();
    expect(await service.exited).toBe(1);
    expect(service.output()).toMatch(/tsunagi could not start\.\nDatabase: PostgreSQL stopped while starting \(1\): .*shared_buffers/);
    expect(service.output()).not.toMatch(/undefined|TypeError/);
  }, 120_000);
});

/** Running, and not a zombie waiting for whoever adopted it to reap it. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX] /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = (probe.address() as net.AddressInfo);
      probe.close(() => resolve(port));
    });
  });
}
