import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { CHAIN_ROW_SQL, SegmentCheck, type ChainRow } from './chain-rows';

/** What a segment worker is given: where to read, and which entries. */
export interface SegmentTask {
  url: string;
  tenantId: string;
  from: number;
  to: number;
}

/**
 * Rows per fetch, and how often progress is told: a batch (about 3 MB) dies in the worker's young
 * generation (WORKER_YOUNG_GENERATION_MB) instead of being promoted; 20,000 took the service's RSS
 * past 512 MB with two workers.
 */
const FETCH = 2_000;

/** Every column arrives as the text the server sent: nothing is parsed that the hash needs as text. */
const asText = { getTypeParser: () => (value: string) => value };

/** Streams one segment of the tenant's chain through a cursor on a connection of its own and checks it. */
async function run(task: SegmentTask): Promise<void> {
  const client = new pg.Client({ connectionString: task.url });
  await client.connect();
  try {
    await client.query('begin read only');
    await client.query(`select set_config('app.tenant_id', $1, true)`, [task.tenantId]);
    const cursor = client.query(new Cursor(CHAIN_ROW_SQL, [Math.max(task.from - 1, 1), task.to], { rowMode: 'array', types: asText }));
    const check = new SegmentCheck(task.from, task.to);
    for (let going = true; going; ) {
      const rows = (await cursor.read(FETCH)) as ChainRow[];
      if (rows.length === 0) break;
      for (const row of rows) if (!(going = check.add(row))) break;
      parentPort!.postMessage({ progress: rows.length });
    }
    await cursor.close();
    await client.query('commit');
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
