import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** In a real Node process, since the handlers act on the process itself. */
function runWith(install: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagi-stray-'));
  const script = path.join(dir, 'stray.ts');
  fs.writeFileSync(
    script,
    `import { createLogger } from ${JSON.stringify(path.resolve(__dirname, 'http/logger.ts'))};
     import { keepServingOnStrayErrors } from ${JSON.stringify(path.resolve(__dirname, 'stray-errors.ts'))};
     if (${install}) keepServingOnStrayErrors(createLogger('info'));
     console.log('started');
     setTimeout(() => { throw new Error('stray timer'); });
     void Promise.reject(new Error('stray promise'));
     setTimeout(() => console.log('still serving'), 50);`,
  );
  try {
    return spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('keepServingOnStrayErrors', () => {
  it('logs an error thrown by a timer and a rejected promise nobody awaited, and the process keeps running', () => {
    const run = runWith(true);
    expect(run.status).toBe(0);
    const logs = run.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { level: number; err: { message: string } });
    expect(logs.map((l) => [l.level, l.err.message]).sort()).toEqual([
      [50, 'stray promise'],
      [50, 'stray timer'],
    ]);
    expect(run.stdout).toContain('still serving');
  });

  it('without it, the same process dies (what the handlers prevent)', () => {
    const run = runWith(false);
    expect(run.stdout).toContain('started');
    expect(run.status).not.toBe(0);
    expect(run.stdout).not.toContain('still serving');
  });
});
