import { EventBus } from '@nestjs/cqrs';
import { addBusinessDays } from '../../src/platform/calendar/business-days';
import { todayInJapan } from '../../src/platform/calendar/today';
import { OutboxRelay, type PublishedEvent } from '../../src/platform/events/outbox-relay';
import { SweepReferralDeadlinesCommand } from '../../src/modules/referrals/commands/sweep-referral-deadlines/sweep-referral-deadlines.command';
import { CommandBus } from '@nestjs/cqrs';
import { accountId, departmentId } from '../../seeds/demo-data';
import { PAGE_LIMIT } from '../../src/platform/http/api-contract/paging';
import type { paths } from '../generated/api';
import { Fixtures } from '../support/fixtures';
import { expectStablePaging } from '../support/paging';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

const dept = (code: string) => departmentId('tsunagi-city', code);

describe('case and referral workflow', () => {
  let t: TestApp;
  let fixtures: Fixtures;
  let counselor: string;

  beforeAll(async () => {
    t = await startTestApp();
    fixtures = new Fixtures(t);
    counselor = await t.token('choju-counselor');
  });
  afterAll(() => t.close());

  const post = (path: string, body: object, token = counselor, headers: Record<string, string> = {}) => t.http().post(path).set(bearer(token)).set(headers).send(body);
  const counts = async () =>
    (await t.sql(`select (select count(*) from referrals) referrals, (select count(*) from domain_events) events, (select count(*) from audit_log where outcome = 'allowed') done, (select count(*) from cases) cases`))[0];

  it('lets exactly one of fifty concurrent actions on one version win; the history has no gaps or duplicates', async () => {
    const opened = await fixtures.openCase('choju-counselor');
    const act = () => t.api('choju-counselor').POST('/api/v1/cases/{id}/actions/{action}', { params: { path: { id: opened.id, action: 'start-assessment' } }, body: { version: 1 } });
    const results = await Promise.all(Array.from({ length: 50 }, act));
    const statuses = results.map((r) => r.response.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    for (const stale of results.filter((r) => r.response.status === 409)) expect(stale.error).toMatchObject({ code: 'version_conflict', currentVersion: 2 });
    const versions = await t.sql<{ aggregate_version: number }>(`select aggregate_version from domain_events where aggregate_id = $1 order by aggregate_version`, [opened.id]);
    expect(versions.map((v) => v.aggregate_version)).toEqual([1, 2]);
    const [row] = await t.sql(`select state, version from cases where id = $1`, [opened.id]);
    expect(row).toEqual({ state: 'assessment', version: 2 });
  });

  it('answers a stale version with 409 naming the current one, and accepts If-Match', async () => {
    const opened = await fixtures.openCase('choju-counselor');
    await post(`/api/v1/cases/${opened.id}/actions/start-assessment`, { version: 1 }).expect(200);
    const stale = await post(`/api/v1/cases/${opened.id}/actions/start-support`, { version: 1 }).set('Accept-Language', 'en').expect(409);
    expect(stale.body).toMatchObject({ code: 'version_conflict', currentVersion: 2, detail: expect.stringContaining('current version: 2') });
    const viaHeader = await t
      .api('choju-counselor')
      .POST('/api/v1/cases/{id}/actions/{action}', { params: { path: { id: opened.id, action: 'start-support' }, header: { 'If-Match': '"2"' } }, body: {} });
    expect(viaHeader.response.status).toBe(200);
    expect(viaHeader.data).toMatchObject({ state: 'support', version: 3, allowedActions: expect.arrayContaining(['start-monitoring', 'close', 'suspend']) });
  });

  it('writes a move with its reason, its event and its audit row together; reopening clears the reason', async () => {
    const opened = await fixtures.openCase('choju-counselor');
    await post(`/api/v1/cases/${opened.id}/actions/start-assessment`, { version: 1 }).expect(200);
    const suspended = await post(`/api/v1/cases/${opened.id}/actions/suspend`, { version: 2, reason: '転居' }).expect(200);
    expect(suspended.body).toMatchObject({ state: 'suspended', version: 3 });
    expect(await t.sql(`select state, suspension_reason, closure_reason, version from cases where id = $1`, [opened.id])).toEqual([{ state: 'suspended', suspension_reason: '転居', closure_reason: null, version: 3 }]);
    await post(`/api/v1/cases/${opened.id}/actions/reopen`, { version: 3, reason: '戻った' }).expect(200);
    expect(await t.sql(`select state, suspension_reason, closure_reason, version from cases where id = $1`, [opened.id])).toEqual([{ state: 'assessment', suspension_reason: null, closure_reason: null, version: 4 }]);
    const events = await t.sql(`select aggregate_version, type, payload from domain_events where aggregate_id = $1 and aggregate_version > 2 order by aggregate_version`, [opened.id]);
    expect(events).toEqual([
      { aggregate_version: 3, type: expect.any(String), payload: { from: 'assessment', to: 'suspended', reason: '転居' } },
      { aggregate_version: 4, type: expect.any(String), payload: { from: 'suspended', to: 'assessment', reason: '戻った' } },
    ]);
    const audited = await t.sql(`select action, outcome, detail from audit_log where subject_id = $1 and action in ('case.suspend', 'case.reopen') order by id`, [opened.id]);
    expect(audited).toEqual([
      { action: 'case.suspend', outcome: 'allowed', detail: { from: 'assessment', to: 'suspended', version: 3 } },
      { action: 'case.reopen', outcome: 'allowed', detail: { from: 'suspended', to: 'assessment', version: 4 } },
    ]);
  });

  it('returns the first result to a retry with the same Idempotency-Key and writes nothing twice', async () => {
    const body = { title: '冪等性', issues: ['care'], persons: [{ relation: '本人', familyName: '再', givenName: '送' }] };
    const before = await counts();
    const [first, second] = await Promise.all([
      post('/api/v1/cases', body, counselor, { 'Idempotency-Key': 'open-1' }),
      post('/api/v1/cases', body, counselor, { 'Idempotency-Key': 'open-1' }),
    ]);
    const statuses = [first.status, second.status].sort();
    // A concurrent duplicate is told to wait (409); a later retry gets the stored answer.
    expect(statuses[0]).toBe(201);
    const retry = await post('/api/v1/cases', body, counselor, { 'Idempotency-Key': 'open-1' }).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.id).toBe((first.status === 201 ? first : second).body.id);
    expect(Number((await counts()).cases)).toBe(Number(before.cases) + 1);
    const reused = await post('/api/v1/cases', { ...body, title: '別の内容' }, counselor, { 'Idempotency-Key': 'open-1' }).expect(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  describe('the caseload and the timeline, paged', () => {
    const cases = (query: NonNullable<paths['/api/v1/cases']['get']['parameters']['query']>) => t.api('choju-counselor').GET('/api/v1/cases', { params: { query } });
    const timeline = (id: string, query: { limit?: number; cursor?: string } = {}) =>
      t.api('choju-counselor').GET('/api/v1/cases/{id}/timeline', { params: { path: { id }, query } });

    it('walks the caseload once while cases are opened between the pages', async () => {
      const since = new Date().toISOString();
      const open = async () => (await fixtures.openCase('choju-counselor')).id;
      for (let i = 0; i < 5; i++) await open();
      await expectStablePaging({ page: async (cursor) => (await cases({ updatedSince: since, limit: 2, cursor })).data, insert: open, limit: 2 });
    });

    it('filters by state, issue tag, lead department, assignee and updated since, and answers at most the limit', async () => {
      const since = new Date().toISOString();
      const mine = await fixtures.openCase('choju-counselor', { issues: ['dementia', 'care'] });
      await post(`/api/v1/cases/${mine.id}/actions/start-assessment`, { version: 1 }).expect(200);
      const ids = async (query: Parameters<typeof cases>[0]) => (await cases({ updatedSince: since, ...query })).data!.items.map((c) => c.id);
      expect(await ids({})).toEqual([mine.id]);
      expect(await ids({ state: 'assessment', issue: 'dementia', departmentId: dept('choju'), assigneeId: accountId('choju-counselor') })).toEqual([mine.id]);
      expect(await ids({ state: 'intake' })).toEqual([]);
      expect(await ids({ issue: 'dv' })).toEqual([]);
      expect(await ids({ departmentId: dept('kenko') })).toEqual([]);
      expect(await ids({ assigneeId: accountId('choju-manager') })).toEqual([]);
      expect(await ids({ updatedSince: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
      const all = await cases({});
      expect(all.data!.items.length).toBeLessThanOrEqual(PAGE_LIMIT.default);
      expect(all.data!.items.find((c) => c.id === mine.id)).toMatchObject({ state: 'assessment', issues: ['dementia', 'care'], leadDepartmentId: dept('choju'), assigneeId: accountId('choju-counselor') });
      expect((await cases({ limit: PAGE_LIMIT.max + 1 })).response.status).toBe(400);
      expect((await cases({ cursor: Buffer.from(JSON.stringify({ l: 'cases', k: ['x', 'y'] })).toString('base64url') })).error?.errors?.[0]).toMatchObject({ field: 'query.cursor', code: 'invalid_cursor' });
    });

    it('pages the timeline in the order things happened, a step recorded meanwhile coming last', async () => {
      const opened = await fixtures.openCase('choju-counselor');
      // A note's step is identified by the event's id (the note's own id is not on the timeline).
      const note = async () => {
        await t.api('choju-counselor').POST('/api/v1/cases/{id}/notes', { params: { path: { id: opened.id } }, body: { body: '訪問した' } });
        const [{ id }] = await t.sql<{ id: string }>(`select max(id)::text id from domain_events where case_id = $1`, [opened.id]);
        return id;
      };
      for (let i = 0; i < 5; i++) await note();
      await expectStablePaging({ page: async (cursor) => (await timeline(opened.id, { limit: 2, cursor })).data, key: (e) => String(e.id), insert: note, limit: 2 });
      const steps = (await timeline(opened.id, { limit: 200 })).data!.items;
      expect(steps[0].text.ja).toMatch(/^ケース .* を受付/);
      expect(steps.map((s) => s.type).filter((type) => type === 'CaseNoteAdded')).toHaveLength(8);
      expect((await timeline(opened.id, { cursor: Buffer.from(JSON.stringify({ l: 'case-timeline', k: ['x'] })).toString('base64url') })).response.status).toBe(400);
    });
  });

  describe('refuses bad input with 4xx, writes nothing and audits nothing as done', () => {
    let caseId: string;
    let personId: string;
    beforeAll(async () => {
      const opened = await fixtures.openCase('choju-counselor');
      caseId = opened.id;
      personId = opened.persons[0].personId;
    });
    const refer = (over: object) =>
      post(`/api/v1/cases/${caseId}/referrals`, { toDepartmentId: dept('kenko'), purpose: '確認', legalBasis: 'APPI_INTERNAL', legalBasisReason: '庁内の支援調整', share: { case: ['issues'] }, ...over });

    it.each([
      ['an unknown action', () => post(`/api/v1/cases/${caseId}/actions/teleport`, { version: 1 }), 400, 'validation_failed'],
      ['an action not allowed in this state', () => post(`/api/v1/cases/${caseId}/actions/resume-support`, { version: 1 }), 409, 'transition_not_allowed'],
      ['a missing reason', () => post(`/api/v1/cases/${caseId}/actions/suspend`, { version: 1 }), 422, 'guard_failed'],
      ['a referral to the own department', () => refer({ toDepartmentId: dept('choju') }), 400, 'validation_failed'],
      ['a referral to an unknown department', () => refer({ toDepartmentId: departmentId('tonari-town', 'fukushi') }), 400, 'validation_failed'],
      ['sharing a person not in the case', () => refer({ share: { persons: [{ personId: accountId('admin'), fields: ['name'] }] } }), 400, 'validation_failed'],
      ['sharing a field that does not exist', () => refer({ share: { persons: [{ personId, fields: ['bankAccount'] }] } }), 400, 'validation_failed'],
      ['a deadline in the past', () => refer({ dueOn: '2020-01-06' }), 400, 'validation_failed'],
      ['no reason for sharing without consent', () => refer({ legalBasisReason: undefined }), 400, 'validation_failed'],
      ['consent claimed where none was given', () => refer({ legalBasis: 'CONSENT', legalBasisReason: undefined }), 422, 'guard_failed'],
    ])('%s', async (_name, call, status, code) => {
      const before = await counts();
      const res = await call();
      expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(await counts()).toEqual(before);
    });

    it('refuses closing while a referral is open, naming the guard', async () => {
      await fixtures.refer('choju-counselor', caseId, 'tsunagi-city', 'fukushi');
      const res = await post(`/api/v1/cases/${caseId}/actions/close`, { version: 1, reason: '終結' }).expect(422);
      expect(res.body).toMatchObject({ code: 'guard_failed', guards: ['noOpenReferrals'] });
    });

    it('holds 本人の利益・特別の理由 (APPI_SPECIAL) from a counselor for the manager’s approval: prepared, nothing disclosed', async () => {
      const res = await refer({ legalBasis: 'APPI_SPECIAL', legalBasisReason: '緊急のため特別の理由で提供する' }).expect(201);
      expect(res.body).toMatchObject({ state: 'awaiting_approval', allowedActions: ['withdraw'] });
      expect(await t.sql(`select count(*)::int n from disclosures where referral_id = $1`, [res.body.id])).toEqual([{ n: 0 }]);
      await post(`/api/v1/referrals/${res.body.id}/actions/withdraw`, { version: 1 }).expect(200);
    });
  });

  it('marks an unanswered referral overdue, then expires it back to the sender, ending the receiver’s access', async () => {
    const opened = await fixtures.openCase('choju-counselor');
    const referral = await fixtures.refer('choju-counselor', opened.id, 'tsunagi-city', 'kenko');
    const [{ due_on, expires_on }] = await t.sql<{ due_on: string; expires_on: string }>(`select to_char(due_on, 'YYYY-MM-DD') due_on, to_char(expires_on, 'YYYY-MM-DD') expires_on from referrals where id = $1`, [referral.id]);
    expect(due_on).toBe(addBusinessDays(todayInJapan(), 5));
    expect(expires_on).toBe(addBusinessDays(due_on, 3));
    const commands = t.app.get(CommandBus);
    const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

    const stateOf = async () => (await t.sql(`select state, overdue_at is not null as overdue from referrals where id = $1`, [referral.id]))[0];
    await commands.execute(new SweepReferralDeadlinesCommand(due_on));
    expect(await stateOf()).toEqual({ state: 'proposed', overdue: false });
    await commands.execute(new SweepReferralDeadlinesCommand(dayAfter(due_on)));
    await commands.execute(new SweepReferralDeadlinesCommand(dayAfter(due_on)));
    expect(await stateOf()).toEqual({ state: 'proposed', overdue: true });
    const incoming = await t.http().get('/api/v1/referrals?box=incoming').set(bearer(await t.token('kenko-counselor'))).expect(200);
    expect(incoming.body.items.find((r: { id: string }) => r.id === referral.id)).toMatchObject({ state: 'proposed', overdue: true });
    const sent = await t.http().get('/api/v1/referrals?box=outgoing').set(bearer(counselor)).expect(200);
    expect(sent.body.items.find((r: { id: string }) => r.id === referral.id)).toMatchObject({ state: 'proposed', overdue: true });
    await commands.execute(new SweepReferralDeadlinesCommand(expires_on));
    expect(await stateOf()).toEqual({ state: 'proposed', overdue: true });
    await commands.execute(new SweepReferralDeadlinesCommand(dayAfter(expires_on)));
    expect(await stateOf()).toEqual({ state: 'expired', overdue: true });

    const kenko = await t.token('kenko-counselor');
    await t.http().get(`/api/v1/referrals/${referral.id}`).set(bearer(kenko)).expect(404);
    const outgoing = await t.http().get('/api/v1/referrals?box=outgoing').set(bearer(counselor)).expect(200);
    expect(outgoing.body.items.find((r: { id: string }) => r.id === referral.id)).toMatchObject({ state: 'expired', needsAttention: true });
    const events = await t.sql(`select type, actor_type from domain_events where aggregate_id = $1 order by aggregate_version`, [referral.id]);
    expect(events).toEqual([
      { type: 'ReferralProposed', actor_type: 'staff' },
      { type: 'ReferralOverdue', actor_type: 'system' },
      { type: 'ReferralExpired', actor_type: 'system' },
    ]);
  });

  it('publishes events only after they are committed, through the outbox', async () => {
    const seen: PublishedEvent[] = [];
    const subscription = t.app.get(EventBus).subscribe((event) => seen.push(event as PublishedEvent));
    const opened = await fixtures.openCase('choju-counselor');
    await t.app.get(OutboxRelay).relayOnce();
    subscription.unsubscribe();
    expect(seen.find((e) => e.aggregateId === opened.id)).toMatchObject({ type: 'CaseOpened', aggregateVersion: 1, caseId: opened.id });
    const [row] = await t.sql(`select published_at is not null as published from domain_events where aggregate_id = $1`, [opened.id]);
    expect(row).toEqual({ published: true });
  });

  it('serves the machines as charts a client can draw', async () => {
    const list = await t.http().get('/api/v1/workflows').set(bearer(counselor)).expect(200);
    expect(list.body).toEqual([
      { name: 'case', id: 'case.v1' },
      { name: 'referral', id: 'referral.v1' },
      { name: 'information-request', id: 'information-request.v1' },
      { name: 'dv-measure', id: 'dv-measure.v1' },
      { name: 'coordination', id: 'coordination.v1' },
      { name: 'register', id: 'register.v1' },
      { name: 'access-grant', id: 'access-grant.v1' },
      { name: 'role-change', id: 'role-change.v1' },
      { name: 'participation-connection', id: 'participation-connection.v1' },
    ]);
    const chart = await t.http().get('/api/v1/workflows/case').set(bearer(counselor)).expect(200);
    const intake = chart.body.states.find((s: { name: string }) => s.name === 'intake');
    expect(intake.label).toEqual({ ja: '受付', en: 'Intake' });
    expect(intake.transitions).toContainEqual({ event: 'CLOSE', target: 'closed', guards: ['hasReason', 'noOpenReferrals'], eventLabel: { ja: '終結', en: 'Close' } });
    expect(chart.body.guards).toContainEqual({ code: 'hasReason', label: { ja: '理由の入力が必要です', en: 'A reason is required' } });
  });

  it('serves every labelled code list, grouped by name', async () => {
    const vocabulary = await t.http().get('/api/v1/vocabulary').set(bearer(counselor)).expect(200);
    expect(vocabulary.body['coordination.state']).toContainEqual({ code: 'replanning', ja: '再プラン', en: 'Replanning' });
    expect(vocabulary.body.sex).toEqual([
      { code: 'female', ja: '女性', en: 'Female' },
      { code: 'male', ja: '男性', en: 'Male' },
      { code: 'other', ja: 'その他', en: 'Other' },
      { code: 'unknown', ja: '不明', en: 'Unknown' },
    ]);
    expect(vocabulary.body.legalBasis).toContainEqual({ code: 'DMA_ROSTER_NORMAL', ja: '平常時名簿提供', en: 'Register provision in normal times' });
  });
});
