/**
 * npm run bench:import — the register's candidate import at 1k, 10k and 100k rows (BENCH_IMPORT_ROWS,
 * comma-separated, to choose): how fast the upload's row-by-row report comes back, and how fast the
 * confirmed import's background job enters the rows, in rows/s beside the aims (100k: report ≤ 10 s,
 * job ≤ 60 s), with the service's peak RSS. A benchmark that prints figures, not a test.
 */
import 'reflect-metadata';
import http from 'node:http';
import { ensureIssuerKeys, signToken } from '../src/platform/auth/issuer-keys';
import { createApp } from '../src/platform/http/create-app';
import { createLogger } from '../src/platform/http/logger';
import { tenantId } from '../seeds/demo-data';
import { PeakRss, rssLine } from './memory';
import { benchDatabase } from './support';

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
  const rss = new PeakRss();
  const app = await createApp(db.config, createLogger('silent'));
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
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
      const req = http.request({ host: '127.0.0.1', port, path: `/api/v1/evacuation-support${path}`, method, agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk) => (text += chunk));
        res.on('end', () => (res.statusCode! < 300 ? resolve({ status: res.statusCode!, body: JSON.parse(text) }) : reject(new Error(`${path}: ${res.statusCode} ${text}`))));
      });
      req.on('error', reject).end(body);
    });

  const lines: string[] = [];
  const ready = Math.round(rss.sample() / 2 ** 20);
  let first = 0;
  for (const rows of SIZES) {
    const csv = candidateCsv(first, rows);
    first += rows;
    rss.period();
    const uploading = performance.now();
    const upload = await call('POST', '/imports', csv);
    const uploadSeconds = (performance.now() - uploading) / 1000;
    const uploadMb = rss.period();
    if (upload.body.validRows !== rows) throw new Error(`only ${upload.body.validRows} of ${rows} rows were valid: ${JSON.stringify((upload.body as unknown as { rejected: unknown[] }).rejected[0])}`);
    const confirming = performance.now();
    const accepted = await call('POST', `/imports/${upload.body.id}/actions/confirm`);
    const acceptedMs = performance.now() - confirming;
    let status = accepted.body;
    while (status.state === 'importing') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await call('GET', `/imports/${upload.body.id}`)).body;
    }
    const jobSeconds = (performance.now() - confirming) / 1000;
    const jobMb = rss.period();
    if (status.state !== 'imported' || status.imported !== rows) throw new Error(`import ended ${status.state} with ${status.imported} of ${rows}`);
    lines.push(
      `${String(rows).padStart(7)}  ${uploadSeconds.toFixed(2).padStart(9)}  ${Math.round(rows / uploadSeconds).toString().padStart(9)}  ${acceptedMs.toFixed(0).padStart(7)}  ${jobSeconds.toFixed(2).padStart(7)}  ${Math.round(rows / jobSeconds).toString().padStart(9)}  ${String(uploadMb).padStart(9)}  ${String(jobMb).padStart(6)}`,
    );
    console.error(lines.at(-1));
  }
  agent.destroy();
  await app.close();
  const peak = rss.stop();
  await db.close();

  console.log(`register candidate import (aims at 100,000 rows: report ≤ 10 s, job ≤ 60 s; linear: rows/s about the same at every size)`);
  console.log(`   rows  report s  report r/s  202 ms    job s    job r/s  upload MB  job MB  (RSS peaks)`);
  for (const line of lines) console.log(line);
  console.log(rssLine(peak, `service RSS peak (${ready} MB when ready; the bench client runs in the same process)`));
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
