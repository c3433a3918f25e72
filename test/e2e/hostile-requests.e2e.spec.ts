import { QueryBus } from '@nestjs/cqrs';
import { AppError } from '../../src/platform/http/app-error';
import { listRoutes } from '../support/routes';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { changedOutsideAudit, changedTables, RowFingerprints, type Fingerprint } from '../support/row-fingerprint';

/** Requests that once stopped the service or answered 500 (issue 10, defects 1 and 9). */
describe('hostile requests', () => {
  let t: TestApp;
  let counselor: string;
  let fingerprints: RowFingerprints;

  beforeAll(async () => {
    t = await startTestApp();
    counselor = await t.token('choju-counselor');
    fingerprints = await RowFingerprints.open(t);
  });
  afterAll(async () => {
    await fingerprints.close();
    await t.close();
  });

  const validCase = () => ({ title: '試験', issues: ['care'], persons: [{ relation: '本人', familyName: '試験', givenName: '花子' }] });
  const openCase = (body: unknown) => t.http().post('/api/v1/cases').set(bearer(counselor)).set('Accept-Language', 'en').send(body as object);
  const stillServing = async () => expect((await t.http().get('/health')).status).toBe(200);

  /** Each refused request writes nothing (a refusal by permission writes its audit row), and the service still serves. */
  let before: Fingerprint;
  let audited: boolean;
  const refusalsWriteNothing = () => {
    beforeEach(async () => {
      before = await fingerprints.take();
      audited = false;
    });
    afterEach(async () => {
      const after = await fingerprints.take();
      expect(changedOutsideAudit(before, after)).toEqual([]);
      expect(changedTables(before, after).includes('audit_log')).toBe(audited);
      await stillServing();
    });
  };

  describe('one request cannot stop the service', () => {
    refusalsWriteNothing();

    it('answers a valid body with 8,000 unknown keys with one bounded error that lists a few of them', async () => {
      const body: Record<string, unknown> = validCase();
      for (let i = 0; i < 8000; i++) body[`k${i}`] = 1;
      expect(JSON.stringify(body).length).toBeGreaterThan(78_000);
      const res = await openCase(body).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.text.length).toBeLessThan(4096);
      expect(res.body.errorCount).toBe(1);
      expect(res.body.errors).toEqual([{ field: 'body', code: 'unrecognized_keys', keys: expect.any(Array), message: expect.stringMatching(/and 7990 more$/) }]);
      expect(res.body.errors[0].keys).toHaveLength(10);
    });

    it('answers an unexpected error with a 500 problem that reveals nothing of it, and keeps serving', async () => {
      jest.spyOn(t.app.get(QueryBus), 'execute').mockRejectedValueOnce(new TypeError('a bug with a secret in it'));
      const res = await t.http().get('/api/v1/evacuation-support/settings').set(bearer(await t.token('fukushi-counselor'))).expect(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 500, code: 'internal' });
      expect(res.text).not.toContain('secret');
    });

    it('answers 500 problem+json even when the error itself cannot be rendered', async () => {
      jest.spyOn(t.app.get(QueryBus), 'execute').mockRejectedValueOnce(new AppError('not_found', { meta: { unrenderable: 10n } }));
      const res = await t.http().get('/api/v1/evacuation-support/settings').set(bearer(await t.token('fukushi-counselor'))).expect(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 500, code: 'internal' });
    });

    it('lists the first 20 field errors and counts all of them', async () => {
      const res = await openCase({ title: 1, issues: 'care', persons: Array.from({ length: 20 }, () => ({ relation: 1 })) }).expect(400);
      expect(res.body.errors).toHaveLength(20);
      expect(res.body.errorCount).toBe(22);
    });

    it('refuses a text/csv body on a JSON route (415) without parsing it', async () => {
      const res = await openCase(undefined).set('Content-Type', 'text/csv').send('a,b\r\n'.repeat(2048)).expect(415);
      expect(res.body).toMatchObject({ code: 'unsupported_media_type', detail: 'Send the body as application/json.' });
    });

    it('reads no CSV before the token is verified: 25 MB without a valid token is a 401, not a parse', async () => {
      const csv = Buffer.alloc(25 * 1024 * 1024, 'a');
      for (const headers of [{}, bearer('junk.junk.junk')]) {
        const res = await t.http().post('/api/v1/evacuation-support/imports').set(headers).set('Content-Type', 'text/csv').send(csv);
        expect(res.status).toBe(401);
      }
    });

    it('reads no CSV for a caller the route refuses (403), and none beyond the route’s limit for one it allows (413)', async () => {
      const csv = Buffer.alloc(21 * 1024 * 1024, 'a');
      const refused = await t.http().post('/api/v1/evacuation-support/imports').set(bearer(counselor)).set('Content-Type', 'text/csv').send(csv);
      expect(refused.status).toBe(403);
      audited = true;
      const allowed = await t.http().post('/api/v1/evacuation-support/imports').set(bearer(await t.token('fukushi-counselor'))).set('Content-Type', 'text/csv').send(csv);
      expect([allowed.status, allowed.body.code]).toEqual([413, 'payload_too_large']);
    });

    it('takes a CSV only where a route says so', async () => {
      const res = await t.http().post('/api/v1/evacuation-support/entries').set(bearer(await t.token('fukushi-counselor'))).set('Content-Type', 'text/csv').send('宛名番号\r\n1\r\n');
      expect(res.status).toBe(415);
    });
  });

  describe('characters and dates no field may hold answer 400 naming the field', () => {
    refusalsWriteNothing();
    it.each([
      ['a NUL character', { ...validCase(), title: 'a\u0000b' }, 'body.title', 'invalid_characters'],
      ['a lone surrogate', { ...validCase(), summary: 'x\ud800y' }, 'body.summary', 'invalid_characters'],
      ['a NUL in a nested field', { ...validCase(), persons: [{ relation: '本人', familyName: '\u0000', givenName: '花子' }] }, 'body.persons.0.familyName', 'invalid_characters'],
      ['a NUL in an unknown key', { ...validCase(), ['k\u0000']: 1 }, 'body.(key)', 'invalid_characters'],
      ['year 0000', { ...validCase(), persons: [{ relation: '本人', familyName: '試験', givenName: '花子', birthDate: '0000-01-01' }] }, 'body.persons.0.birthDate', 'custom'],
      ['an impossible date', { ...validCase(), persons: [{ relation: '本人', familyName: '試験', givenName: '花子', birthDate: '2026-02-30' }] }, 'body.persons.0.birthDate', 'invalid_format'],
    ])('%s', async (_name, body, field, code) => {
      const res = await openCase(body).expect(400);
      expect(res.body.errors).toContainEqual(expect.objectContaining({ field, code }));
    });

    it('in a query too', async () => {
      const res = await t.http().get('/api/v1/audit/entries?from=0000-01-01T00:00:00Z&action=%00').set(bearer(await t.token('auditor'))).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['query.action', 'query.from']);
    });
  });

  it('answers an import of many bad rows with a page of its report, not all of it', async () => {
    const fukushi = bearer(await t.token('fukushi-counselor'));
    const rows = Array.from({ length: 45 }, (_, i) => `${2000 + i},山田 ハナ,1940/13/45,つなぎ市本町1-1,A`);
    const upload = await t.http().post('/api/v1/evacuation-support/imports').set(fukushi).set('Content-Type', 'text/csv').send(['宛名番号,氏名,生年月日,住所,地区', ...rows].join('\r\n')).expect(201);
    expect(upload.body).toMatchObject({ totalRows: 45, rejectedRows: 45, page: { from: 0, rows: 20 } });
    expect(upload.body.rejected.map((r: { line: number }) => r.line)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    const last = await t.http().get(`/api/v1/evacuation-support/imports/${upload.body.id}?from=40`).set(fukushi).expect(200);
    expect(last.body.rejected.map((r: { line: number }) => r.line)).toEqual([42, 43, 44, 45, 46]);
  });

  it('marks every API answer as not to be stored, on every GET route the router has', async () => {
    const admin = bearer(await t.token('admin'));
    const routes = listRoutes(t.app).filter((r) => r.startsWith('GET /api/'));
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      const path = route.slice(4).replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
      for (const headers of [admin, {}]) {
        const res = await t.http().get(path).set(headers);
        expect([route, res.headers['cache-control']]).toEqual([route, 'no-store']);
      }
    }
  });
});

describe('API docs turned off (the production default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ API_DOCS: 'false' });
  });
  afterAll(() => t.close());

  it('serves neither /docs nor /docs-json', async () => {
    expect((await t.http().get('/docs-json')).status).toBe(404);
    expect((await t.http().get('/docs')).status).toBe(404);
    expect((await t.http().get('/health')).status).toBe(200);
  });
});
