/**
 * The bench's load: a process of its own (so the service's figure is not halved by its own client),
 * HTTP with keep-alive against the service. Each client opens a case of its own, brings it to support,
 * then moves it back and forth (start-monitoring ↔ resume-support) until the time is up.
 * Asked by message with a LoadJob, it prepares its cases and says `{ prepared: true }`; told `'go'`, it
 * answers with a LoadResult per group, then exits. Several such processes (one per tenant) start
 * their timed part together.
 */
import http from 'node:http';
import { percentile } from './support';

export interface LoadGroup {
  label: string;
  token: string;
  clients: number;
  /** Transitions per second for the whole group, evenly spread; unset: as fast as answers come. */
  rate?: number;
}

export interface LoadJob {
  base: string;
  seconds: number;
  groups: LoadGroup[];
}

export interface LoadResult {
  label: string;
  transitions: number;
  perSecond: number;
  p50: number;
  p99: number;
}

const CYCLE = ['start-monitoring', 'resume-support'];

async function run({ base, seconds, groups }: LoadJob, go: () => Promise<void>): Promise<LoadResult[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const post = (token: string, url: string, body: object) =>
    new Promise<{ id: string; version: number }>((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = http.request(
        `${base}${url}`,
        { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk) => (text += chunk));
          res.on('end', () => (res.statusCode! < 300 ? resolve(JSON.parse(text)) : reject(new Error(`${url}: ${res.statusCode} ${text}`))));
        },
      );
      req.on('error', reject).end(payload);
    });

  // Every client's case first, so that the timed part is transitions only, all groups started together.
  const prepared = await Promise.all(
    groups.map((group) =>
      Promise.all(
        Array.from({ length: group.clients }, async () => {
          const opened = await post(group.token, '/cases', { title: 'bench', issues: ['care'], persons: [{ relation: '本人', familyName: '計測', givenName: '太郎' }] });
          let version = (await post(group.token, `/cases/${opened.id}/actions/start-assessment`, { version: opened.version })).version;
          version = (await post(group.token, `/cases/${opened.id}/actions/start-support`, { version })).version;
          return { id: opened.id, version };
        }),
      ),
    ),
  );
  await go();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const results = await Promise.all(
    groups.map(async (group, g) => {
      const latencies: number[] = [];
      const interval = group.rate ? (1000 * group.clients) / group.rate : 0;
      await Promise.all(
        prepared[g].map(async (own, c) => {
          let version = own.version;
          // Paced clients start spread over one interval; a late answer makes the next request late, and its wait counts (as in pgbench -R).
          let due = started + (interval * c) / group.clients;
          for (let i = 0; due < deadline; i++) {
            if (interval) await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
            const sent = interval ? due : performance.now();
            version = (await post(group.token, `/cases/${own.id}/actions/${CYCLE[i % 2]}`, { version })).version;
            const now = performance.now();
            latencies.push(now - sent);
            due = interval ? due + interval : now;
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      return { label: group.label, transitions: latencies.length, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
    }),
  );
  agent.destroy();
  return results;
}

process.once('message', (job: LoadJob) => {
  const go = () =>
    new Promise<void>((resolve) => {
      process.once('message', () => resolve());
      process.send!({ prepared: true });
    });
  run(job, go).then(
    (results) => process.send!({ results }, () => process.exit(0)),
    (error: Error) => process.send!({ error: error.message }, () => process.exit(1)),
  );
});
