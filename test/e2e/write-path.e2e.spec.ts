import { setTimeout as sleep } from 'node:timers/promises';
import { accountId, departmentId } from '../../seeds/demo-data';
import { Fixtures } from '../support/fixtures';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

/** Asks `probe` again until it answers `wanted` (a notification is on its way), or gives up after a while. */
async function eventually<T>(probe: () => Promise<T>, wanted: T): Promise<T> {
  let seen = await probe();
  for (let tries = 0; seen !== wanted && tries < 200; tries++) {
    await sleep(50);
    seen = await probe();
  }
  return seen;
}

/**
 * What makes a transition cheap without changing what it means: who a token names is reused for a while
 * but never past a change of their roles; the outbox is woken by the commit itself; requests beyond
 * what the service runs at once wait their turn, fairly between tenants, and none is turned away.
 */
describe('the write path: principal cache, outbox wake-up, fair queue', () => {
  describe('with principals cached far longer than any test runs', () => {
    let t: TestApp;
    let caseId: string;
    beforeAll(async () => {
      // Only a dropped cache entry can explain a changed answer within this file.
      t = await startTestApp({ PRINCIPAL_CACHE_MS: '3600000' });
      caseId = (await new Fixtures(t).openCase('choju-counselor')).id;
    });
    afterAll(() => t.close());

    it('applies a role taken away through the API to the very next request', async () => {
      const counselor = bearer(await t.token('choju-counselor'));
      expect((await t.http().get(`/api/v1/cases/${caseId}`).set(counselor)).status).toBe(200);
      const staffId = accountId('choju-counselor');
      const admin = bearer(await t.token('admin'));
      const { version } = (await t.http().get(`/api/v1/staff/${staffId}`).set(admin)).body as { version: number };
      // 異動 to 福祉課: the 長寿課 role goes at once, the new one waits for approval.
      const patched = await t
        .http()
        .patch(`/api/v1/staff/${staffId}`)
        .set(admin)
        .send({ version, roles: [{ role: 'counselor', departmentId: departmentId('tsunagi-city', 'fukushi') }], reason: '異動' });
      expect(patched.body).toMatchObject({ roles: [], pendingRoleChange: { state: 'requested' } });
      const refused = await t.http().get(`/api/v1/cases/${caseId}`).set(counselor);
      expect(refused.status).toBe(403);
    });

    it('drops a principal changed straight in the database, by the commit’s notification', async () => {
      const kenko = bearer(await t.token('kenko-counselor'));
      expect((await t.http().get('/api/v1/me').set(kenko)).status).toBe(200);
      await t.sql(`update staff set active = false where login = 'kenko-counselor'`);
      expect(await eventually(async () => (await t.http().get('/api/v1/me').set(kenko)).status, 401)).toBe(401);
    });
  });

  it('relays a committed event with polling off: the commit wakes the relay', async () => {
    const t = await startTestApp({ OUTBOX_LISTEN: 'true', OUTBOX_POLL_MS: '0' });
    try {
      const opened = await new Fixtures(t).openCase('choju-counselor');
      const pending = async () => Number((await t.sql<{ n: string }>(`select count(*) as n from domain_events where case_id = $1 and published_at is null`, [opened.id]))[0].n);
      expect(await eventually(pending, 0)).toBe(0);
      // Relayed means handed to the read models too: the case's activity row exists.
      expect(await t.sql(`select state from case_activity where case_id = $1`, [opened.id])).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it('queues requests beyond what runs at once, of two tenants, and answers every one', async () => {
    const t = await startTestApp({ REQUEST_CONCURRENCY: '1', TENANT_CONCURRENCY: '1' });
    try {
      const city = bearer(await t.token('choju-counselor'));
      const town = bearer(await t.token('other-city-counselor'));
      const open = (as: Record<string, string>, n: number) =>
        t.http().post('/api/v1/cases').set(as).send({ title: `順番 ${n}`, issues: ['care'], persons: [{ relation: '本人', familyName: '順番', givenName: `${n}` }] });
      const answers = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => open(n % 3 === 0 ? town : city, n)));
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201, 201]);
    } finally {
      await t.close();
    }
  });
});
