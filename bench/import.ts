/**
 * npm run bench:import — the register's candidate import at 1k, 10k and 100k rows (BENCH_IMPORT_ROWS,
 * comma-separated, to choose): how fast the upload's row-by-row report comes back, and how fast the
 * confirmed import's background job enters the rows, in rows/s beside the aims (100k: report ≤ 10 s,
 * job ≤ 60 s); per phase the CPU seconds of the service and of PostgreSQL, and the service's RSS peak
 * beside the < 512 MB aim. The service runs in a process of its own (bench/service.ts), so its RSS is
 * its own; its heap is bounded as `npm start` bounds it (MAX_OLD_SPACE_MB; 0 = V8's default). A
 * benchmark that prints figures, not a test.
 */
import 'reflect-metadata';
import http from 'node:http';
import { ensureIssuerKeys, signToken } from '../src/platform/auth/issuer-keys';
import { tenantId } from '../seeds/demo-data';
import { PeakRss, rssLine } from './memory';
import { startService } from './service';
import { DatabaseCpu, cpuSeconds } from './cpu';
import { benchDatabase, table } from './support';

const SIZES = (process.env.BENCH_IMPORT_ROWS ?? '1000,10000,100000').split(',').map(Number);
const HEADER = '宛名番号,氏名,氏名カナ,生年月日,性別,住所,電話番号,地区,要介護度,身体障害者手帳,療育手帳,精神障害者保健福祉手帳,難病,独居,世帯状況';

/** `rows` candidates numbered from `first`: every fourth needs care, districts A–C in turn. */
function candidateCsv(first: number, rows: number): Buffer {
  const lines = [HEADER];
  for (let i = first; i < first + rows; i++) {
    const care = i % 4 === 0 ? '要介護4' : '';
    lines.push(`${900000 + i},計測 ${i},ケイソク タロウ,19${30 + (i % 60)}-0${1 + (i % 9)}-1${i % 10},女,つなぎ市本町${i},,${'ABC'[i % 3]},${care},,,,無,${i % 2 ? '有' : '無'},`);
  }
  return Buffer.from(lines.join('\r\n'));
}

async function main(): Promise<void> {
  const db = await benchDatabase();
  const service = await startService(db.env);
  const rss = new PeakRss(() => service.rss().nowMb * 2 ** 20);
  if (db.config.auth.mode !== 'built-in') throw new Error('bench signs tokens with the built-in issuer');
  const token = await signToken(await ensureIssuerKeys(db.config.auth.keyDir), {
    issuer: db.config.auth.issuer,
    audience: db.config.auth.audience,
    subject: 'fukushi-counselor',
    tenantId: tenantId('tsunagi-city'),
  });
  const agent = new http.Agent({ keepAlive: true });
  const call = (method: string, path: string, body?: Buffer) =>
    new Promise<{ status: number; body: { id: string; state: string; validRows: number; imported: number; progress: { done: number } } }>((resolve, reject) => {
      const headers: Record<string, string | number> = { authorization: `Bearer ${token}` };
      if (body) Object.assign(headers, { 'content-type': 'text/csv', 'content-length': body.length });
      const req = http.request(`${service.base}/evacuation-support${path}`, { method, agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk) => (text += chunk));
        res.on('end', () => (res.statusCode! < 300 ? resolve({ status: res.statusCode!, body: JSON.parse(text) }) : reject(new Error(`${path}: ${res.statusCode} ${text}`))));
      });
      req.on('error', reject).end(body);
    });

  const dbCpu = await DatabaseCpu.open(db.url);
  const rows: string[][] = [];
  const ready = Math.round(rss.sample() / 2 ** 20);
  /** Runs one phase: its wall seconds, the CPU seconds of the service and of the database, the service's RSS peak in MB. */
  const phase = async <T>(work: () => Promise<T>) => {
    rss.period();
    await dbCpu.mark();
    const cpu = cpuSeconds(service.pid);
    const started = performance.now();
    const result = await work();
    const seconds = (performance.now() - started) / 1000;
    return { result, seconds, serviceCpu: cpuSeconds(service.pid) - cpu, dbCpu: await dbCpu.since(), rssMb: rss.period() };
  };
  let first = 0;
  for (const size of SIZES) {
    const csv = candidateCsv(first, size);
    first += size;
    const upload = await phase(() => call('POST', '/imports', csv));
    const { id, validRows, rejected } = upload.result.body as typeof upload.result.body & { rejected: unknown[] };
    if (validRows !== size) throw new Error(`only ${validRows} of ${size} rows were valid: ${JSON.stringify(rejected[0])}`);
    let acceptedMs = 0;
    const job = await phase(async () => {
      const confirming = performance.now();
      let status = (await call('POST', `/imports/${id}/actions/confirm`)).body;
      acceptedMs = performance.now() - confirming;
      while (status.state === 'importing') {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await call('GET', `/imports/${id}`)).body;
      }
      return status;
    });
    if (job.result.state !== 'imported' || job.result.imported !== size) throw new Error(`import ended ${job.result.state} with ${job.result.imported} of ${size}`);
    const figures = (p: { seconds: number; serviceCpu: number; dbCpu: number; rssMb: number }) => [p.seconds.toFixed(2), String(Math.round(size / p.seconds)), `${p.serviceCpu.toFixed(1)} / ${p.dbCpu.toFixed(1)}`, String(p.rssMb)];
    rows.push([String(size), ...figures(upload), acceptedMs.toFixed(0), ...figures(job)]);
    console.error(rows.at(-1)!.join('  '));
  }
  agent.destroy();
  rss.stop();
  await dbCpu.close();
  const { peakMb } = service.rss();
  await service.stop();
  await db.close();

  console.log(`register candidate import (aims at 100,000 rows: report ≤ 10 s, job ≤ 60 s, linear: rows/s about the same at every size; service RSS < 512 MB)`);
  console.log(`CPU s: seconds of CPU used by the service process / by the database's server processes (wall time on a loaded machine is mostly waiting for a core)`);
  console.log(table(['rows', 'report s', 'report r/s', 'report CPU s', 'report RSS MB', '202 ms', 'job s', 'job r/s', 'job CPU s', 'job RSS MB'], rows));
  console.log(rssLine(peakMb, `service RSS peak over the whole run (${ready} MB when ready; the service runs in a process of its own)`, service.heapLimitMb));
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
