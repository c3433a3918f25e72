import fc from 'fast-check';
import type { Response } from 'supertest';
import { accountId } from '../../seeds/demo-data';
import { csvBodies, jsonBodies, toJsonText, uuidArbitrary, type Body, type IdPool, type IdsFor, type JsonSchema } from '../support/fuzz/bodies';
import { tablesForField, tablesForParam, writeRoutes, type WriteRoute } from '../support/fuzz/write-routes';
import { accessGrantFixture, CoordinationFixtures, Fixtures, registerFixture, returnTaskFixture } from '../support/fixtures';
import { changedOutsideAudit, changedTables, RowFingerprints, type Fingerprint } from '../support/row-fingerprint';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

/**
 * Every write route, found by itself (router ⨝ OpenAPI document), gets FUZZ_RUNS generated requests
 * (200 by default) from a legitimate caller. Whatever arrives: no 5xx, an answer of bounded size, no
 * row written on a refusal (only the audit row of the refusal itself, and every 403 has one), and
 * the service still serves. FUZZ_SEED replays a run; FUZZ_ROUTE (a substring of `METHOD /path`) narrows it.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const ONLY = process.env.FUZZ_ROUTE;
const MAX_RESPONSE_BYTES = 64 * 1024;
const CITY = 'tsunagi-city';
const TOWN = 'tonari-town';

interface FuzzRequest {
  caller: string;
  params: string[];
  body: Body;
  idempotencyKey: string | null;
}

describe('fuzzing every write route', () => {
  let t: TestApp;
  let routes: WriteRoute[];
  let tables: string[];
  let fingerprints: RowFingerprints;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '100000000', LOG_LEVEL: 'error' });
    // One listening server for all requests (supertest would otherwise open one per request).
    await new Promise<void>((resolve) => t.app.getHttpServer().listen(0, '127.0.0.1', resolve));
    await recordsOfEveryKind(t);
    fingerprints = await RowFingerprints.open(t);
    routes = (await writeRoutes(t, CITY)).filter((r) => !ONLY || `${r.method} ${r.path}`.includes(ONLY));
    tables = (
      await t.sql<{ table_name: string }>(
        `select table_name from information_schema.columns c where table_schema = 'public' and column_name = 'id' and data_type = 'uuid'
           and exists (select 1 from information_schema.columns t where t.table_schema = 'public' and t.table_name = c.table_name and t.column_name = 'tenant_id')`,
      )
    ).map((r) => r.table_name);
  });
  afterAll(async () => {
    await fingerprints.close();
    await t.close();
  });

  it('finds the write routes by itself, each with a demo login its permission lets in and, if it takes a body, its schema', () => {
    const named = (list: WriteRoute[]) => list.map((r) => `${r.method} ${r.path}`);
    expect(routes.length).toBeGreaterThan(0);
    expect(named(routes.filter((r) => r.callers.length === 0))).toEqual([]);
    expect(named(routes.filter((r) => r.readsBody && !r.body.schema))).toEqual([]);
  });

  it(`answers ${RUNS} generated requests per write route with no 5xx, a bounded answer and no row written on a refusal`, async () => {
    process.stdout.write(`fuzz-write-routes: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} (${routes.length} routes)\n`);
    const failures: string[] = [];
    const summary: string[] = [];
    for (const route of routes) {
      const statuses = new Map<number, number>();
      const pools = await idPools(route);
      let baseline = await fingerprints.take();
      const property = fc.asyncProperty(requests(route, pools), async (request) => {
        const { res, sent } = await send(route, request);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const after = res.status < 400 ? await settled() : await fingerprints.take();
        const problem = await judge(res, baseline, after);
        baseline = after;
        if (problem) throw new Error(`${problem}\n  as ${request.caller}: ${sent}\n  answer ${res.status}: ${(res.text ?? '').slice(0, 300)}`);
      });
      const result = await fc.check(property, { seed: routeSeed(route), numRuns: RUNS, endOnFailure: true });
      if (result.failed) failures.push(`${route.method} ${route.path} (FUZZ_SEED=${SEED}): ${(result.errorInstance as Error)?.stack ?? result.counterexample}`);
      const health = await t.http().get('/health');
      if (health.status !== 200) failures.push(`${route.method} ${route.path}: the service stopped serving (${health.status})`);
      summary.push(`  ${route.method} ${route.path} as ${route.callers.length} logins: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    }
    if (failures.length > 0 || process.env.FUZZ_RUNS) process.stdout.write(`answers per route:\n${summary.join('\n')}\n`);
    expect(failures).toEqual([]);
  }, 30 * 60_000);

  /**
   * What is wrong with an answer, if anything. A refused request writes nothing but the record of
   * its refusal: audit rows of this very request, each saying `denied` (required for a 403, and
   * kept by the access-grant routes for every refused attempt).
   */
  async function judge(res: Response, before: Fingerprint, after: Fingerprint): Promise<string | undefined> {
    if (res.status >= 500) return `answered ${res.status}`;
    if (res.status === 401) return 'a legitimate caller was not let in';
    const size = Buffer.byteLength(res.text ?? '');
    if (size > MAX_RESPONSE_BYTES) return `answered ${size} bytes`;
    if (res.status < 400) return undefined;
    const written = changedOutsideAudit(before, after);
    if (written.length > 0) return `a refused request (${res.status}) wrote rows in ${written.join(', ')}`;
    // The chain's heads move whenever the sealer runs; what this request wrote shows in the log itself.
    const audited = changedTables(before, after).includes('audit_log');
    if (!audited && res.status !== 403) return undefined;
    const rows = await t.sql<{ outcome: string }>(`select outcome from audit_log where request_id = $1`, [res.headers['x-request-id']]);
    if (res.status === 403 && !rows.some((r) => r.outcome === 'denied')) return 'a 403 left no denial in the audit log';
    if (rows.length === 0) return `a ${res.status} wrote to the audit trail, but no row of its own`;
    if (rows.some((r) => r.outcome !== 'denied')) return `a refused request (${res.status}) left an audit row saying it was allowed`;
    return undefined;
  }

  /**
   * After an accepted request, wait until work it started in the background (a renewal, a chain
   * verification) is done: no other session mid-transaction, and no row changing, twice running.
   */
  async function settled(): Promise<Fingerprint> {
    let previous = await fingerprints.take();
    for (let quiet = 0; quiet < 2; ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const busy = await fingerprints.busy();
      const next = await fingerprints.take();
      quiet = !busy && changedTables(previous, next).length === 0 ? quiet + 1 : 0;
      previous = next;
    }
    return previous;
  }

  async function token(login: string): Promise<string> {
    if (!tokens.has(login)) tokens.set(login, await t.token(login));
    return tokens.get(login)!;
  }

  async function send(route: WriteRoute, request: FuzzRequest): Promise<{ res: Response; sent: string }> {
    let i = 0;
    const path = route.path.replace(/:\w+/g, () => encodeURIComponent(request.params[i++]));
    let call = t.http()[route.method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete'](path).set(bearer(await token(request.caller)));
    if (request.idempotencyKey !== null) call = call.set('Idempotency-Key', request.idempotencyKey);
    const { body } = request;
    if (body.kind === 'none') return { res: await call, sent: `${route.method} ${path} (no body)` };
    const text = body.kind === 'json' ? toJsonText(body.value) : '';
    const [contentType, bytes, label] = body.kind === 'json' ? ['application/json', Buffer.from(text), text.slice(0, 200)] : [body.contentType, body.bytes, body.label];
    if (contentType) call = call.set('Content-Type', contentType);
    // The bytes as they are: superagent would otherwise re-serialise a Buffer sent as JSON.
    call = call.serialize((data: Buffer) => data as unknown as string);
    const start = body.kind === 'raw' ? ` ${JSON.stringify(bytes.subarray(0, 300).toString())}` : '';
    return { res: await call.send(bytes), sent: `${route.method} ${path} ${contentType ?? '(no type)'} ${bytes.length} bytes: ${label}${start}` };
  }

  /** Ids of the fixture's records, for path parameters (of the table the path names) and uuid fields (of the table the field names). */
  async function idPools(route: WriteRoute): Promise<{ params: IdPool[]; body: IdsFor }> {
    const rows = await t.sql<{ name: string; code: string; id: string }>(
      `select name, code, id from (${tables.map((name) => `select '${name}' as name, tenant_id, id::text from ${name}`).join(' union all ')}) r
         join lateral (select code from tenants where id = r.tenant_id) tn on true`,
    );
    const pool = (names: string[]): IdPool => {
      const of = (tenant: string) => rows.filter((r) => r.code === tenant && names.includes(r.name)).map((r) => r.id);
      return { own: of(CITY), otherTenant: of(TOWN) };
    };
    return { params: route.params.map((p) => pool(tablesForParam(route.path, p.name, tables))), body: (field) => pool(tablesForField(field, tables)) };
  }
});

