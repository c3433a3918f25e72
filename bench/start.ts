/**
 * npm run bench:start — `npm start` to a ready service, twice on one fresh data folder: the first start
 * (initdb, migrations, demo data; plus a build when dist/ is stale — BENCH_START_REBUILD=true forces one,
 * as on a fresh clone) and the second (nothing to build, migrate or seed). Aims: first ≤ 60 s, second
 * ≤ 5 s. Prints where the time goes, the service's CPU time and its RSS peak until ready. A benchmark, not a test.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rssLine } from './memory';
import { memoryOf } from './service';

const ROOT = path.resolve(__dirname, '../..');
const PORT = Number(process.env.BENCH_START_PORT ?? 3977);

/** Runs the build step as `npm start` does (`force`: as on a fresh clone); its seconds and whether it built. */
function build(force = false): { seconds: number; built: boolean } {
  const stamp = path.join(ROOT, 'dist', '.build-stamp');
  if (force) fs.rmSync(stamp, { force: true });
  const before = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  const started = performance.now();
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--if-changed'], { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) throw new Error('build failed');
  return { seconds: (performance.now() - started) / 1000, built: fs.statSync(stamp).mtimeMs !== before };
}

/** Starts dist/src/main.js, waits for /health/ready; its seconds, RSS and the lines it logged. */
async function start(dataDir: string): Promise<{ seconds: number; cpuSeconds: number; rssMb: number; stop: () => Promise<void> }> {
  const started = performance.now();
  // The embedded database, as `npm start` with no DATABASE_URL uses.
  const { DATABASE_URL: _unused, ...env } = process.env;
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: { ...env, DATA_DIR: dataDir, PORT: String(PORT), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${PORT}/health/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  // Its peak so far: the first start migrates and loads the demo data.
  const rssMb = memoryOf(child.pid!).peakMb;
  // User + system CPU of the service until ready (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of
  // 1/100 s): what a loaded machine stretches into the seconds above.
  const [utime, stime] = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).map(Number);
  return {
    seconds,
    cpuSeconds: (utime + stime) / 100,
    rssMb,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagi-start-'));
  fs.chmodSync(dataDir, 0o755);
  try {
    // Only the first start may build: the second must find nothing changed.
    const firstBuild = build(process.env.BENCH_START_REBUILD === 'true');
    const first = await start(dataDir);
    await first.stop();
    const secondBuild = build();
    const second = await start(dataDir);
    await second.stop();
    const line = (name: string, b: { seconds: number; built: boolean }, s: { seconds: number; cpuSeconds: number; rssMb: number }, aim: number) =>
      `${name}  ${(b.seconds + s.seconds).toFixed(1).padStart(6)} s  (aim ≤ ${aim} s)   build step ${b.seconds.toFixed(1)} s${b.built ? ' (built)' : ' (up to date)'}, process start to ready ${s.seconds.toFixed(1)} s (service CPU ${s.cpuSeconds.toFixed(1)} s), ${rssLine(s.rssMb, 'RSS peak to ready')}`;
    console.log(`npm start to /health/ready, embedded PostgreSQL, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
    console.log(line('first start ', firstBuild, first, 60));
    console.log(line('second start', secondBuild, second, 5));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
