import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddedPostgresError, type RunAs } from './os-access';

/** Messages in English whatever the machine's locale: they end up in boot errors. */
const ENV = { ...process.env, LC_ALL: 'C' };
const READY_WITHIN_MS = 120_000; // crash recovery after a kill -9 replays the WAL first
const STOP_WITHIN_MS = 30_000;

/** What PostgreSQL writes in `postmaster.pid` while it runs (see pg_ctl). */
interface PostmasterPid {
  pid: number;
  status: string;
}

/** Runs `initdb` (or any one-off PostgreSQL program) and turns every way it can fail into one error with its output. */
export function runProgram(program: string, args: string[], user: RunAs): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { ...user, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('error', (error) => reject(new EmbeddedPostgresError(`${path.basename(program)} could not be run (${error.message})`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new EmbeddedPostgresError(`${path.basename(program)} failed (${code ?? signal}): ${lastLines(output)}`));
    });
  });
}

export interface Postmaster {
  pid: number;
  /** Settles when the server has ended, however: with its exit code, or the signal that ended it. */
  exited: Promise<number | string>;
  stop(): Promise<void>;
}

/**
 * Starts the server in its own session (a Ctrl-C in the terminal reaches the service, which stops it
 * after closing its connections), logging to `logFile`, and waits until it accepts connections.
 * Should the service exit without stopping it, it is told to shut down on the way out.
 */
export async function startPostmaster(program: string, clusterDir: string, args: string[], user: RunAs, logFile: string): Promise<Postmaster> {
  if (fs.existsSync(logFile)) fs.renameSync(logFile, `${logFile}.1`);
  const log = fs.openSync(logFile, 'w', 0o644);
  const child = spawn(program, ['-D', clusterDir, ...args], { ...user, env: ENV, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const stopOnExit = () => child.kill('SIGINT');
  process.on('exit', stopOnExit);
  void exited.then(() => process.off('exit', stopOnExit));
  try {
    await untilReady(child, clusterDir, logFile);
  } catch (error) {
    child.kill('SIGQUIT');
    throw error;
  }
  return {
    pid: child.pid!,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT'); // fast shutdown: ends sessions, checkpoints, exits
      const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_WITHIN_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function untilReady(child: ChildProcess, clusterDir: string, logFile: string): Promise<void> {
  let failure: Error | undefined;
  child.once('error', (error) => (failure = new EmbeddedPostgresError(`PostgreSQL could not be run (${error.message})`)));
  child.once('exit', (code, signal) => (failure ??= new EmbeddedPostgresError(`PostgreSQL stopped while starting (${code ?? signal}): ${lastLines(readText(logFile))}`)));
  for (const deadline = Date.now() + READY_WITHIN_MS; Date.now() < deadline; await sleep(50)) {
    if (failure) throw failure;
    const running = readPostmasterPid(clusterDir);
    if (running && running.pid === child.pid && running.status === 'ready') return;
  }
  throw new EmbeddedPostgresError(`PostgreSQL did not accept connections within ${READY_WITHIN_MS / 1000} s: see ${logFile}`);
}

/**
 * A server a service left running when it died (kill -9, a crash) still holds the cluster, so a new one
 * cannot start: it is shut down here. One still used by a live service (its parent, named in
 * `ownerFile`) is left alone and refused. Returns the pid of the server it stopped.
 */
export async function stopLeftoverPostmaster(clusterDir: string, ownerFile: string): Promise<number | undefined> {
  const found = readPostmasterPid(clusterDir);
  if (!found || !isRunning(found.pid)) return undefined;
  if (!runsIn(found.pid, clusterDir)) {
    // The pid was given to another program since (a reboot): the file is stale, and PostgreSQL would refuse it.
    fs.rmSync(path.join(clusterDir, 'postmaster.pid'), { force: true });
    return undefined;
  }
  const owner = Number(readText(ownerFile)) || undefined;
  if (owner && isRunning(owner) && parentOf(found.pid) === owner) {
    throw new EmbeddedPostgresError(`The embedded database in ${clusterDir} is in use by another running tsunagi (pid ${owner}): stop that one, or give this one its own DATA_DIR`);
  }
  for (const signal of ['SIGINT', 'SIGQUIT'] as const) {
    try {
      process.kill(found.pid, signal); // SIGINT: fast shutdown; SIGQUIT: immediate (the next start recovers)
    } catch {
      // gone already
    }
    for (const deadline = Date.now() + STOP_WITHIN_MS; Date.now() < deadline; await sleep(100)) {
      if (!isRunning(found.pid)) {
        // A zombie's lock file would still name a live pid.
        fs.rmSync(path.join(clusterDir, 'postmaster.pid'), { force: true });
        return found.pid;
      }
    }
  }
  throw new EmbeddedPostgresError(`The PostgreSQL left running on ${clusterDir} (pid ${found.pid}) did not stop: stop it (kill ${found.pid}) and start again`);
}

/** Names this process as the server's owner, for stopLeftoverPostmaster. */
export function recordOwner(ownerFile: string): void {
  fs.writeFileSync(ownerFile, `${process.pid}\n`);
}

function readPostmasterPid(clusterDir: string): PostmasterPid | undefined {
  const lines = readText(path.join(clusterDir, 'postmaster.pid')).split('\n');
  const pid = Number(lines[0]);
  return pid > 0 ? { pid, status: (lines[7] ?? '').trim() } : undefined;
}

/** Alive and not a zombie (an orphan's exit is reaped by whoever adopted it, maybe late). */
function isRunning(pid: number): boolean {
  const stat = procStat(pid);
  if (stat) return stat.state !== 'Z' && stat.state !== 'X';
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parentOf(pid: number): number | undefined {
  return procStat(pid)?.ppid;
}

/** PostgreSQL's postmaster works in its data folder. Unknowable (no /proc, another user's process): not ours. */
function runsIn(pid: number, clusterDir: string): boolean {
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`) === fs.realpathSync(clusterDir);
  } catch {
    return false;
  }
}

function procStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function lastLines(output: string, count = 5): string {
  return output.trim().split('\n').slice(-count).join(' | ') || '(no output)';
}
