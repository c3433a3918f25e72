import { compactVerify, importJWK } from 'jose';
import { tenantId } from '../../seeds/demo-data';
import { ChainVerifications } from '../../src/modules/audit/chain-verifications';
import { sealAuditLog, tamperWithAuditLog } from '../support/audit-tampering';
import { expectStablePaging } from '../support/paging';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

const CITY = tenantId('tsunagi-city');

describe('audit chain verification over a period', () => {
  let t: TestApp;
  let auditor: string;
  let counselor: string;

  beforeAll(async () => {
    t = await startTestApp();
    auditor = await t.token('auditor');
    counselor = await t.token('choju-counselor');
    // Forbidden calls are audited: an easy way to append rows from outside.
    for (let i = 0; i < 12; i++) await t.http().get('/api/v1/staff').set(bearer(counselor)).expect(403);
  });
  afterAll(() => t.close());

  const runner = () => t.app.get(ChainVerifications);
  const start = (body: object) => t.http().post('/api/v1/audit/verifications').set(bearer(auditor)).send(body);
  const fetch = async (id: string) => (await t.http().get(`/api/v1/audit/verifications/${id}`).set(bearer(auditor)).expect(200)).body;
  // Rows are read as the chain has them: every row committed so far sealed into it.
  const cityRows = async () => (await sealAuditLog(t), t.sql<{ seq: string; at: string; hash: string }>(`select seq, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') at, hash from audit_log where tenant_id = $1 order by seq`, [CITY]));
  const tamper = (statement: string) => tamperWithAuditLog(t, statement);
  async function verified(body: object) {
    const started = await start(body).expect(202);
    await runner().idle();
    return fetch(started.body.id);
  }

  it('checks the whole log by default and signs the result with the key auditors can fetch', async () => {
    const rows = await cityRows();
    const result = await verified({});
    expect(result).toMatchObject({ state: 'ok', fromSeq: 1, toSeq: rows.length, total: rows.length, checked: rows.length, progress: 100, brokenAtSeq: null });
    const jwk = (await t.http().get('/api/v1/audit/checkpoints/public-key').set(bearer(auditor)).expect(200)).body;
    const { payload, protectedHeader } = await compactVerify(result.signedReport, await importJWK(jwk, 'ES256'));
    expect(protectedHeader.typ).toBe('tsunagi-audit-verification');
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ tid: CITY, verification: result.id, ok: true, checked: rows.length, lastHash: rows[rows.length - 1].hash });
  });

  it('turns a period into the sequence numbers written in it', async () => {
    const rows = (await cityRows()).slice(-10);
    const [first, last, next] = [rows[2], rows[7], rows[8]];
    const result = await verified({ from: first.at, to: next.at });
    expect(result).toMatchObject({ state: 'ok', fromSeq: Number(first.seq), toSeq: Number(last.seq), checked: 6, period: { from: new Date(first.at).toISOString(), to: new Date(next.at).toISOString() } });
  });

  it('reports a period with no entries as verified and empty', async () => {
    expect(await verified({ from: '2001-01-01', to: '2001-01-31' })).toMatchObject({ state: 'ok', total: 0, checked: 0, progress: 100 });
  });

  it('records who started it and how it ended', async () => {
    const result = await verified({});
    const entries = await t.sql(`select action, actor_type, outcome from audit_log where subject_id = $1 order by seq`, [result.id]);
    expect(entries).toEqual([
      { action: 'audit.verification-start', actor_type: 'staff', outcome: 'allowed' },
      { action: 'audit.verification-finish', actor_type: 'system', outcome: 'allowed' },
    ]);
  });

  it('shows progress part way, and carries on from there after a restart', async () => {
    const half = Math.floor((await cityRows()).length / 2);
    const [job] = await t.sql<{ id: string }>(
      `insert into audit_verifications (id, tenant_id, requested_by, from_seq, to_seq, next_seq, checked, state, started_at)
       values (gen_random_uuid(), $1, gen_random_uuid(), 1, $2, $3, $4, 'running', now()) returning id`,
      [CITY, 2 * half, half + 1, half],
    );
    expect(await fetch(job.id)).toMatchObject({ state: 'running', progress: 50, checked: half });
    await runner().onApplicationBootstrap();
    await runner().idle();
    expect(await fetch(job.id)).toMatchObject({ state: 'ok', progress: 100, checked: 2 * half });
  });

  it('names the first altered row inside the period, and leaves a period before it clean', async () => {
    const rows = (await cityRows()).slice(-6);
    const victim = rows[3];
    await tamper(`update audit_log set action = 'tampered' where tenant_id = '${CITY}' and seq = ${victim.seq}`);
    expect(await verified({})).toMatchObject({ state: 'broken', brokenAtSeq: Number(victim.seq), reason: 'altered', progress: expect.any(Number) });
    expect(await verified({ to: victim.at })).toMatchObject({ state: 'ok', toSeq: Number(rows[2].seq) });
  });

  it('catches a row re-linked to hide a deletion at the start of the period', async () => {
    const rows = (await cityRows()).slice(-4);
    await tamper(`update audit_log set hash = repeat('a', 64) where tenant_id = '${CITY}' and seq = ${rows[1].seq}`);
    expect(await verified({ from: rows[2].at })).toMatchObject({ state: 'broken', brokenAtSeq: Number(rows[2].seq), reason: 'relinked' });
  });

  it('names the earliest of several breaks in one range', async () => {
    for (let i = 0; i < 6; i++) await t.http().get('/api/v1/staff').set(bearer(counselor)).expect(403);
    const rows = (await cityRows()).slice(-6);
    await tamper(`update audit_log set action = 'tampered' where tenant_id = '${CITY}' and seq = ${rows[4].seq}`);
    await tamper(`delete from audit_log where tenant_id = '${CITY}' and seq = ${rows[2].seq}`);
    expect(await verified({ from: rows[1].at })).toMatchObject({ state: 'broken', brokenAtSeq: Number(rows[2].seq), reason: 'missing' });
    // A range checks its link to the row before it, so a gap just before its start is still found.
    expect(await verified({ from: rows[3].at })).toMatchObject({ state: 'broken', brokenAtSeq: Number(rows[2].seq), reason: 'missing' });
    expect(await verified({ from: rows[4].at })).toMatchObject({ state: 'broken', brokenAtSeq: Number(rows[4].seq), reason: 'altered' });
  });

  it('refuses a period that ends before it starts, in both languages, and starts nothing', async () => {
    const [{ n: before }] = await t.sql<{ n: string }>(`select count(*) n from audit_verifications`);
    const res = await start({ from: '2026-11-20', to: '2026-11-01' }).expect(400);
    expect(JSON.stringify(res.body)).toContain('開始は終了より前');
    const english = await start({ from: '2026-11-20', to: '2026-11-01' }).set('Accept-Language', 'en').expect(400);
    expect(JSON.stringify(english.body)).toContain('from must be before to');
    await start({ from: 'yesterday' }).expect(400);
    await start({ scope: 'all' }).expect(400);
    const [{ n: after }] = await t.sql<{ n: string }>(`select count(*) n from audit_verifications`);
    expect(after).toBe(before);
  });

  it('answers 404 for a verification that is not there', async () => {
    await t.http().get('/api/v1/audit/verifications/7d1c5e0a-4a4b-4c1f-9a51-6a4b0d7b2f10').set(bearer(auditor)).expect(404);
  });

  it('pages verifications newest first, none twice or missed while more start', async () => {
    await expectStablePaging({
      limit: 2,
      page: async (cursor) => {
        const { data, response } = await t.api('auditor').GET('/api/v1/audit/verifications', { params: { query: { limit: 2, cursor } } });
        expect(response.status).toBe(200);
        return data!;
      },
      key: (verification) => verification.id,
      // Newest first: one started now sorts before the pages already read.
      insert: async () => {
        await start({}).expect(202);
        return undefined;
      },
    });
    await runner().idle();
  });

  it('lists recent verifications, newest first', async () => {
    const list = (await t.http().get('/api/v1/audit/verifications').set(bearer(auditor)).expect(200)).body.items;
    expect(list.length).toBeGreaterThanOrEqual(5);
    const times = list.map((v: { startedAt: string }) => Date.parse(v.startedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});
