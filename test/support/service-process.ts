import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { loadConfig } from '../../src/config/config';
import { ensureIssuerKeys, signToken } from '../../src/platform/auth/issuer-keys';
import { withDatabase } from '../../src/platform/database/database-url';
import { createDatabaseIfMissing, dropDatabase } from '../../src/platform/database/prepare-database';
import { DEMO_ACCOUNTS, tenantId } from '../../seeds/demo-data';
import { TEST_ENV } from './test-env';

const ROOT = path.resolve(__dirname, '../..');
const UP_WITHIN_MS = 90_000;

/** The service as `npm start` runs it (src/main.ts), in a child process, that a test can kill -9. */
export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Where the services of a test keep their data: a `mktemp -d` folder, and a database of their own —
 * on the run's server (DATABASE_URL) cloned from the migrated, seeded template, or, with `embedded`
 * (or no server given), the embedded PostgreSQL the service starts itself in that folder.
 */
export class ServiceHome {
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagi-service-'));
  private readonly services: ServiceProcess[] = [];
  private database?: string;
  private readonly serverUrl = process.env[TEST_ENV.serverUrl];
  readonly embedded: boolean;

  constructor({ embedded = false }: { embedded?: boolean } = {}) {
    this.embedded = embedded || !this.serverUrl;
  }

  private async env(): Promise<Record<string, string>> {
    if (this.embedded) return { DATA_DIR: this.dataDir };
    if (!this.database) {
      this.database = `tsunagi_test_${randomBytes(6).toString('hex')}`;
      await createDatabaseIfMissing(this.serverUrl!, this.database, process.env[TEST_ENV.template]);
    }
    return {
      DATA_DIR: this.dataDir,
      DATABASE_URL: withDatabase(process.env[TEST_ENV.loginUrl]!, this.database),
      MIGRATION_DATABASE_URL: withDatabase(process.env[TEST_ENV.ownerUrl]!, this.database),
    };
  }

  /** Starts one more instance; `env` adds to or overrides the defaults. Settles once it is ready. */
  async start(env: Record<string, string> = {}): Promise<ServiceProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['--require', './test/support/typescript-hooks.cjs', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH!, PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000', ...(await this.env()), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const service = { child, port, base: `http://127.0.0.1:${port}`, output: () => output, exited };
    this.services.push(service);
    let ended = false;
    void exited.then(() => (ended = true));
    for (const deadline = Date.now() + UP_WITHIN_MS; Date.now() < deadline && !ended; await sleep(200)) {
      if ((await fetch(`${service.base}/health/ready`).then((r) => r.status, () => 0)) === 200) return service;
    }
    throw new Error(`the service did not become ready:\n${output}`);
  }

  /** kill -9, as a crash or the OOM killer would. */
  async kill(service: ServiceProcess): Promise<void> {
    service.child.kill('SIGKILL');
    await service.exited;
  }

  async token(login: string): Promise<string> {
    const config = loadConfig({ DATA_DIR: this.dataDir });
    if (config.auth.mode !== 'built-in') throw new Error('built-in issuer expected');
    const tenant = DEMO_ACCOUNTS.find((a) => a.login === login)!.tenant;
    return signToken(await ensureIssuerKeys(config.auth.keyDir), { issuer: config.auth.issuer, audience: config.auth.audience, subject: login, tenantId: tenantId(tenant) });
  }

  /** One API call as a demo login, answered with its status and JSON body. */
  async api(service: ServiceProcess, login: string, method: string, route: string, body?: object): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${service.base}/api/v1${route}`, {
      method,
      headers: { Authorization: `Bearer ${await this.token(login)}`, 'Content-Type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  /** The embedded cluster's folder (DATA_DIR/postgres may link elsewhere). */
  private clusterHome(): string {
    return fs.realpathSync(path.join(this.dataDir, 'postgres'));
  }

  /** The embedded server's postmaster, for a kill -9. */
  postmasterPid(): number {
    return Number(fs.readFileSync(path.join(this.clusterHome(), 'cluster', 'postmaster.pid'), 'utf8').split('\n')[0]);
  }

  /** Runs SQL as a superuser on the services' database, bypassing row-level security: for inspection. */
  async sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
    const url = this.embedded ? this.embeddedSuperuserUrl() : withDatabase(this.serverUrl!, this.database!);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(text, params)).rows;
    } finally {
      await client.end();
    }
  }

  private embeddedSuperuserUrl(): string {
    const home = this.clusterHome();
    const password = fs.readFileSync(path.join(home, 'password'), 'utf8').trim();
    const port = fs.readFileSync(path.join(home, 'cluster', 'postmaster.pid'), 'utf8').split('\n')[3];
    return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/tsunagi`;
  }

  /** Stops every instance still running (and with it an embedded server), and removes what they left. */
  async close(): Promise<void> {
    for (const service of this.services) {
      if (service.child.exitCode === null && service.child.signalCode === null) {
        service.child.kill('SIGTERM');
        await Promise.race([service.exited, sleep(30_000)]);
        service.child.kill('SIGKILL');
      }
    }
    if (this.embedded && fs.existsSync(path.join(this.dataDir, 'postgres'))) {
      const home = this.clusterHome();
      const pidFile = path.join(home, 'cluster', 'postmaster.pid');
      if (fs.existsSync(pidFile)) {
        try {
          process.kill(this.postmasterPid(), 'SIGQUIT');
        } catch {
          // gone already
        }
        for (let i = 0; i < 100 && fs.existsSync(pidFile); i++) await sleep(100);
      }
      fs.rmSync(home, { recursive: true, force: true });
    }
    if (this.database) await dropDatabase(this.serverUrl!, this.database);
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