/** Each route's own seed, from FUZZ_SEED and its name: a replay narrowed by FUZZ_ROUTE, or with routes added since, sends the same requests. */
function routeSeed(route: WriteRoute): number {
  let hash = SEED;
  for (const char of `${route.method} ${route.path}`) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

const junkPathValues = fc.constantFrom('0', '-1', 'x'.repeat(300), '%00', "'", '..', 'null', '1e400', '00000000-0000-0000-0000-00000000000g');

function paramValues(schema: JsonSchema, ids: IdPool): fc.Arbitrary<string> {
  if (schema.enum) return fc.oneof({ arbitrary: fc.constantFrom(...schema.enum.map(String)), weight: 8 }, { arbitrary: junkPathValues, weight: 1 });
  if (schema.format === 'uuid') return fc.oneof({ arbitrary: uuidArbitrary(ids), weight: 8 }, { arbitrary: junkPathValues, weight: 1 });
  return fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }), junkPathValues);
}

function requests(route: WriteRoute, pools: { params: IdPool[]; body: IdsFor }): fc.Arbitrary<FuzzRequest> {
  return fc.record({
    caller: fc.constantFrom(...route.callers),
    params: fc.tuple(...route.params.map((p, i) => paramValues(p.schema, pools.params[i]))),
    body: route.body.mediaType === 'csv' ? csvBodies(route.body.schema) : jsonBodies(route.body.schema, pools.body),
    idempotencyKey: fc.option(fc.oneof(fc.uuid(), fc.constantFrom('x'.repeat(300), ' spaced key ', 'k')), { freq: 4, nil: null }),
  });
}

