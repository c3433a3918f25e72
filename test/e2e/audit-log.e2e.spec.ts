import { sealAuditLog, tamperWithAuditLog } from '../support/audit-tampering';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

describe('audit log', () => {
  let t: TestApp;
  let auditor: string;
  let counselor: string;

  beforeAll(async () => {
    t = await startTestApp();
    auditor = await t.token('auditor');
    counselor = await t.token('choju-counselor');
  });
  afterAll(() => t.close());

  const verify = async () => {
    const { data, response } = await t.api('auditor').GET('/api/v1/audit/verify');
    expect(response.status).toBe(200);
    return data!;
  };
  /** A forbidden call is audited: an easy way to append rows from outside. */
  const denied = () => t.http().get('/api/v1/staff').set(bearer(counselor)).expect(403);

  it('numbers rows without gaps under concurrent writers once sealed, and the chain verifies', async () => {
    await Promise.all(Array.from({ length: 25 }, denied));
    await sealAuditLog(t);
    const rows = await t.sql<{ seq: string }>(`select seq from audit_log order by tenant_id, seq`);
    const perTenant = await t.sql<{ n: string; max: string }>(`select count(*) n, max(seq) max from audit_log group by tenant_id`);
    expect(perTenant).toEqual([{ n: perTenant[0].n, max: perTenant[0].n }]);
    expect(rows.length).toBeGreaterThanOrEqual(25);
    expect(await verify()).toMatchObject({ ok: true, brokenAtSeq: null });
  });

  it('is refused UPDATE and DELETE by the database, for the service role and for the owner', async () => {
    for (const statement of ['update audit_log set action = $1', 'delete from audit_log where action <> $1']) {
      await t.sql('begin');
      await t.sql('set local role tsunagi_app');
      await expect(t.sql(statement, ['x'])).rejects.toThrow(/permission denied/);
      await t.sql('rollback');
      await expect(t.sql(statement, ['x'])).rejects.toThrow(/append-only/);
    }
    await expect(t.sql('truncate audit_log')).rejects.toThrow(/append-only/);
  });

  it('names the first altered row', async () => {
    await denied();
    const [{ seq }] = await t.sql<{ seq: string }>(`select min(seq)::text seq from audit_log where seq > 3`);
    await tamperWithAuditLog(t, `update audit_log set action = 'tampered' where seq = ${seq}`);
    expect(await verify()).toMatchObject({ ok: false, brokenAtSeq: Number(seq), reason: 'altered' });
  });
});

describe.each([
  ['a deleted row', 'delete from audit_log where seq = 3', { brokenAtSeq: 3, reason: 'missing' }],
  ['rows cut off the end', 'delete from audit_log where seq >= 4', { brokenAtSeq: 4, reason: 'truncated' }],
  ['a row re-hashed to hide an edit', `update audit_log set action = 'x', hash = 'f' || substr(hash, 2) where seq = 2`, { brokenAtSeq: 2, reason: 'altered' }],
])('audit log verification finds %s', (_name, tampering, expected) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('and names where the chain breaks', async () => {
    const counselor = await t.token('choju-counselor');
    for (let i = 0; i < 5; i++) await t.http().get('/api/v1/staff').set(bearer(counselor)).expect(403);
    await tamperWithAuditLog(t, tampering);
    const { data, response } = await t.api('auditor').GET('/api/v1/audit/verify');
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ ok: false, ...expected });
  });
});
