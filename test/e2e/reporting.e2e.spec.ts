import { OutboxRelay } from '../../src/platform/events/outbox-relay';
import { Projector } from '../../src/modules/reporting/projector';
import { Db } from '../../src/platform/database/db';
import { departmentId, tenantId } from '../../seeds/demo-data';
import { Fixtures } from '../support/fixtures';
import { countersAndFacts, projectionsAndRecomputation } from '../support/projections';
import { bucketOf } from '../../src/modules/reporting/domain/duration-histogram';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

const dept = (code: string) => departmentId('tsunagi-city', code);

/** Managers' referral figures on a known dataset, and the projection equal to a recomputation from the events. */
describe('reporting', () => {
  let t: TestApp;
  let fixtures: Fixtures;
  const referrals: { id: string; to: string }[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    fixtures = new Fixtures(t);
    const answer = async (id: string, login: string, action: string, version: number, body: object = {}) =>
      t.http().post(`/api/v1/referrals/${id}/actions/${action}`).set(bearer(await t.token(login))).send({ version, ...body }).expect(200);
    for (const to of ['fukushi', 'fukushi', 'fukushi', 'kenko']) {
      const opened = await fixtures.openCase('choju-counselor');
      const referral = await fixtures.refer('choju-counselor', opened.id, 'tsunagi-city', to);
      referrals.push({ id: referral.id, to });
    }
    await answer(referrals[0].id, 'fukushi-counselor', 'accept', 1);
    await answer(referrals[0].id, 'fukushi-counselor', 'start', 2);
    await answer(referrals[0].id, 'fukushi-counselor', 'complete', 3, { outcome: 'resolved' });
    await answer(referrals[1].id, 'fukushi-manager', 'accept', 1);
    await answer(referrals[2].id, 'fukushi-counselor', 'decline', 1, { reason: '所管外' });
    await t.app.get(OutboxRelay).relayOnce();
    await t.app.get(Projector).idle();
  });
  afterAll(() => t.close());

  const projection = async () => {
    const db = t.app.get(Db);
    const referrals = t.app.get(Projector).stores.find((s) => s.projection.name === 'referrals')!;
    return db.inTenant(tenantId('tsunagi-city'), async (em) => ({ stored: await referrals.stored(em), recomputed: await referrals.recompute(em) }));
  };

  /** The referral matrix through the typed client, as a manager sees it. */
  const matrix = async (query: { from?: string; to?: string; departmentId?: string; limit?: number; cursor?: string }) => {
    const { data, response } = await t.api('kyosei-manager').GET('/api/v1/reporting/referrals', { params: { query } });
    expect(response.status).toBe(200);
    return data!;
  };

  it('keeps every projection equal to a recomputation from the raw events', async () => {
    const all = await projectionsAndRecomputation(t, tenantId('tsunagi-city'));
    expect(all.referrals.stored.size).toBe(4);
    for (const { stored, recomputed } of Object.values(all)) expect(stored).toEqual(recomputed);
  });

  it('reports counts, acceptance rate, p50/p90 hours and overdue referrals per pair of departments', async () => {
    // Put the history on a known clock: proposals at 09:00, answers 2 h and 4 h later, completion after 10 h; one answer deadline passed.
    await t.sql(`update domain_events set occurred_at = '2026-11-02T00:00:00Z' where type = 'ReferralProposed'`);
    await t.sql(`update domain_events set occurred_at = '2026-11-02T02:00:00Z' where type = 'ReferralAccepted' and aggregate_id = $1`, [referrals[0].id]);
    await t.sql(`update domain_events set occurred_at = '2026-11-02T04:00:00Z' where type = 'ReferralAccepted' and aggregate_id = $1`, [referrals[1].id]);
    await t.sql(`update domain_events set occurred_at = '2026-11-02T10:00:00Z' where type = 'ReferralCompleted'`);
    await t.sql(`update domain_events set payload = jsonb_set(payload, '{dueOn}', '"2026-11-06"') where type = 'ReferralProposed' and aggregate_id = $1`, [referrals[3].id]);
    const rebuilt = await t.api('admin').POST('/api/v1/reporting/projections/rebuild');
    expect(rebuilt.response.status).toBe(200);
    expect(rebuilt.data).toEqual({ referrals: 4, coordination: 0, tasks: 0, caseActivity: 4, criteriaTriggers: 0 });

    const res = await matrix({ from: '2026-11', to: '2026-11' });
    expect(res.items).toEqual([
      {
        fromDepartmentId: dept('choju'),
        fromDepartment: '長寿課',
        toDepartmentId: dept('kenko'),
        toDepartment: '健康推進課',
        total: 1,
        accepted: 0,
        declined: 0,
        acceptanceRate: null,
        hoursToAccept: { p50: null, p90: null },
        hoursToComplete: { p50: null, p90: null },
        overdueNow: 1,
      },
      {
        fromDepartmentId: dept('choju'),
        fromDepartment: '長寿課',
        toDepartmentId: dept('fukushi'),
        toDepartment: '福祉課',
        total: 3,
        accepted: 2,
        declined: 1,
        acceptanceRate: 66.7,
        hoursToAccept: { p50: 3, p90: 3.8 },
        // One completion after 10 h, read back from its histogram bucket (within 5 %).
        hoursToComplete: { p50: 10.4, p90: 10.4 },
        overdueNow: 0,
      },
    ]);
    expect(res.next).toBeNull();
    const first = await matrix({ from: '2026-11', to: '2026-11', limit: 1 });
    expect(first.items.map((r) => r.toDepartment)).toEqual(['健康推進課']);
    const second = await matrix({ from: '2026-11', to: '2026-11', limit: 1, cursor: first.next! });
    expect(second).toEqual({ items: [res.items[1]], next: null });
    const { stored, recomputed } = await projection();
    expect(stored).toEqual(recomputed);

    const filtered = await matrix({ departmentId: dept('kenko') });
    expect(filtered.items.map((r) => r.toDepartment)).toEqual(['健康推進課']);
    const csv = await t.http().get('/api/v1/reporting/referrals.csv').set(bearer(await t.token('kyosei-manager'))).expect(200);
    expect(csv.text).toContain('長寿課,福祉課,3,2,1,66.7,3,3.8,10.4,10.4,0');
    // Months are Japan's: the proposals at 09:00 on 2 November fall in November only.
    expect(await matrix({ from: '2026-12', to: '2027-03' })).toEqual({ items: [], next: null });
    expect(await matrix({ from: '2026-04', to: '2026-10' })).toEqual({ items: [], next: null });
  });

  it('buckets durations in SQL exactly as the dashboard reads them back', async () => {
    const seconds = [0, 5, 59, 60, 3599, 7200, 36_000, 86_400, 1_209_600, 31_536_000];
    const [row] = await t.sql<{ buckets: number[] }>(`select array_agg(referral_duration_bucket(s) order by ord) as buckets from unnest($1::float8[]) with ordinality as u(s, ord)`, [seconds]);
    expect(row.buckets).toEqual(seconds.map(bucketOf));
  });

  it('keeps the monthly referral rollups equal to their facts, and refuses a malformed or reversed period', async () => {
    const { referrals, referralDurations } = await countersAndFacts(t);
    expect(referrals.counters.length).toBeGreaterThan(0);
    expect(referrals.counters).toEqual(referrals.facts);
    expect(referralDurations.counters).toEqual(referralDurations.facts);
    const manager = bearer(await t.token('kyosei-manager'));
    const malformed = await t.http().get('/api/v1/reporting/referrals?from=2026-13').set(manager).set('Accept-Language', 'en').expect(400);
    expect(JSON.stringify(malformed.body)).toContain('Give a month as YYYY-MM.');
    const reversed = await t.http().get('/api/v1/reporting/referrals?from=2026-12&to=2026-11').set(manager).expect(400);
    expect(JSON.stringify(reversed.body)).toContain('開始月は終了月以前にしてください。');
  });

  it('shows 多機関協働 stages, overdue tasks, stuck cases and the criteria that trigger most', async () => {
    const overview = await t.http().get('/api/v1/reporting/overview?stuckDays=1').set(bearer(await t.token('kyosei-manager'))).expect(200);
    expect(overview.body).toMatchObject({ coordinationByStage: [], overdueTasksByDepartment: [], topCriteria: [] });
    await t.sql(`update domain_events set occurred_at = now() - interval '3 days'`);
    await t.sql(`update cases set created_at = now() - interval '3 days'`);
    // The history was edited behind the service's back: the read models learn it by a rebuild.
    await t.http().post('/api/v1/reporting/projections/rebuild').set(bearer(await t.token('admin'))).expect(200);
    const later = await t.http().get('/api/v1/reporting/overview?stuckDays=1').set(bearer(await t.token('kyosei-manager'))).expect(200);
    expect(later.body.stuckCases).toHaveLength(4);
  });
});
