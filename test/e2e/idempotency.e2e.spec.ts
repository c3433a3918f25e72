import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { tenantId } from '../../seeds/demo-data';
import { IdempotencyKeyExpiry } from '../../src/platform/http/idempotency-key-expiry';
import { accessGrantFixture, Fixtures } from '../support/fixtures';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

/**
 * An Idempotency-Key's answer commits in the same transaction as the change it answers: a request
 * that dies half-way leaves neither behind, so its retry runs the request once, at once (no lease to
 * wait out); a key is forgotten after 24 hours.
 */
describe('Idempotency-Key across crashes', () => {
  let t: TestApp;
  const city = tenantId('tsunagi-city');
  const body = (title: string) => ({ title, issues: ['care'], persons: [{ relation: '本人', familyName: '冪等', givenName: '試験' }] });
  const post = async (key: string, title: string) => t.http().post('/api/v1/cases').set(bearer(await t.token('choju-counselor'))).set('Idempotency-Key', key).send(body(title));
  const casesTitled = async (title: string) => (await t.sql(`select id from cases where title = $1`, [title])).length;
  const keyRows = (key: string) => t.sql<{ status: number | null }>(`select status from idempotency_keys where key = $1`, [key]);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** Holds the audit log against appends on a connection of its own: a request stops at its first audit row, its change made, uncommitted. */
  const holdAuditChain = async () => {
    const holder = new pg.Client({ connectionString: t.databaseUrl });
    await holder.connect();
    await holder.query('begin');
    await holder.query('lock table audit_log in share mode');
    return { release: () => holder.query('commit').then(() => holder.end()) };
  };
  /** The backend of the request waiting on the chain, once it waits. */
  const blockedRequest = async (): Promise<number> => {
    for (;;) {
      const [row] = await t.sql<{ pid: number }>(`select pid from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into audit_log%' and datname = current_database()`);
      if (row) return row.pid;
      await sleep(20);
    }
  };

  it('tells a retry to wait while the request runs, and answers it with the same case once that has committed', async () => {
    const chain = await holdAuditChain();
    const first = post('running-1', '処理中の再送');
    await blockedRequest();
    const retry = await post('running-1', '処理中の再送');
    expect(retry.status).toBe(409);
    expect(retry.body.code).toBe('request_in_progress');
    expect(Number(retry.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Nothing of it is visible yet, not even a pending key.
    expect(await keyRows('running-1')).toEqual([]);
    await chain.release();
    const done = await first;
    expect(done.status).toBe(201);
    const replayed = await post('running-1', '処理中の再送');
    expect(replayed.status).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body.id).toBe(done.body.id);
    expect(await casesTitled('処理中の再送')).toBe(1);
  });

  it('leaves neither the change nor a pending key when the request dies before its commit, and runs the retry at once', async () => {
    const chain = await holdAuditChain();
    const doomed = post('crash-1', '途中で落ちた要求');
    // The process dies: its connection goes, and PostgreSQL rolls its transaction back.
    await t.sql(`select pg_terminate_backend($1)`, [await blockedRequest()]);
    expect((await doomed).status).toBe(503);
    await chain.release();
    expect(await casesTitled('途中で落ちた要求')).toBe(0);
    expect(await keyRows('crash-1')).toEqual([]);

    const retry = await post('crash-1', '途中で落ちた要求');
    expect(retry.status).toBe(201);
    expect(await keyRows('crash-1')).toEqual([{ status: 201 }]);
    expect((await post('crash-1', '途中で落ちた要求')).body.id).toBe(retry.body.id);
    expect(await casesTitled('途中で落ちた要求')).toBe(1);
  });

  it('keeps a refusal on the audit record though the request it refused rolls back', async () => {
    const grant = await accessGrantFixture(t, 'tsunagi-city', 'auditor', (await new Fixtures(t).openCase('choju-counselor')).id);
    const refused = await t.http().post(`/api/v1/audit/access-grants/${grant}/approve`).set(bearer(await t.token('admin'))).set('Idempotency-Key', 'stale-1').send({ version: 7 });
    expect(refused.status).toBe(409);
    expect(await t.sql(`select outcome, detail->>'refused' as refused from audit_log where request_id = $1`, [refused.body.requestId])).toEqual([{ outcome: 'denied', refused: 'version_conflict' }]);
    expect(await keyRows('stale-1')).toEqual([]);
  });

  it('forgets a key after 24 hours: an expired key runs its request anew, and the hourly expiry deletes it', async () => {
    const first = await post('old-1', '昨日の要求');
    expect(first.status).toBe(201);
    await t.sql(`update idempotency_keys set created_at = now() - interval '24 hours 1 minute' where key = 'old-1'`);
    const again = await post('old-1', '昨日の要求');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.body.id).not.toBe(first.body.id);

    await t.sql(`update idempotency_keys set created_at = now() - interval '25 hours' where key = 'old-1'`);
    await post('fresh-1', '今日の要求');
    expect(await t.app.get(IdempotencyKeyExpiry).expireOnce()).toBe(1);
    expect(await keyRows('old-1')).toEqual([]);
    expect(await keyRows('fresh-1')).toEqual([{ status: 201 }]);
  });

  it('runs the expiry in one instance at a time', async () => {
    await t.sql(`update idempotency_keys set created_at = now() - interval '25 hours' where key = 'fresh-1'`);
    await t.sql('begin');
    await t.sql(`select pg_advisory_xact_lock(hashtext('tsunagi:idempotency-expiry'), hashtext($1))`, [city]);
    expect(await t.app.get(IdempotencyKeyExpiry).expireOnce()).toBe(0);
    await t.sql('rollback');
    expect(await t.app.get(IdempotencyKeyExpiry).expireOnce()).toBe(1);
  });
});