/** Records of every kind in both tenants, so path parameters name real ones: the caller's, another department's, another tenant's. */
async function recordsOfEveryKind(t: TestApp): Promise<void> {
  const cases = new Fixtures(t);
  const coordination = new CoordinationFixtures(t);
  for (const [login, tenant, to] of [
    ['choju-counselor', CITY, 'fukushi'],
    ['fukushi-counselor', CITY, 'choju'],
    ['other-city-counselor', TOWN, 'choju'],
  ] as const) {
    const opened = await cases.openCase(login);
    await cases.refer(login, opened.id, tenant, to);
    await cases.consent(login, opened.id, opened.persons[0].personId, tenant, to);
    await accessGrantFixture(t, tenant, tenant === CITY ? 'auditor' : 'other-city-admin', opened.id);
    await cases.personMerge(login);
  }
  for (const tenant of [CITY, TOWN]) {
    await coordination.coordination(tenant === CITY ? 'choju-counselor' : 'other-city-counselor', tenant, 'planning');
    await coordination.escalation(tenant === CITY ? 'choju-counselor' : 'other-city-counselor', tenant);
    await coordination.meeting(tenant, tenant === CITY ? 'choju-counselor' : undefined);
    await coordination.task(tenant === CITY ? 'choju' : 'fukushi', tenant);
    await registerFixture(t, tenant, 'A');
    await returnTaskFixture(t, tenant, tenant === CITY ? accountId('minsei-a') : null);
  }
}
