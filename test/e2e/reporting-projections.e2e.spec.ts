import { todayInJapan } from '../../src/platform/calendar/today';
import { accountId, departmentId, tenantId } from '../../seeds/demo-data';
import { Projector } from '../../src/modules/reporting/projector';
import { Db } from '../../src/platform/database/db';
import { OutboxRelay } from '../../src/platform/events/outbox-relay';
import { ApiClient } from '../support/api-client';
import { countersAndFacts, projectionsAndRecomputation, settle } from '../support/projections';
import { startTestApp, type TestApp } from '../support/test-app';

const CITY = 'tsunagi-city';
const dept = (code: string) => departmentId(CITY, code);
const daysFromToday = (days: number) => todayInJapan(new Date(Date.now() + days * 86_400_000));

/**
 * The managers' overview on a known dataset, every figure read from the projections:
 * A (長寿課) 8050 + ひきこもり, taken up on the 支援会議 track and shared with a 支援会議;
 * B (福祉課) 障がい + 生活困窮 with consent, planning, plan v1 then v2 (v1's open tasks cancelled);
 * C (健康推進課) one sector, no coordination, quiet for 40 days; D (長寿課) closed, quiet too.
 */
describe('reporting: projections behind the overview', () => {
  let t: TestApp;
  let api: ApiClient;
  const ids: Record<'a' | 'b' | 'c' | 'd', string> = { a: '', b: '', c: '', d: '' };
  let coordinationA = '';

  const manager = () => api.as('kyosei-manager');
  const coordinator = () => api.as('kyosei-coordinator');
  const openCase = async (login: string, issues: string[]) => {
    const res = await api.as(login).post('/api/v1/cases', { title: '集計確認', issues, persons: [{ relation: '本人', familyName: '集計', givenName: '太郎' }] });
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number; persons: { personId: string }[] };
  };
  const takeUp = async (caseId: string) => {
    const res = await coordinator().post('/api/v1/coordination/cases', { caseId, reason: '複数分野' });
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number };
  };
  const act = async (id: string, version: number, action: string, body: object = {}) => {
    const res = await coordinator().post(`/api/v1/coordination/cases/${id}/actions/${action}`, { version, ...body });
    expect(res.status).toBe(200);
    return res.body.version as number;
  };
  const plan = async (id: string, version: number, tasks: [string, string][]) => {
    const res = await t
      .http()
      .put(`/api/v1/coordination/cases/${id}/plan`)
      .set('Authorization', `Bearer ${await t.token('kyosei-coordinator')}`)
      .send({ version, goals: [{ id: 'g1', text: '生活の安定' }], tasks: tasks.map(([code, dueOn]) => ({ goalId: 'g1', departmentId: dept(code), title: `${code}の支援`, dueOn })) });
    expect(res.status).toBe(200);
    return res.body.version as number;
  };
  const rebuild = async () => (await api.as('admin').post('/api/v1/reporting/projections/rebuild')).body;

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t);
    const a = await openCase('choju-counselor', ['care', 'hikikomori', '8050']);
    const b = await openCase('fukushi-counselor', ['disability', 'poverty']);
    const c = await openCase('kenko-counselor', ['health']);
    const d = await openCase('choju-counselor', ['care']);
    Object.assign(ids, { a: a.id, b: b.id, c: c.id, d: d.id });
    await api.as('choju-counselor').post(`/api/v1/cases/${d.id}/actions/close`, { version: d.version, reason: '転出' });
    await api.as('fukushi-counselor').post(`/api/v1/cases/${b.id}/consents`, { personId: b.persons[0].personId, scope: ['basic', 'case'], recipientDepartmentIds: [dept('chiiki-kyosei')], givenOn: todayInJapan(), method: 'written' });
    await settle(t);

    const coordA = await takeUp(a.id);
    coordinationA = coordA.id;
    await act(coordA.id, coordA.version, 'start-shien-kaigi-track');
    const meeting = await coordinator().post('/api/v1/meetings', { kind: 'shien_kaigi', title: '第1回 支援会議', heldOn: todayInJapan() });
    await coordinator().post(`/api/v1/meetings/${meeting.body.id}/members`, { staffId: accountId('fukushi-counselor'), confidentialityAcknowledged: true });
    expect((await coordinator().post(`/api/v1/meetings/${meeting.body.id}/cases`, { coordinationCaseId: coordA.id, share: { case: ['issues'] } })).status).toBe(201);

    const coordB = await takeUp(b.id);
    let version = await act(coordB.id, coordB.version, 'start-consent-track');
    version = await act(coordB.id, version, 'draft-plan');
    version = await plan(coordB.id, version, [['kenko', '2026-01-10'], ['fukushi', '2026-01-20'], ['choju', '2099-01-01']]);
    const fukushiTask = (await api.as('fukushi-counselor').get('/api/v1/coordination/tasks')).body.items[0];
    expect((await api.as('fukushi-counselor').post(`/api/v1/coordination/tasks/${fukushiTask.id}/actions/report`, { version: 1, report: '利用開始', done: true })).status).toBe(200);
    await plan(coordB.id, version, [['kenko', '2026-02-01'], ['kenko', '2026-03-01'], ['tatsuse', '2099-01-01']]);
    await settle(t);
  });
  afterAll(() => t.close());

  it('keeps every projection equal to a recomputation from the raw events, and every counter equal to its facts', async () => {
    const all = await projectionsAndRecomputation(t, tenantId(CITY));
    for (const { stored, recomputed } of Object.values(all)) expect(stored).toEqual(recomputed);
    expect(Object.fromEntries(Object.entries(all).map(([name, { stored }]) => [name, stored.size]))).toEqual({ referrals: 0, coordination: 2, tasks: 6, caseActivity: 4, criteriaTriggers: 4 });
    for (const { counters, facts } of Object.values(await countersAndFacts(t))) expect(counters).toEqual(facts);
    // Every change of the case re-evaluates the criteria; only a changed match writes an event.
    const criteriaEvents = await t.sql(`select aggregate_id, count(*)::int as n from domain_events where type = 'EscalationCriteriaMatched' group by 1 order by 1`);
    expect(criteriaEvents).toEqual([ids.a, ids.b].sort().map((id) => ({ aggregate_id: id, n: 1 })));
  });

  it('counts 多機関協働 cases by stage, tasks overdue by department, and the criteria that trigger most', async () => {
    const res = await manager().get('/api/v1/reporting/overview?stuckDays=30');
    expect(res.status).toBe(200);
    expect(res.body.coordinationByStage).toEqual([
      { state: 'planning', cases: 1, average_age_days: 0 },
      { state: 'shien_kaigi', cases: 1, average_age_days: 0 },
    ]);
    expect(res.body.overdueTasksByDepartment).toEqual([{ department_id: dept('kenko'), department: '健康推進課', overdue: 2 }]);
    expect(res.body.topCriteria).toEqual([
      { code: 'multi_sector', label: '2分野以上にまたがる課題', cases: 2 },
      { code: 'pattern_8050', label: '8050問題', cases: 1 },
      { code: 'pattern_hikikomori', label: 'ひきこもり', cases: 1 },
    ]);
    expect(res.body.stuckCases).toEqual([]);
  });

  it('ages coordination cases, finds quiet open cases, and filters by period and department', async () => {
    // Move history back: A was taken up 10 days ago; C and D have been quiet for 40 days.
    await t.sql(`update domain_events set occurred_at = now() - interval '10 days' where type = 'CoordinationOpened' and aggregate_id = $1`, [coordinationA]);
    await t.sql(`update domain_events set occurred_at = now() - interval '40 days' where case_id = any($1)`, [[ids.c, ids.d]]);
    expect(await rebuild()).toEqual({ referrals: 0, coordination: 2, tasks: 6, caseActivity: 4, criteriaTriggers: 4 });

    const all = await manager().get('/api/v1/reporting/overview?stuckDays=30');
    expect(all.body.coordinationByStage).toEqual([
      { state: 'planning', cases: 1, average_age_days: 0 },
      { state: 'shien_kaigi', cases: 1, average_age_days: 10 },
    ]);
    const [c] = await t.sql<{ case_number: string }>(`select case_number from cases where id = $1`, [ids.c]);
    expect(all.body.stuckCases).toEqual([
      { case_id: ids.c, case_number: c.case_number, lead_department_id: dept('kenko'), lead_department: '健康推進課', state: 'intake', last_event_at: expect.any(String) },
    ]);

    const recent = await manager().get(`/api/v1/reporting/overview?from=${daysFromToday(-5)}&to=${daysFromToday(1)}`);
    expect(recent.body.coordinationByStage).toEqual([{ state: 'planning', cases: 1, average_age_days: 0 }]);
    expect(recent.body.topCriteria.map((r: { code: string }) => r.code)).toEqual(['multi_sector', 'pattern_8050', 'pattern_hikikomori']);
    const future = await manager().get(`/api/v1/reporting/overview?from=${daysFromToday(1)}`);
    expect(future.body).toMatchObject({ coordinationByStage: [], topCriteria: [] });

    const kenko = await manager().get(`/api/v1/reporting/overview?departmentId=${dept('kenko')}`);
    expect(kenko.body.overdueTasksByDepartment.map((r: { overdue: number }) => r.overdue)).toEqual([2]);
    expect(kenko.body.stuckCases.map((r: { case_id: string }) => r.case_id)).toEqual([ids.c]);
    const choju = await manager().get(`/api/v1/reporting/overview?departmentId=${dept('choju')}`);
    expect(choju.body).toMatchObject({ overdueTasksByDepartment: [], stuckCases: [] });
    // Stages and criteria follow the case's lead department: A is 長寿課's, B is 福祉課's.
    expect(choju.body.coordinationByStage).toEqual([{ state: 'shien_kaigi', cases: 1, average_age_days: 10 }]);
    expect(choju.body.topCriteria.map((r: { code: string; cases: number }) => [r.code, r.cases])).toEqual([['multi_sector', 1], ['pattern_8050', 1], ['pattern_hikikomori', 1]]);
    const fukushi = await manager().get(`/api/v1/reporting/overview?departmentId=${dept('fukushi')}`);
    expect(fukushi.body.coordinationByStage).toEqual([{ state: 'planning', cases: 1, average_age_days: 0 }]);
    expect(fukushi.body.topCriteria.map((r: { code: string; cases: number }) => [r.code, r.cases])).toEqual([['multi_sector', 1]]);
    expect((await manager().get('/api/v1/reporting/overview?from=yesterday')).status).toBe(400);
  });

  it('exports each section as CSV in UTF-8 with a BOM and Japanese headers', async () => {
    const csv = async (section: string) => {
      const res = await manager().get(`/api/v1/reporting/overview/${section}.csv`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.text.charCodeAt(0)).toBe(0xfeff);
      return res.text.slice(1).split('\r\n');
    };
    expect(await csv('coordination')).toEqual(['段階,件数,平均経過日数', '支援プラン作成,1,0', '支援会議（同意なし）,1,10', '']);
    expect(await csv('tasks-overdue')).toEqual(['課,期限超過タスク,課ID', `健康推進課,2,${dept('kenko')}`, '']);
    expect(await csv('criteria')).toEqual(['コード,基準,件数', 'multi_sector,2分野以上にまたがる課題,2', 'pattern_8050,8050問題,1', 'pattern_hikikomori,ひきこもり,1', '']);
    const stuck = await csv('stuck-cases');
    expect(stuck[0]).toBe('ケース番号,担当課,状態,最終記録日時,ケースID,担当課ID');
    const [{ at }] = await t.sql<{ at: string }>(`select to_char(last_event_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI') as at from case_activity where case_number = $1`, [stuck[1].split(',')[0]]);
    expect(stuck[1]).toMatch(new RegExp(`^[^,]+,健康推進課,受付,${at},[0-9a-f-]{36},${dept('kenko')}$`));
    expect((await manager().get('/api/v1/reporting/overview/everything.csv')).status).toBe(400);
  });

  it('after a generated workload, every projection equals a recomputation from the events, and a rebuild equals the live projections', async () => {
    // A fixed pseudo-random sequence, so a failure replays the same way.
    let seed = 20261123;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    const windows = ['choju', 'fukushi', 'kenko', 'kodomo-katei'] as const;
    const issues = [['care'], ['care', 'poverty'], ['disability', 'hikikomori', '8050'], ['childcare', 'double_care'], ['health'], ['housing', 'isolation']];
    const opened: { id: string; version: number; window: string; openReferrals: number }[] = [];
    for (let i = 0; i < 24; i++) {
      const window = windows[i % windows.length];
      const made = await openCase(`${window}-counselor`, pick(issues));
      const entry = { id: made.id, version: made.version, window, openReferrals: 0 };
      opened.push(entry);
      if (random() < 0.3) await api.as(`${window}-counselor`).post(`/api/v1/cases/${made.id}/notes`, { body: '電話で状況を確認した。' });
      if (random() < 0.6) {
        const to = pick(windows.filter((w) => w !== window));
        const referral = (await api.as(`${window}-counselor`).post(`/api/v1/cases/${made.id}/referrals`, { toDepartmentId: dept(to), purpose: '確認', legalBasis: 'APPI_INTERNAL', legalBasisReason: '庁内の支援調整', share: { case: ['issues'] } })).body;
        const answer = pick(['accept', 'decline', 'none', 'complete'] as const);
        const actOn = (action: string, version: number, body: object = {}) => api.as(`${to}-counselor`).post(`/api/v1/referrals/${referral.id}/actions/${action}`, { version, ...body });
        if (answer === 'decline') await actOn('decline', 1, { reason: '所管外' });
        if (answer === 'accept' || answer === 'complete') await actOn('accept', 1);
        if (answer === 'complete') {
          await actOn('start', 2);
          await actOn('complete', 3, { outcome: 'resolved' });
        }
        if (answer === 'accept' || answer === 'none') entry.openReferrals++;
      }
    }
    await settle(t);
    const candidates = await t.sql<{ id: string }>(`select id from cases where coordination_status = 'candidate' and id = any($1) order by created_at`, [opened.map((o) => o.id)]);
    expect(candidates.length).toBeGreaterThan(2);
    for (const [index, { id }] of candidates.entries()) {
      const taken = await takeUp(id);
      if (index % 2 === 0) {
        await act(taken.id, taken.version, 'start-shien-kaigi-track');
        continue;
      }
      const entry = opened.find((o) => o.id === id)!;
      const person = (await t.sql<{ person_id: string }>(`select person_id from case_persons where case_id = $1`, [id]))[0].person_id;
      await api.as(`${entry.window}-counselor`).post(`/api/v1/cases/${id}/consents`, { personId: person, scope: ['basic', 'case'], recipientDepartmentIds: [dept('chiiki-kyosei')], givenOn: todayInJapan(), method: 'oral' });
      let version = await act(taken.id, taken.version, 'start-consent-track');
      version = await act(taken.id, version, 'draft-plan');
      await plan(taken.id, version, [[entry.window, daysFromToday(-3)], [pick(windows), daysFromToday(20)]]);
    }
    for (const entry of opened.filter((o) => o.openReferrals === 0).slice(0, 4)) {
      const current = (await t.sql<{ version: number }>(`select version from cases where id = $1`, [entry.id]))[0].version;
      expect((await api.as(`${entry.window}-counselor`).post(`/api/v1/cases/${entry.id}/actions/close`, { version: current, reason: '終結' })).status).toBe(200);
    }
    await settle(t);

    const live = await projectionsAndRecomputation(t, tenantId(CITY));
    for (const { stored, recomputed } of Object.values(live)) expect(stored).toEqual(recomputed);
    expect(live.caseActivity.stored.size).toBe(28);
    expect(live.referrals.stored.size).toBeGreaterThan(5);
    for (const { counters, facts } of Object.values(await countersAndFacts(t))) expect(counters).toEqual(facts);

    const counts = await rebuild();
    expect(counts).toEqual(Object.fromEntries(Object.entries(live).map(([name, { stored }]) => [name, stored.size])));
    const rebuilt = await projectionsAndRecomputation(t, tenantId(CITY));
    for (const [name, { stored }] of Object.entries(rebuilt)) expect(stored).toEqual(live[name].stored);
    for (const { counters, facts } of Object.values(await countersAndFacts(t))) expect(counters).toEqual(facts);
  });

  it('applies an event that committed after a later one, and a redelivered one, as a rebuild would', async () => {
    const opened = await openCase('choju-counselor', ['care']);
    expect((await api.as('choju-counselor').post(`/api/v1/cases/${opened.id}/actions/start-assessment`, { version: opened.version })).status).toBe(200);
    expect((await api.as('choju-counselor').post(`/api/v1/cases/${opened.id}/notes`, { body: '訪問した。' })).status).toBe(201);
    await settle(t);
    const store = t.app.get(Projector).stores.find((s) => s.projection.name === 'caseActivity')!;
    const events = await t.sql<Record<string, unknown>>(`select id, aggregate_type, aggregate_id, case_id, type, payload, occurred_at from domain_events where case_id = $1 order by id`, [opened.id]);
    expect(events.map((e) => e.type)).toEqual(['CaseOpened', 'CaseAssessmentStarted', 'CaseNoteAdded']);
    const row = (e: Record<string, unknown>) => ({ id: Number(e.id), aggregateType: String(e.aggregate_type), aggregateId: String(e.aggregate_id), caseId: String(e.case_id), type: String(e.type), payload: e.payload as Record<string, unknown>, occurredAt: new Date(e.occurred_at as string).toISOString() });
    await t.app.get(Db).inTenant(tenantId(CITY), async (em) => {
      await em.execute('delete from case_activity where case_id = ?', [opened.id]);
      // Opened, then the note, then the assessment that committed last though its id is lower; then the note again.
      for (const e of [events[0], events[2], events[1], events[2]]) await store.apply(em, tenantId(CITY), row(e));
      const stored = (await store.stored(em)).get(opened.id);
      expect(stored).toMatchObject({ state: 'assessment', lastEventId: Number(events[2].id) });
      expect(stored).toEqual((await store.recompute(em)).get(opened.id));
    });
  });

  it('keeps an event pending while a read model cannot take it, and applies it on the next round', async () => {
    const opened = await openCase('choju-counselor', ['care']);
    await settle(t);
    await t.sql('alter table case_activity rename to case_activity_away');
    try {
      expect((await api.as('choju-counselor').post(`/api/v1/cases/${opened.id}/notes`, { body: '電話した。' })).status).toBe(201);
      await t.app.get(OutboxRelay).relayOnce();
      await t.app.get(Projector).idle();
    } finally {
      await t.sql('alter table case_activity_away rename to case_activity');
    }
    const [note] = await t.sql<{ id: string; published_at: Date | null }>(`select id, published_at from domain_events where case_id = $1 and type = 'CaseNoteAdded'`, [opened.id]);
    expect(note.published_at).toBeNull();
    await settle(t);
    const [after] = await t.sql<{ published_at: Date | null }>(`select published_at from domain_events where id = $1`, [note.id]);
    expect(after.published_at).not.toBeNull();
    const [activity] = await t.sql<{ last_event_id: string }>(`select last_event_id from case_activity where case_id = $1`, [opened.id]);
    expect(activity.last_event_id).toBe(note.id);
  });
});
