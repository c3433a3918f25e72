import { CandidateWatcher } from '../../src/modules/coordination/criteria/candidate-watcher';
import { todayInJapan } from '../../src/platform/calendar/today';
import { OutboxRelay } from '../../src/platform/events/outbox-relay';
import { accountId, departmentId } from '../../seeds/demo-data';
import type { CoordinationAction } from '../../src/modules/coordination/domain/coordination.schemas';
import type { components, paths } from '../generated/api';
import { ApiClient } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';

const dept = (code: string) => departmentId('tsunagi-city', code);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The 8050 case goes to 多機関協働: flagged by the criteria, taken up, 支援会議 without consent,
 * then consent, 支援プラン, 重層的支援会議 (支援決定), tasks, monitoring, re-plan, evaluation, 終結.
 */
describe('多機関協働: the 8050 case from candidate to 終結', () => {
  let t: TestApp;
  let api: ApiClient;
  let caseId: string;
  let son: string;
  let coordinationId: string;
  let version: number;
  let shienKaigi: string;
  let jusoKaigi: string;

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t);
  });
  afterAll(() => t.close());

  const settle = async () => {
    await t.app.get(OutboxRelay).relayOnce();
    await t.app.get(CandidateWatcher).idle();
  };
  const coordinator = () => api.as('kyosei-coordinator');
  const typed = (login = 'kyosei-coordinator') => api.typed(login);
  type PlanBody = Omit<NonNullable<paths['/api/v1/coordination/cases/{id}/plan']['put']['requestBody']>['content']['application/json'], 'version'>;
  const savePlan = (plan: PlanBody) => typed().PUT('/api/v1/coordination/cases/{id}/plan', { params: { path: { id: coordinationId } }, body: { version, ...plan } });
  const act = async (action: CoordinationAction, body: { reason?: string; meetingId?: string } = {}) => {
    const res = await typed().POST('/api/v1/coordination/cases/{id}/actions/{action}', { params: { path: { id: coordinationId, action } }, body: { version, ...body } });
    if (res.data) version = res.data.version;
    return { status: res.response.status, body: (res.data ?? res.error) as Record<string, unknown> & Partial<components['schemas']['CoordinationSummary']> };
  };

  it('flags the case as a candidate and says which rules matched', async () => {
    const opened = await api.as('choju-counselor').post('/api/v1/cases', {
      title: '8050 世帯',
      issues: ['care', 'hikikomori', 'poverty', '8050'],
      summary: '母80歳・要介護2、長男50歳・長期ひきこもり',
      persons: [
        { relation: '本人（母）', familyName: '山田', givenName: 'ハナ', birthDate: '1946-04-01' },
        { relation: '長男', familyName: '山田', givenName: '一郎', birthDate: '1976-06-10' },
      ],
    });
    caseId = opened.body.id;
    son = opened.body.persons[1].personId;
    const referral = await api.as('choju-counselor').post(`/api/v1/cases/${caseId}/referrals`, {
      toDepartmentId: dept('kenko'),
      purpose: '訪問のお願い',
      legalBasis: 'APPI_INTERNAL',
      legalBasisReason: '健康状態の確認が急がれるため',
      share: { case: ['issues'] },
    });
    await api.as('kenko-counselor').post(`/api/v1/referrals/${referral.body.id}/actions/decline`, { version: 1, reason: '所管外。多機関協働が適当' });
    await settle();

    const detail = await api.as('choju-counselor').get(`/api/v1/cases/${caseId}`);
    expect(detail.body.coordination.status).toBe('candidate');
    expect(detail.body.coordination.evaluation).toMatchObject({ ruleSetVersion: 0, candidate: true, urgent: false });
    expect(detail.body.coordination.evaluation.matched.map((m: { code: string }) => m.code)).toEqual(['multi_sector', 'pattern_8050', 'pattern_hikikomori']);

    const queue = await typed().GET('/api/v1/coordination/queue');
    const candidate = queue.data!.candidates.items.find((c) => c.caseId === caseId);
    expect(candidate!.matched.map((m) => m.because.ja).join(' ')).toContain('8050');
  });

  it('the coordinator takes it up; the son refuses consent, so it goes down the 支援会議 track', async () => {
    const taken = await typed().POST('/api/v1/coordination/cases', { body: { caseId, reason: '3分野にまたがり、つなぎが辞退されたため' } });
    expect(taken.response.status).toBe(201);
    expect(taken.data!.state).toBe('screening');
    coordinationId = taken.data!.id;
    version = taken.data!.version;
    expect((await act('start-consent-track')).status).toBe(422);
    const track = await act('start-shien-kaigi-track');
    expect(track.status).toBe(200);
    expect(track.body.state).toBe('shien_kaigi');
  });

  it('convenes a 支援会議: members bound by 守秘義務 see what was shared, for a limited time, and nothing else', async () => {
    const meeting = await typed().POST('/api/v1/meetings', { body: { kind: 'shien_kaigi', title: '第1回 支援会議', heldOn: todayInJapan(), accessDays: 30 } });
    expect(meeting.response.status).toBe(201);
    shienKaigi = meeting.data!.id;

    const before = await t.sql(`select count(*)::int n from meeting_members`);
    const unacknowledged = await coordinator().post(`/api/v1/meetings/${shienKaigi}/members`, { staffId: accountId('fukushi-counselor') });
    expect(unacknowledged.status).toBe(422);
    expect(await t.sql(`select count(*)::int n from meeting_members`)).toEqual(before);
    for (const login of ['choju-counselor', 'fukushi-counselor', 'kenko-counselor']) {
      const added = await coordinator().post(`/api/v1/meetings/${shienKaigi}/members`, { staffId: accountId(login), confidentialityAcknowledged: true });
      expect(added.status).toBe(201);
    }
    await coordinator().post(`/api/v1/meetings/${shienKaigi}/members`, { externalName: '民生 委員A', externalOrganization: '民生委員児童委員協議会', confidentialityAcknowledged: true });

    const shared = await coordinator().post(`/api/v1/meetings/${shienKaigi}/cases`, {
      coordinationCaseId: coordinationId,
      share: { case: ['issues', 'summary'], persons: [{ personId: son, fields: ['name', 'birthDate'] }] },
    });
    expect(shared.status).toBe(201);
    expect(shared.body.legalBasis).toBe('SWA_SHIEN_KAIGI');
    await coordinator().post(`/api/v1/meetings/${shienKaigi}/decisions`, { text: '健康推進課の保健師が月1回訪問する（アウトリーチ）', caseId, assigneeDepartmentId: dept('kenko') });
    await coordinator().post(`/api/v1/meetings/${shienKaigi}/decisions`, { text: '福祉課が家計を見守る', caseId, assigneeDepartmentId: dept('fukushi') });

    const asMember = await typed('kenko-counselor').GET('/api/v1/meetings/{id}/cases/{caseId}', { params: { path: { id: shienKaigi, caseId } } });
    expect(asMember.response.status).toBe(200);
    expect(asMember.data).toMatchObject({ legalBasis: 'SWA_SHIEN_KAIGI', case: { issues: ['care', 'hikikomori', 'poverty', '8050'] } });
    expect(asMember.data!.persons).toEqual([{ personId: son, relation: '長男', contactWithheld: false, withheldFields: [], name: { family: '山田', given: '一郎' }, birthDate: '1976-06-10' }]);
    expect((await api.as('kenko-counselor').get(`/api/v1/cases/${caseId}`)).status).toBe(404);
    const minutesView = await typed('fukushi-counselor').GET('/api/v1/meetings/{id}', { params: { path: { id: shienKaigi } } });
    expect(minutesView.data!.decisions).toHaveLength(2);

    expect((await api.as('kodomo-katei-counselor').get(`/api/v1/meetings/${shienKaigi}/cases/${caseId}`)).status).toBe(404);
    expect((await api.as('kodomo-katei-counselor').get(`/api/v1/meetings/${shienKaigi}`)).status).toBe(404);
    const reads = await t.sql(`select actor_id, person_id, legal_basis from audit_log where action = 'meeting.read'`);
    expect(reads).toEqual([{ actor_id: accountId('kenko-counselor'), person_id: son, legal_basis: 'SWA_SHIEN_KAIGI' }]);
  });

  it('refuses a 重層的支援会議 for a case without consent', async () => {
    const meeting = await coordinator().post('/api/v1/meetings', { kind: 'juso_kaigi', title: '重層的支援会議', heldOn: todayInJapan() });
    jusoKaigi = meeting.body.id;
    await coordinator().post(`/api/v1/meetings/${jusoKaigi}/members`, { staffId: accountId('fukushi-counselor') });
    const refused = await coordinator().post(`/api/v1/meetings/${jusoKaigi}/cases`, { coordinationCaseId: coordinationId, share: { case: ['issues'] } });
    expect(refused.status).toBe(422);
    expect(refused.body.guards).toEqual(['hasConsent']);
    expect(await t.sql(`select count(*)::int n from meeting_cases where meeting_id = $1`, [jusoKaigi])).toEqual([{ n: 0 }]);
  });

  it('two months later the son consents: a 支援プラン is drafted, approved by the 重層的支援会議, and worked', async () => {
    const consent = await api.as('choju-counselor').post(`/api/v1/cases/${caseId}/consents`, {
      personId: son,
      scope: ['basic', 'case'],
      recipientDepartmentIds: [dept('chiiki-kyosei'), dept('fukushi'), dept('kenko')],
      givenOn: todayInJapan(),
      method: 'written',
    });
    expect(consent.status).toBe(201);
    expect((await act('consent-obtained')).body.state).toBe('assessment');
    expect((await act('draft-plan')).body.state).toBe('planning');

    const empty = await coordinator().post(`/api/v1/coordination/cases/${coordinationId}/actions/submit-plan`, { version });
    expect(empty.status).toBe(422);
    expect(empty.body.guards).toEqual(['planHasTasks']);

    const saved = await savePlan({
        goals: [
          { id: 'g1', text: '母の介護負担を軽くする' },
          { id: 'g2', text: '長男が月1回外出する' },
        ],
        tasks: [
          { goalId: 'g1', departmentId: dept('choju'), title: 'ケアプランの見直し', dueOn: inDays(30) },
          { goalId: 'g1', departmentId: dept('fukushi'), title: '家計改善支援', dueOn: inDays(30) },
          { goalId: 'g2', departmentId: dept('kenko'), title: '保健師の訪問', dueOn: inDays(14) },
          { goalId: 'g2', departmentId: dept('tatsuse'), title: '地域共生ステーションへつなぐ', kind: 'participation', resource: '地域共生ステーションのサロン', dueOn: inDays(60) },
        ],
      });
    expect(saved.response.status).toBe(200);
    expect(saved.data!.planVersion).toBe(1);
    version = saved.data!.version;
    expect((await act('submit-plan')).body.state).toBe('awaiting_approval');

    const unapproved = await act('approve-plan');
    expect(unapproved.status).toBe(422);
    expect(unapproved.body.guards).toEqual(['approvedAtJusoMeeting']);
    const shared = await coordinator().post(`/api/v1/meetings/${jusoKaigi}/cases`, { coordinationCaseId: coordinationId, share: { case: ['issues'], persons: [{ personId: son, fields: ['name'] }] } });
    expect(shared.body.legalBasis).toBe('SWA_JUSO_KAIGI');
    const approved = await act('approve-plan', { meetingId: jusoKaigi });
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('support');

    const fukushiTasks = (await typed('fukushi-counselor').GET('/api/v1/coordination/tasks')).data!;
    expect(fukushiTasks.items.map((task) => task.title)).toEqual(['家計改善支援']);
    const reported = await typed('fukushi-counselor').POST('/api/v1/coordination/tasks/{id}/actions/report', {
      params: { path: { id: fukushiTasks.items[0].id } },
      body: { version: 1, report: '家計改善支援の利用を開始した', done: true },
    });
    expect(reported.data).toMatchObject({ status: 'done', version: 2 });
    // A done task takes no second report: the problem's `status` stays the HTTP status, the task's state is `state`.
    const again = await api.as('fukushi-counselor').post(`/api/v1/coordination/tasks/${fukushiTasks.items[0].id}/actions/report`, { version: 2, report: '再報告' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: 409, code: 'transition_not_allowed', state: 'done' });
    const notTheirs = await api.as('fukushi-counselor').post(`/api/v1/coordination/tasks/${(await taskOf('kenko')).id}/actions/report`, { version: 1, report: 'x' });
    expect(notTheirs.status).toBe(403);
  });

  const taskOf = async (code: string) => {
    const detail = await typed().GET('/api/v1/coordination/cases/{id}', { params: { path: { id: coordinationId } } });
    return detail.data!.tasks.find((task) => task.departmentId === dept(code) && task.status === 'open')!;
  };

  it('a monitoring review re-plans one goal; evaluation records attainment; the case closes only with no open task', async () => {
    expect((await act('start-monitoring')).body.state).toBe('monitoring');
    const review = await coordinator().post(`/api/v1/coordination/cases/${coordinationId}/reviews`, { heldOn: todayInJapan(), notes: '長男は訪問を拒否。外出の目標を見直す', replanGoalIds: ['g2'] });
    expect(review.status).toBe(201);
    expect((await act('replan', { reason: '長男が訪問を拒否したため目標2を見直す' })).body.state).toBe('replanning');
    const v2 = await savePlan({
        goals: [
          { id: 'g1', text: '母の介護負担を軽くする' },
          { id: 'g2', text: '長男が手紙やオンラインで地域とつながる' },
        ],
        tasks: [
          { goalId: 'g1', departmentId: dept('choju'), title: 'ケアプランの見直し', dueOn: inDays(30) },
          { goalId: 'g2', departmentId: dept('tatsuse'), title: 'オンラインの居場所につなぐ', kind: 'participation', resource: 'オンラインサロン', dueOn: inDays(30) },
        ],
      });
    expect(v2.data!.planVersion).toBe(2);
    version = v2.data!.version;
    expect((await act('resume-monitoring')).body.state).toBe('monitoring');
    expect((await act('evaluate')).body.state).toBe('evaluation');

    const early = await act('close', { reason: '目標を達成' });
    expect(early.status).toBe(422);
    expect(early.body.guards).toEqual(['noOpenTasks']);

    for (const code of ['choju', 'tatsuse']) {
      const task = await taskOf(code);
      const reporter = code === 'choju' ? 'choju-counselor' : 'kyosei-coordinator';
      if (code === 'choju') {
        expect((await api.as(reporter).post(`/api/v1/coordination/tasks/${task.id}/actions/report`, { version: task.version, report: '完了', done: true })).status).toBe(200);
      } else {
        await t.sql(`update plan_tasks set status = 'done', report = 'オンラインサロンに週1回参加' where id = $1`, [task.id]);
      }
    }
    const evaluation = await coordinator().post(`/api/v1/coordination/cases/${coordinationId}/evaluations`, {
      meetingId: jusoKaigi,
      results: [
        { goalId: 'g1', attainment: 'achieved' },
        { goalId: 'g2', attainment: 'partly', note: '週1回オンラインで参加' },
      ],
    });
    expect(evaluation.status).toBe(201);
    const closed = await act('close', { reason: '目標をおおむね達成し、各課の通常支援へ移行' });
    expect(closed.status).toBe(200);
    expect(closed.body.state).toBe('closed');

    const detail = (await typed().GET('/api/v1/coordination/cases/{id}', { params: { path: { id: coordinationId } } })).data!;
    expect(detail.planVersions!.map((p) => `${p.version}:${p.state}`)).toEqual(['1:superseded', '2:draft']);
    expect(detail.tasks.filter((task) => task.kind === 'participation')).toHaveLength(2);
  });

  it('the manager of 地域共生推進課 sees all of it on the case timeline', async () => {
    const timeline = await api.as('kyosei-manager').get(`/api/v1/cases/${caseId}/timeline?limit=200`);
    expect(timeline.status).toBe(200);
    const types = timeline.body.items.map((e: { type: string }) => e.type);
    for (const type of ['CaseFlaggedForCoordination', 'CoordinationOpened', 'CoordinationShienKaigiTrackStarted', 'CaseSharedWithMeeting', 'CoordinationConsentObtained', 'SupportPlanDrafted', 'SupportPlanApproved', 'PlanTaskCompleted', 'MonitoringReviewRecorded', 'CoordinationReplanningStarted', 'GoalsEvaluated', 'CoordinationClosed']) {
      expect(types).toContain(type);
    }
  });

  it('ends members’ access when it lapses: 404 and a denied audit row', async () => {
    await t.sql(`update meetings set held_on = '2000-01-01', access_until = '2000-01-31' where id = $1`, [shienKaigi]);
    const lapsed = await api.as('kenko-counselor').get(`/api/v1/meetings/${shienKaigi}/cases/${caseId}`);
    expect(lapsed.status).toBe(404);
    const [denial] = await t.sql(`select outcome, subject_id from audit_log where request_id = $1`, [lapsed.body.requestId]);
    expect(denial).toEqual({ outcome: 'denied', subject_id: shienKaigi });
  });

  it('records every share with its legal basis', async () => {
    const shares = await t.sql(`select legal_basis, person_id from audit_log where action = 'meeting.share' order by id`);
    expect(shares).toEqual([
      { legal_basis: 'SWA_SHIEN_KAIGI', person_id: son },
      { legal_basis: 'SWA_JUSO_KAIGI', person_id: son },
    ]);
    const receipts = await t.sql(`select recipient_type, legal_basis, fields from disclosures where recipient_type = 'Meeting' and person_id = $1 order by created_at`, [son]);
    expect(receipts).toEqual([
      { recipient_type: 'Meeting', legal_basis: 'SWA_SHIEN_KAIGI', fields: ['name', 'birthDate'] },
      { recipient_type: 'Meeting', legal_basis: 'SWA_JUSO_KAIGI', fields: ['name'] },
    ]);
  });
});

