import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { heapLimitArgs } from '../src/platform/heap-limit';

export interface ServiceProcess {
  base: string;
  pid: number;
  /** V8's heap limit in the service (old space and young generation), in MB. */
  heapLimitMb: number;
  /** Resident memory now and at its highest so far, in MB (from /proc). */
  rss(): { nowMb: number; peakMb: number };
  stop(): Promise<void>;
}

/**
 * Starts the service in a process of its own with `env` (beside the bench's own environment), with the
 * heap limit `npm start` gives it (MAX_OLD_SPACE_MB).
 */
export async function startService(env: Record<string, string>): Promise<ServiceProcess> {
  const childEnv = { ...process.env, ...env };
  const execArgv = [...process.execArgv, ...heapLimitArgs(process.execArgv, childEnv)];
  const child = fork(path.join(__dirname, 'service-process.js'), { env: childEnv, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port, heapLimitMb } = await new Promise<{ port: number; heapLimitMb: number }>((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the service ended (${code}) before listening`)));
  });
  return {
    base: `http://127.0.0.1:${port}/api/v1`,
    pid: child.pid!,
    heapLimitMb,
    rss: () => memoryOf(child.pid!),
    stop: () => stopChild(child),
  };
}

/** A process's resident memory now and at its highest so far (the kernel's high-water mark), in MB. */
export function memoryOf(pid: number): { nowMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
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
