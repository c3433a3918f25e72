import iconv from 'iconv-lite';
import type { Response } from 'supertest';
import { DEMO_ACCOUNTS } from '../../seeds/demo-data';
import { protectedPersonFixture, type Marker, type ProtectedPersonFixture } from '../support/leak-fixture';
import { fillRoute } from '../support/route-fills';
import { describeRoutes } from '../support/routes';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

/** Requests in flight at once: the machine has two cores, and the scan runs twice in CI. */
const CONCURRENCY = 4;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

interface Answer {
  login: string;
  /** The route as registered, e.g. `GET /api/v1/cases/:id`. */
  route: string;
  /** The request as sent, e.g. `GET /api/v1/cases/…?state=intake`. */
  request: string;
  status: number;
  /** Labels of the markers found in the body. */
  found: Marker[];
}

/** Keeps the body as bytes, whatever its type, so it is decoded here in its own charset. */
const rawBody = (res: Response, done: (err: Error | null, body: Buffer) => void) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

/** The body as text in its declared charset (a CSV may come in Shift_JIS), and byte for byte. */
function bodyTexts(res: Response): string[] {
  const bytes = res.body as Buffer;
  const charset = /charset=([^;]+)/i.exec(res.headers['content-type'] ?? '')?.[1]?.trim() ?? 'utf-8';
  return [iconv.encodingExists(charset) ? iconv.decode(bytes, charset) : bytes.toString('utf8'), bytes.toString('latin1')];
}

async function inParallel<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/**
 * Every GET route the router registers (none listed by hand), for every demo login of the seed, with
 * path parameters and query filled from what the fixture made: no planted value may be in a response to
 * a login its marker does not name. The fixture's own calls are scanned too. A route with a parameter
 * nothing in the pool fits fails the scan instead of being skipped.
 */
describe('leak scan: every readable route and CSV, for every demo login', () => {
  let t: TestApp;
  let fixture: ProtectedPersonFixture;
  let problems: string[];
  const answers: Answer[] = [];
  const logins = DEMO_ACCOUNTS.map((a) => a.login);
  const auditors = DEMO_ACCOUNTS.filter((a) => a.kind === 'staff' && a.roles.some((r) => r.role === 'auditor')).map((a) => a.login);
  const markersIn = (texts: string[]) => fixture.markers.filter((m) => texts.some((text) => text.toLowerCase().includes(m.token)));

  beforeAll(async () => {
    // Thousands of reads per login within a minute: the rate limit would answer 429 and hide what a route shows.
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '1000000' });
    fixture = await protectedPersonFixture(t);
    for (const call of fixture.calls) answers.push({ ...call, route: call.request, found: markersIn([call.text]) });

    const tokens = new Map(await Promise.all(logins.map(async (login) => [login, await t.token(login)] as const)));
    const ask = async ({ login, route, path }: { login: string; route: string; path: string }) => {
      const res = await t.http().get(path).set(bearer(tokens.get(login)!)).buffer(true).parse(rawBody);
      answers.push({ login, route, request: `GET ${path}`, status: res.status, found: markersIn(bodyTexts(res)) });
    };
    const fills = describeRoutes(t.app)
      .filter((r) => r.method === 'GET')
      .map((r) => ({ route: `${r.method} ${r.path}`, ...fillRoute(r, fixture.pool) }));
    problems = fills.flatMap((f) => f.problems);

    await inParallel(fills.flatMap((f) => logins.flatMap((login) => f.baseline.map((path) => ({ login, route: f.route, path })))), ask);
    // Optional filters narrow what a login already reads, or ask for another 地区: tried where the plain request was answered.
    const reached = new Set(answers.filter((a) => a.status < 300).map((a) => `${a.login} ${a.route}`));
    await inParallel(fills.flatMap((f) => logins.filter((login) => reached.has(`${login} ${f.route}`)).flatMap((login) => f.variants.map((path) => ({ login, route: f.route, path })))), ask);
    // The auditors' views again, now that the audit log holds every read of the sweep.
    const audited = answers.filter((a) => auditors.includes(a.login) && a.status < 300 && a.request.startsWith('GET '));
    await inParallel(audited.map(({ login, route, request }) => ({ login, route, path: request.slice(4) })), ask);
  }, 300_000);
  afterAll(() => t?.close());

  /** Ids in a request, named: the fixture's names, else `<kind>` from the pool. */
  const labelled = (request: string) =>
    request.replace(UUID, (id) => {
      const [kind, ids] = Object.entries(fixture.pool).find(([, ids]) => ids.includes(id)) ?? ['?', [id]];
      return `<${fixture.names.get(id) ?? (ids.length > 1 ? `${kind}#${ids.indexOf(id) + 1}` : kind)}>`;
    });

  it('names, for a parameter no fixture id fits, the route and what to add', () => {
    const route = { method: 'GET', path: '/api/v1/things/:id/parts/:partId', params: { id: undefined, partId: undefined }, query: undefined };
    expect(fillRoute(route, fixture.pool).problems).toEqual([
      'no fixture id for :id on GET /api/v1/things/:id/parts/:partId; add it to the pool (test/support/leak-fixture.ts, route-fills.ts)',
      'no fixture id for :partId on GET /api/v1/things/:id/parts/:partId; add it to the pool (test/support/leak-fixture.ts, route-fills.ts)',
    ]);
  });

  it('reaches every GET route: each path parameter and required query is filled from the fixture’s pool', () => {
    expect(problems).toEqual([]);
  });

  it('gets an answer from every request: no 5xx, and no rate limit hides a response', () => {
    const failed = answers.filter((a) => a.status >= 500 || a.status === 429).map((a) => `${a.status} ${labelled(a.request)} as ${a.login}`);
    expect([...new Set(failed)]).toEqual([]);
  });

  it('finds each planted value where it may be read (so a clean scan means something)', () => {
    const seen = (m: Marker) => answers.some((a) => a.found.includes(m) && m.mayReadIt.has(a.login));
    expect(fixture.markers.filter((m) => !seen(m)).map((m) => m.label)).toEqual([]);
  });

  it('answers no login a protected value its marker does not allow', () => {
    const leaks = new Map<string, Set<string>>();
    for (const a of answers) {
      for (const m of a.found.filter((found) => !found.mayReadIt.has(a.login))) {
        const row = `${labelled(a.request)}  as ${a.login}`;
        leaks.set(row, (leaks.get(row) ?? new Set()).add(m.label));
      }
    }
    const table = [...leaks].map(([row, labels]) => `${row}  →  ${[...labels].sort().join(', ')}`).sort();
    const rules = fixture.markers.map((m) => `${m.label} — ${m.because}: ${[...m.mayReadIt].join(', ')}`);
    expect({ leaks: table, rules }).toEqual({ leaks: [], rules });
  });
});
