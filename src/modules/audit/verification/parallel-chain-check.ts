import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SegmentResult } from './chain-rows';
import type { SegmentTask } from './chain-segment.worker';

/** Below this many entries one segment is checked: a worker's start costs more than it saves. */
const ENTRIES_PER_WORKER = 50_000;

/**
 * Each worker is a V8 heap of its own inside the service's process. Its old space follows the
 * service's heap limit (node's --max-old-space-size overrides a worker's own), so only the young
 * generation is bounded here: V8's default (up to 192 MB) took the RSS from 260 to 660 MB at two workers.
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/** Compiled, the worker is a .js beside this file; under the tests' TypeScript loader it is the .ts. */
const WORKER_FILE = path.join(__dirname, `chain-segment.worker${path.extname(__filename)}`);

/**
 * Verifies entries `from`..`to` of the tenant's chain in Node: split into segments, each streamed and
 * hashed by a worker thread on a connection of its own, so reading (in the database) and hashing (here)
 * spread over the cores. Segments overlap by one row, so every link between them is checked; the
 * earliest break wins. `onProgress` hears the entries read so far.
 */
export async function checkChainInParallel(
  task: { url: string; tenantId: string; from: number; to: number; workers?: number; perWorker?: number },
  onProgress?: (read: number) => void,
): Promise<SegmentResult> {
  const total = task.to - task.from + 1;
  if (total <= 0) return { checked: 0, broken: null };
  const workers = Math.max(1, Math.min(task.workers ?? os.availableParallelism(), Math.ceil(total / (task.perWorker ?? ENTRIES_PER_WORKER))));
  const size = Math.ceil(total / workers);
  let read = 0;
  const results = await Promise.all(
    Array.from({ length: workers }, (_, i) => {
      const from = task.from + i * size;
      return checkSegment({ url: task.url, tenantId: task.tenantId, from, to: Math.min(task.to, from + size - 1) }, (n) => onProgress?.((read += n)));
    }),
  );
  return { checked: results.reduce((sum, r) => sum + r.checked, 0), broken: results.find((r) => r.broken)?.broken ?? null };
}

function checkSegment(task: SegmentTask, progress: (n: number) => void): Promise<SegmentResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_FILE, { workerData: task, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB }, execArgv: WORKER_FILE.endsWith('.ts') ? ['--import', 'tsx'] : [] });
    worker.on('message', (message: { progress?: number; result?: SegmentResult; error?: string }) => {
      if (message.progress) progress(message.progress);
      if (message.result) resolve(message.result);
      if (message.error) reject(new Error(message.error));
    });
    worker.on('error', reject);
    // After a result this is a no-op; without one (a crash, or a worker that never ran) the check fails rather than hangs.
    worker.on('exit', (code) => reject(new Error(`chain check worker exited with ${code} before its result`)));
  });
}
