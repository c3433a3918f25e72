import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface ServiceProcess {
  base: string;
  pid: number;
  /** Resident memory now and at its highest so far, in MB (from /proc). */
  rss(): { nowMb: number; peakMb: number };
  stop(): Promise<void>;
}

/** Starts the service in a process of its own with `env` (beside the bench's own environment). */
export async function startService(env: Record<string, string>): Promise<ServiceProcess> {
  const child = fork(path.join(__dirname, 'service-process.js'), { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the service ended (${code}) before listening`)));
  });
  return {
    base: `http://127.0.0.1:${port}/api/v1`,
    pid: child.pid!,
    rss: () => memoryOf(child),
    stop: () => stopChild(child),
  };
}

function memoryOf(child: ChildProcess): { nowMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { nowMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
