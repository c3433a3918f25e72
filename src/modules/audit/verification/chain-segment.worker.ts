import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { ChainCopyReader, chainCopySql } from './chain-copy';
import { SegmentCheck } from './chain-rows';

/** What a segment worker is given: where to read, and which entries. */
export interface SegmentTask {
  url: string;
  tenantId: string;
  from: number;
  to: number;
}

/** How often progress is told, in rows. */
const PROGRESS_EVERY = 50_000;

/** Streams one segment of the tenant's chain with COPY on a connection of its own and checks it. */
async function run(task: SegmentTask): Promise<void> {
  const client = new pg.Client({ connectionString: task.url });
  await client.connect();
  try {
    await client.query('begin read only');
    await client.query(`select set_config('app.tenant_id', $1, true)`, [task.tenantId]);
    const check = new SegmentCheck(task.from, task.to);
    const reader = new ChainCopyReader(check);
    let told = 0;
    let whole = true;
    for await (const chunk of client.query(copyTo(chainCopySql(Math.max(task.from - 1, 1), task.to))) as AsyncIterable<Buffer>) {
      whole = reader.push(chunk);
      if (!whole) break;
      if (reader.rows - told < PROGRESS_EVERY) continue;
      parentPort!.postMessage({ progress: reader.rows - told });
      told = reader.rows;
    }
    if (reader.rows > told) parentPort!.postMessage({ progress: reader.rows - told });
    // A break stops the copy half way: the connection is closed below instead of committed.
    if (whole) await client.query('commit');
    parentPort!.postMessage({ result: check.result() });
  } finally {
    await client.end();
  }
}

// Runs only as a worker thread: a scan that loads every source file must not start a check (or crash on no parent).
if (parentPort) {
  const parent = parentPort;
  run(workerData as SegmentTask).catch((error: Error) => parent.postMessage({ error: error.message }));
}
