import pg from 'pg';
import { tenantId } from '../../seeds/demo-data';
import { AuditSealer } from '../../src/modules/audit/audit-sealer';
import { checkChainInParallel } from '../../src/modules/audit/verification/parallel-chain-check';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

const CITY = tenantId('tsunagi-city');

/** Rows are appended unsealed (封印前) by writers that never wait on one another, and chained after commit by the tenant's sealer. */
describe('audit sealing', () => {
  let t: TestApp;
  let counselor: string;
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    counselor = await t.token('choju-counselor');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await t.close();
  });

  const sealer = () => t.app.get(AuditSealer);
  /** A forbidden call is audited: an easy way to append a row from outside. */
  const denied = () => t.http().get('/api/v1/staff').set(bearer(counselor)).expect(403);
  const newest = async () => (await t.sql<{ id: string; seq: string | null; hash: string | null }>(`select id, seq, hash from audit_log where tenant_id = $1 order by id desc limit 1`, [CITY]))[0];
  const verify = async () => (await t.http().get('/api/v1/audit/verify').set(bearer(await t.token('auditor'))).expect(200)).body;
  async function connection(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    clients.push(client);
    return client;
  }
  const insertRow = (client: pg.Client | TestApp, action: string) => {
    const statement = `insert into audit_log (tenant_id, actor_type, action, subject_type, outcome) values ($1, 'system', $2, 'Test', 'allowed') returning id`;
    return client instanceof pg.Client ? client.query(statement, [CITY, action]).then((r) => r.rows) : client.sql(statement, [CITY, action]);
  };

  it('seals a request’s row moments after its commit, without being asked', async () => {
    await denied();
    await sealer().idle();
    const row = await newest();
    expect(row.seq).not.toBeNull();
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets a writer append while a sealer holds the chain head, and seals its row once the head is free', async () => {
    await sealer().seal(CITY);
    const holder = await connection();
    await holder.query('begin');
    await holder.query(`select 1 from audit_chain_heads where tenant_id = $1 for update`, [CITY]);
    // Before, every writer of the tenant took this lock: the request would wait here until the commit below.
    await denied();
    const row = await newest();
    expect(row).toMatchObject({ seq: null, hash: null });
    await holder.query('commit');
    await sealer().seal(CITY);
    const [sealed] = await t.sql<{ seq: string }>(`select seq from audit_log where tenant_id = $1 and id = $2`, [CITY, row.id]);
    expect(Number(sealed.seq)).toBeGreaterThan(0);
    expect(await verify()).toMatchObject({ ok: true, brokenAtSeq: null, unsealed: { count: 0, oldestAt: null } });
  });

  it('chains a row whose transaction commits late after the rows that committed before it, and leaves no gap for one rolled back', async () => {
    const late = await connection();
    await late.query('begin');
    const [{ id: lateId }] = await insertRow(late, 'test.late');
    const doomed = await connection();
    await doomed.query('begin');
    await insertRow(doomed, 'test.rolled-back');
    const [{ id: earlyId }] = await insertRow(t, 'test.early');
    expect(Number(earlyId)).toBeGreaterThan(Number(lateId));

    await sealer().seal(CITY); // the late row is not visible yet: not sealed, not skipped
    await doomed.query('rollback');
    await late.query('commit');
    await sealer().seal(CITY);

    const rows = await t.sql<{ action: string; seq: string }>(`select action, seq from audit_log where tenant_id = $1 and action like 'test.%' order by seq`, [CITY]);
    expect(rows.map((r) => r.action)).toEqual(['test.early', 'test.late']);
    expect(Number(rows[1].seq)).toBe(Number(rows[0].seq) + 1);
    expect(await verify()).toMatchObject({ ok: true, brokenAtSeq: null });
  });

  it('allows sealing as the one change: a sealed row cannot be re-sealed, an unsealed one cannot be edited, even by the owner', async () => {
    const [{ id }] = await insertRow(t, 'test.unsealed');
    await expect(t.sql(`update audit_log set action = 'x' where id = $1`, [id])).rejects.toThrow(/append-only/);
    await sealer().seal(CITY);
    await expect(t.sql(`update audit_log set seq = seq + 1000, hash = repeat('0', 64) where id = $1`, [id])).rejects.toThrow(/append-only/);
    await t.sql('begin');
    await t.sql('set local role tsunagi_app');
    await expect(t.sql(`update audit_log set seq = 1 where id = $1`, [id])).rejects.toThrow(/permission denied/);
    await t.sql('rollback');
  });

  it('verifies in Node what the database hashed, whatever the row holds', async () => {
    await t.sql(
      `insert into audit_log (tenant_id, request_id, actor_type, actor_roles, action, subject_type, subject_id, outcome, detail)
       values ($1, $2, 'system', '{"counselor@choju","a \\"quoted\\" role"}', 'test.odd', 'Test', $3, 'allowed', $4)`,
      [CITY, 'tab\there', '改行\n"引用"\\', JSON.stringify({ 'long key': [1.5, null, true, '😀 \u0001'], a: { z: 1e3, b: 'é' } })],
    );
    await sealer().seal(CITY);
    expect(await verify()).toMatchObject({ ok: true, brokenAtSeq: null });
    // Split in segments of a few rows, each worker checks its own and the link to the one before.
    const [{ last }] = await t.sql<{ last: string }>(`select max(seq) as last from audit_log where tenant_id = $1`, [CITY]);
    const inSegments = (workers: number) => checkChainInParallel({ url: t.databaseUrl, tenantId: CITY, from: 1, to: Number(last), workers, perWorker: 1 });
    expect(await inSegments(3)).toEqual({ checked: Number(last), broken: null });
    const [{ seq }] = await t.sql<{ seq: string }>(`select seq from audit_log where tenant_id = $1 and action = 'test.odd'`, [CITY]);
    await t.sql('begin');
    await t.sql('set local session_replication_role = replica');
    await t.sql(`update audit_log set detail = detail || '{"b": 2}' where tenant_id = $1 and seq = $2`, [CITY, seq]);
    await t.sql('commit');
    expect(await verify()).toMatchObject({ ok: false, brokenAtSeq: Number(seq), reason: 'altered' });
    expect((await inSegments(4)).broken).toEqual({ seq: Number(seq), reason: 'altered' });
  });

  it('verifies in Node rows whose roles are empty, nested or hold a null, and catches a re-linked one', async () => {
    await sealer().seal(CITY);
    for (const roles of ['{}', '{{a,"b c"},{NULL,"é\\\\"}}', '{NULL}'])
      await t.sql(
        `insert into audit_log (tenant_id, actor_type, actor_roles, action, subject_type, outcome, detail) values ($1, 'system', $2, 'test.roles', 'Test', 'allowed', '[]')`,
        [CITY, roles],
      );
    await sealer().seal(CITY);
    const [{ last }] = await t.sql<{ last: string }>(`select max(seq) as last from audit_log where tenant_id = $1`, [CITY]);
    // These three rows only (the test before left an altered row behind them), one segment each.
    const inSegments = () => checkChainInParallel({ url: t.databaseUrl, tenantId: CITY, from: Number(last) - 2, to: Number(last), workers: 3, perWorker: 1 });
    expect(await inSegments()).toEqual({ checked: 3, broken: null });
    await t.sql('begin');
    await t.sql('set local session_replication_role = replica');
    // Linked elsewhere and re-hashed, so its own hash holds and only the link gives it away.
    await t.sql(`update audit_log set prev_hash = repeat('0', 64) where tenant_id = $1 and seq = $2`, [CITY, Number(last) - 1]);
    await t.sql(`update audit_log a set hash = audit_hash(a) where tenant_id = $1 and seq = $2`, [CITY, Number(last) - 1]);
    await t.sql('commit');
    expect((await inSegments()).broken).toEqual({ seq: Number(last) - 1, reason: 'relinked' });
  });

  it('flags a committed row left unsealed for over a minute, until it is sealed', async () => {
    const flags = async () => {
      const res = await t.http().get('/api/v1/audit/anomalies?from=2026-01-01T00:00:00Z&to=2100-01-01T00:00:00Z').set(bearer(await t.token('auditor'))).expect(200);
      return res.body.items.filter((a: { kind: string }) => a.kind === 'unsealed');
    };
    await sealer().seal(CITY);
    await sealer().idle();
    // A row whose sealer never ran: written two minutes ago (its time moved as only the owner could).
    const [{ id }] = await insertRow(t, 'test.stale');
    await t.sql('begin');
    await t.sql('set local session_replication_role = replica');
    await t.sql(`update audit_log set occurred_at = now() - interval '2 minutes' where id = $1`, [id]);
    await t.sql('commit');
    expect(await flags()).toEqual([expect.objectContaining({ kind: 'unsealed', count: 1, actorId: null })]);
    await sealer().seal(CITY);
    expect(await flags()).toEqual([]);
  });
});