describe('多機関協働: criteria as data', () => {
  let t: TestApp;
  let api: ApiClient;
  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t);
  });
  afterAll(() => t.close());

  it('sends an urgent case (自殺リスク) to the coordinator at once as a pending escalation', async () => {
    const urgent = await api.as('kenko-counselor').post('/api/v1/cases', { title: '希死念慮の訴え', issues: ['suicide_risk'], persons: [{ relation: '本人', familyName: '急', givenName: '務' }] });
    await t.app.get(OutboxRelay).relayOnce();
    await t.app.get(CandidateWatcher).idle();
    const queue = await api.typed('kyosei-coordinator').GET('/api/v1/coordination/queue');
    expect(queue.data!.escalations.items.find((e) => e.caseId === urgent.body.id)).toMatchObject({ source: 'criteria', state: 'pending' });
  });
  it('lets an administrator change the criteria without a deploy; evaluations name the version that decided', async () => {
    const rules = {
      rules: [
        { code: 'stalled', kind: 'no_progress_days', days: 10, label: { ja: '10日以上進展なし', en: 'no progress for 10 days' } },
        { code: 'pattern_hoarding', kind: 'any_issue', issues: ['hoarding'], label: { ja: 'ごみ屋敷', en: 'hoarding' } },
      ],
    };
    expect((await t.http().put('/api/v1/coordination/criteria').set('Authorization', `Bearer ${await t.token('choju-counselor')}`).send(rules)).status).toBe(403);
    const saved = await t.http().put('/api/v1/coordination/criteria').set('Authorization', `Bearer ${await t.token('admin')}`).send(rules);
    expect(saved.body).toEqual({ version: 1 });
    const bad = await t.http().put('/api/v1/coordination/criteria').set('Authorization', `Bearer ${await t.token('admin')}`).send({ rules: [{ code: 'x', kind: 'sectors_at_least', min: 1, label: { ja: 'x', en: 'x' } }] });
    expect(bad.status).toBe(400);

    const quiet = await api.as('choju-counselor').post('/api/v1/cases', { title: '静かなケース', issues: ['care'], persons: [{ relation: '本人', familyName: '静', givenName: '香' }] });
    await t.app.get(OutboxRelay).relayOnce();
    await t.app.get(CandidateWatcher).idle();
    expect((await t.sql(`select coordination_status from cases where id = $1`, [quiet.body.id]))[0]).toEqual({ coordination_status: 'none' });

    await t.sql(`update domain_events set occurred_at = now() - interval '12 days' where case_id = $1`, [quiet.body.id]);
    await t.sql(`update cases set updated_at = now() - interval '12 days' where id = $1`, [quiet.body.id]);
    expect(await t.app.get(CandidateWatcher).sweepQuietCases()).toBeGreaterThanOrEqual(1);
    const [latest] = await t.sql(`select rule_set_version, candidate, matched->0->'because'->>'ja' as because from escalation_evaluations where case_id = $1 order by id desc limit 1`, [quiet.body.id]);
    expect(latest).toEqual({ rule_set_version: 1, candidate: true, because: '最後の記録から12日' });
    const detail = await api.as('choju-counselor').get(`/api/v1/cases/${quiet.body.id}`);
    expect(detail.body.coordination).toMatchObject({ status: 'candidate', evaluation: { ruleSetVersion: 1 } });
  });

  it('answers the criteria as {version, rules}, and re-evaluates open cases under a new version', async () => {
    const before = await api.typed('admin').GET('/api/v1/coordination/criteria');
    expect(before.response.status).toBe(200);
    expect(Object.keys(before.data!).sort()).toEqual(['rules', 'version']);
    expect(before.data!.version).toBe(1);
    expect(before.data!.rules.map((r) => r.code)).toEqual(['stalled', 'pattern_hoarding']);

    const housing = await api.as('choju-counselor').post('/api/v1/cases', { title: '住まいの相談', issues: ['housing'], persons: [{ relation: '本人', familyName: '住', givenName: '居' }] });
    const closed = await api.as('choju-counselor').post('/api/v1/cases', { title: '終わった相談', issues: ['housing'], persons: [{ relation: '本人', familyName: '終', givenName: '了' }] });
    await t.sql(`update cases set state = 'closed' where id = $1`, [closed.body.id]);
    await t.app.get(OutboxRelay).relayOnce();
    await t.app.get(CandidateWatcher).idle();
    const evaluationsOf = (id: string) => t.sql(`select rule_set_version, candidate from escalation_evaluations where case_id = $1 order by id`, [id]);
    const closedBefore = (await evaluationsOf(closed.body.id)).length;
    expect((await t.sql(`select coordination_status from cases where id = $1`, [housing.body.id]))[0]).toEqual({ coordination_status: 'none' });

    // The body a GET answers goes back unchanged with one rule more: no `rules.rules` to unwrap.
    const rules = [...before.data!.rules, { code: 'housing_loss', kind: 'any_issue' as const, issues: ['housing' as const], label: { ja: '住まいの喪失', en: 'Housing loss' } }];
    expect((await api.typed('admin').PUT('/api/v1/coordination/criteria', { body: { rules } })).data).toEqual({ version: 2 });
    await t.app.get(OutboxRelay).relayOnce();
    await t.app.get(CandidateWatcher).idle();

    expect((await evaluationsOf(housing.body.id)).at(-1)).toEqual({ rule_set_version: 2, candidate: true });
    expect((await t.sql(`select coordination_status from cases where id = $1`, [housing.body.id]))[0]).toEqual({ coordination_status: 'candidate' });
    expect(await evaluationsOf(closed.body.id)).toHaveLength(closedBefore);
    expect((await api.typed('admin').GET('/api/v1/coordination/criteria')).data).toEqual({ version: 2, rules });
  });


});
