import iconv from 'iconv-lite';
import { accountId, departmentId } from '../../seeds/demo-data';
import { todayInJapan } from '../../src/platform/calendar/today';
import { ApiClient } from '../support/api-client';
import { expectStablePaging } from '../support/paging';
import { startTestApp, type TestApp } from '../support/test-app';

const dept = (code: string) => departmentId('tsunagi-city', code);
const COUNSELOR = 'choju-counselor';
const today = () => todayInJapan();
const inDays = (days: number) => new Date(Date.parse(`${todayInJapan()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * 参加支援: the directory of 社会資源 kept by departments, matching with reasons, and connections
 * followed up. The issue's story: a retired resident at the 生涯現役応援窓口 wanting part-time work near
 * 地区B (the demo's 地区A is its neighbour) is connected to an employer, sharing only name and phone with
 * his consent, and his visit counts as a use of the window wishing work; and the 8050 son's
 * 参加支援 task is matched to a 通いの場 in his 地区 and completes when he starts.
 */
describe('participation support (参加支援)', () => {
  let t: TestApp;
  let api: ApiClient;
  const resource = async (body: Record<string, unknown>) => {
    const res = await api.as(COUNSELOR).post('/api/v1/participation/resources', { ownerDepartmentId: dept('choju'), districtCode: 'B', ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number; name: string };
  };
  const counts = async () =>
    (
      await t.sql<Record<string, string>>(
        `select (select count(*) from participation_resources) as resources, (select count(*) from participation_connections) as connections,
                (select count(*) from disclosures) as disclosures, (select count(*) from domain_events) as events,
                (select count(*) from person_consents) as consents, (select count(*) from participation_window_visits) as visits`,
      )
    )[0];
  const act = (id: string, action: string, body: Record<string, unknown>) => api.as(COUNSELOR).post(`/api/v1/participation/connections/${id}/actions/${action}`, body);

  let employerA: { id: string; version: number; name: string };
  let employerB: { id: string; version: number; name: string };
  let volunteers: { id: string; version: number; name: string };
  let closed: { id: string; version: number; name: string };

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t);
    employerA = await resource({ name: '本町スーパー（品出し）', kind: 'employer', tags: ['employment', 'part_time', 'older_people'], days: ['mon', 'wed', 'fri'], capacity: 3, freePlaces: 2, conditions: '週3日・1日4時間', contact: '0120-111-222' });
    employerB = await resource({ name: '川辺農園（収穫）', kind: 'farm_welfare', districtCode: 'A', tags: ['employment', 'part_time'], days: ['tue', 'thu'], conditions: '屋外作業' });
    volunteers = await resource({ name: 'シニア見守りボランティア会', kind: 'volunteer_group', tags: ['older_people', 'isolation'], days: ['wed'] });
    closed = await resource({ name: '閉店した工場', kind: 'employer', tags: ['employment', 'part_time'] });
    await resource({ name: '満員の商店', kind: 'employer', tags: ['employment', 'part_time'], capacity: 2, freePlaces: 0 });
    await resource({ name: '地区Cの工房', kind: 'employer', districtCode: 'C', tags: ['employment'] });
    await resource({ name: '地区Bの子育てサロン', kind: 'salon', tags: ['childcare'] });
    expect((await api.as(COUNSELOR).post(`/api/v1/participation/resources/${closed.id}/actions/close`, { version: 1, reason: '事業所の閉鎖' })).status).toBe(200);
  });
  afterAll(() => t.close());

  it('story: the 生涯現役応援窓口 proposes two employers (one in the neighbouring 地区) and a volunteer group, connects him to one sharing only name and phone, records his visit, and the follow-up records the start', async () => {
    const opened = await api.as(COUNSELOR).post('/api/v1/cases', {
      title: '生涯現役応援窓口の相談',
      issues: ['employment'],
      persons: [{ relation: '本人', familyName: '佐藤', givenName: '健一', birthDate: '1958-05-05', address: 'つなぎ市川辺2-2', phone: '090-5555-6666' }],
    });
    expect(opened.status).toBe(201);
    const [caseId, personId] = [opened.body.id, opened.body.persons[0].personId];

    const proposed = await api.as(COUNSELOR).get('/api/v1/participation/proposals?wish=work&districtCode=B&tags=part_time,older_people&days=wed');
    expect(proposed.status).toBe(200);
    const names = proposed.body.items.map((p: { resource: { name: string } }) => p.resource.name);
    expect(names).toEqual([employerA.name, employerB.name, volunteers.name, '地区Cの工房']);
    expect(proposed.body.items[0].reasons.map((r: { ja: string }) => r.ja)).toEqual([
      '希望（仕事）に合う仕事の受け入れ先です',
      'ニーズ（短時間勤務・高齢者）に対応しています',
      '同じ地区（B）にあります',
      '参加できる曜日（水）に開いています',
      '空きがあります（2）',
      '条件: 週3日・1日4時間',
    ]);
    expect(proposed.body.items[2].reasons[0].en).toBe('Serves the needs: Older people');
    // Near 地区B: the farm in 地区A, its neighbour, says so; the workshop in 地区C is proposed last, no 地区 reason.
    expect(proposed.body.wish.neighbourDistrictCodes).toEqual(['A']);
    expect(proposed.body.items[1].reasons.map((r: { ja: string }) => r.ja)).toContain('隣接地区（A）にあります');
    expect(proposed.body.items[1].reasons.map((r: { en: string }) => r.en)).toContain('In a neighbouring 地区 (A)');
    expect(proposed.body.items[3].reasons.map((r: { ja: string }) => r.ja).join()).not.toContain('地区（C）');

    const connect = (body: Record<string, unknown>) =>
      api.as(COUNSELOR).post('/api/v1/participation/connections', { resourceId: employerA.id, personId, caseId, share: ['name', 'phone'], ...body });
    const helper = await api.as(COUNSELOR).post('/api/v1/participation/volunteers', { name: '同行 支援', kind: 'senior', ownerDepartmentId: dept('choju'), districtCodes: ['B'], listingConsent: { givenOn: today(), method: 'written' } });
    expect(helper.status).toBe(201);
    const before = await counts();
    // No consent, consent short of a field, a closed resource, a volunteer not listed: refused, nothing written.
    const unlisted = await connect({ volunteerIds: [closed.id], consent: { givenOn: today(), method: 'written', fields: ['name', 'phone'] } });
    expect(unlisted.status).toBe(422);
    expect(unlisted.body.field ?? unlisted.body.meta?.field).toBe('body.volunteerIds');
    const noConsent = await connect({});
    expect(noConsent.status).toBe(422);
    expect(noConsent.body.field ?? noConsent.body.meta?.field).toBe('body.consent');
    expect((await connect({ consent: { givenOn: today(), method: 'written', fields: ['name'] } })).status).toBe(422);
    const toClosed = await connect({ resourceId: closed.id, consent: { givenOn: today(), method: 'written', fields: ['name', 'phone'] } });
    expect(toClosed.status).toBe(422);
    expect(toClosed.body.detail).toContain('事業所の閉鎖');
    expect(await counts()).toEqual(before);

    const connected = await connect({ volunteerIds: [helper.body.id], consent: { givenOn: today(), method: 'written', fields: ['name', 'phone'] } });
    expect(connected.status).toBe(201);
    expect(connected.body).toMatchObject({ state: 'proposed', wish: 'work', sharedFields: ['name', 'phone'], volunteerIds: [helper.body.id], disclosureId: null, followUpOn: inDays(30), allowedActions: ['introduce', 'end'] });
    // The consent is the person's own, naming this host for the field groups of the fields agreed.
    const [consent] = await t.sql<{ person_id: string; recipients: unknown; field_groups: string[]; context_case_id: string }>(
      `select person_id, recipients, field_groups, context_case_id from person_consents where id = $1`,
      [connected.body.personConsentId],
    );
    expect(consent).toEqual({ person_id: personId, recipients: [{ type: 'participationHost', resourceId: employerA.id }], field_groups: ['basic', 'contact'], context_case_id: caseId });
    // His visit to the window: recorded by the counselor, with what he wished and what came of it.
    const visit = (body: Record<string, unknown>) =>
      api.as(COUNSELOR).post('/api/v1/participation/window-visits', { departmentId: dept('choju'), districtCode: 'B', personId, caseId, wishes: ['work'], outcome: 'connected', ...body });
    const stranger = (await api.as(COUNSELOR).post('/api/v1/cases', { title: '別の相談', issues: ['employment'], persons: [{ relation: '本人', familyName: '別', givenName: '人' }] })).body;
    const visitsBefore = await counts();
    const fieldOf = async (body: Record<string, unknown>, status = 400) => {
      const res = await visit(body);
      expect(res.status).toBe(status);
      return (res.body.errors as { field: string }[]).map((e) => e.field);
    };
    expect(await fieldOf({ caseId: undefined })).toEqual(['body.caseId']);
    expect(await fieldOf({ visitors: 2 })).toEqual(['body.visitors']);
    expect(await fieldOf({ personId: undefined, caseId: undefined, visitors: 0 })).toEqual(['body.visitors']);
    expect(await fieldOf({ wishes: ['work', 'work'] })).toEqual(['body.wishes']);
    expect(await fieldOf({ outcome: 'maybe' })).toEqual(['body.outcome']);
    expect(await fieldOf({ districtCode: 'Z' })).toEqual(['body.districtCode']);
    expect(await fieldOf({ visitedOn: inDays(1) })).toEqual(['body.visitedOn']);
    expect(await fieldOf({ personId: stranger.persons[0].personId })).toEqual(['body.personId']);
    expect((await visit({ departmentId: dept('fukushi') })).status).toBe(403);
    expect((await api.as('fukushi-counselor').post('/api/v1/participation/window-visits', { departmentId: dept('fukushi'), districtCode: 'B', personId, caseId, wishes: ['work'], outcome: 'connected' })).status).toBe(404);
    expect(await counts()).toEqual(visitsBefore);
    const recorded = await visit({ note: '短時間の仕事を希望。本町スーパーを紹介' });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ visitedOn: today(), districtCode: 'B', personId, caseId, visitors: 1, wishes: ['work'], outcome: 'connected' });
    const timeline = (await api.as(COUNSELOR).get(`/api/v1/cases/${caseId}/timeline?limit=200`)).body.items.map((e: { text: { ja: string } }) => e.text.ja);
    expect(timeline).toContain('長寿課の窓口を利用（希望: 仕事、結果: つなぎ先につないだ）');
    // Two anonymous visitors from 地区A who asked about places to go and volunteering, and were only informed: counted too.
    const anonymous = await api.as(COUNSELOR).post('/api/v1/participation/window-visits', { departmentId: dept('choju'), districtCode: 'A', visitors: 2, wishes: ['place', 'volunteering'], outcome: 'information_only' });
    expect(anonymous.body).toMatchObject({ personId: null, caseId: null, visitors: 2 });
    // Reading a visit that names him is audited; another department does not see it at all.
    expect((await api.as(COUNSELOR).get(`/api/v1/participation/window-visits/${recorded.body.id}`)).body.note).toBe('短時間の仕事を希望。本町スーパーを紹介');
    expect((await api.as('fukushi-counselor').get(`/api/v1/participation/window-visits/${recorded.body.id}`)).status).toBe(404);
    const visits = (await api.as('choju-manager').get(`/api/v1/participation/window-visits?from=${today()}`)).body.items.map((v: { id: string }) => v.id);
    expect(visits).toEqual(expect.arrayContaining([recorded.body.id, anonymous.body.id]));
    expect((await api.as('fukushi-counselor').get('/api/v1/participation/window-visits')).body.items).toEqual([]);
    const visitReads = await t.sql<{ actor_id: string; person_id: string; via: string }>(
      `select actor_id, person_id, detail->>'via' as via from audit_log where action = 'participation.window-visit-read' and subject_id in ($1, $2) order by id`,
      [recorded.body.id, anonymous.body.id],
    );
    expect(visitReads).toEqual([
      { actor_id: accountId(COUNSELOR), person_id: personId, via: 'read' },
      { actor_id: accountId('choju-manager'), person_id: personId, via: 'list' },
    ]);

    const introduced = await act(connected.body.id, 'introduce', { version: 1 });
    expect(introduced.status).toBe(200);
    const receipts = await t.sql<{ fields: string[]; recipient_type: string; recipient_id: string; legal_basis: string }>(
      `select fields, recipient_type, recipient_id, legal_basis from disclosures where id = $1`,
      [introduced.body.disclosureId],
    );
    expect(receipts).toEqual([{ fields: ['name', 'phone'], recipient_type: 'ParticipationResource', recipient_id: employerA.id, legal_basis: 'CONSENT' }]);
    const told = await api.as(COUNSELOR).get(`/api/v1/people/${personId}/disclosures`);
    expect(told.body.items).toEqual([expect.objectContaining({ recipientType: 'participationHost', recipientId: employerA.id, recipientName: employerA.name, fields: ['name', 'phone'] })]);

    // The one-month follow-up: he has started; the next follow-up at three months.
    const started = await act(connected.body.id, 'start', { version: 2, followUpOn: inDays(90), note: '1か月後の確認: 週3日勤務を開始' });
    expect(started.body).toMatchObject({ state: 'started', startedOn: today(), followUpOn: inDays(90), allowedActions: ['continue', 'follow-up', 'end'] });
    const stale = await act(connected.body.id, 'end', { version: 2, reason: 'health' });
    expect(stale.status).toBe(409);
    const noReason = await act(connected.body.id, 'end', { version: 3 });
    expect(noReason.status).toBe(422);

    // The figures count him: one connection made, one start, one placement into work, in 地区B.
    const figures = await api.as('choju-manager').get(`/api/v1/participation/figures?districtCode=B&from=${today()}`);
    expect(figures.status).toBe(200);
    expect(figures.body).toMatchObject({ windowUses: 1, people: 1, connectionsMade: 1, started: 1, placementsIntoWork: 1, continuingAfter3Months: 0 });
    expect(figures.body.wishes).toEqual([
      { wish: 'work', visits: 1, connections: 1 },
      { wish: 'volunteering', visits: 0, connections: 0 },
      { wish: 'place', visits: 0, connections: 0 },
    ]);
    // Over every 地区: the anonymous visitors count as uses of the window too, though nothing was connected.
    const everywhere = (await api.as('choju-manager').get(`/api/v1/participation/figures?from=${today()}`)).body;
    // Each visitor is one use however many kinds they wished, and counts under each kind.
    expect(everywhere.windowUses).toBe(3);
    expect(everywhere.wishes).toEqual([
      { wish: 'work', visits: 1, connections: 1 },
      { wish: 'volunteering', visits: 2, connections: 0 },
      { wish: 'place', visits: 2, connections: 0 },
    ]);
    expect(figures.body.resources.find((r: { kind: string }) => r.kind === 'employer')).toMatchObject({ resources: 2, capacity: 5, taken: 3, utilisation: 60, active: 1 });
    const csv = await api.as('choju-manager').get('/api/v1/participation/figures.csv?districtCode=B');
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('就労につながった件数,B,,1\r\n');
    expect(csv.text).toContain('窓口の利用件数,B,,1\r\n');
    expect(csv.text).toContain('希望別の窓口利用,B,仕事,1\r\n');
    // The 人財 who carry the most, to spread the load.
    expect(figures.body.volunteers).toEqual([{ volunteerId: helper.body.id, name: '同行 支援', connections: 1, active: 1 }]);
    expect(csv.text).toContain('人財の担当件数,B,同行 支援,1\r\n');
    expect((await api.as(COUNSELOR).get('/api/v1/participation/figures')).status).toBe(403);

    // A consent naming another host does not cover this one; once withdrawn, the next introduction is refused.
    expect((await connect({ resourceId: employerB.id, consent: { consentId: connected.body.personConsentId } })).status).toBe(422);
    const second = await connect({ resourceId: employerB.id, consent: { givenOn: today(), method: 'oral', fields: ['name', 'phone'] } });
    expect(second.status).toBe(201);
    const again = await connect({ resourceId: employerB.id, consent: { consentId: second.body.personConsentId } });
    expect(again.status).toBe(201);
    const withdrawn = await api.as(COUNSELOR).post(`/api/v1/people/${personId}/consents/${second.body.personConsentId}/actions/withdraw`, { version: 1, withdrawnOn: today(), reason: '本人の申し出' });
    expect(withdrawn.status).toBe(200);
    const refused = await act(second.body.id, 'introduce', { version: 1 });
    expect(refused.status).toBe(422);
    expect(refused.body.field ?? refused.body.meta?.field).toBe('body.consent');
    expect((await api.as(COUNSELOR).get(`/api/v1/participation/connections/${second.body.id}`)).body).toMatchObject({ state: 'proposed', disclosureId: null });
    expect((await connect({ resourceId: employerB.id, consent: { consentId: second.body.personConsentId } })).status).toBe(422);
  });

  it('story: the 8050 son’s 参加支援 task is matched to a 通いの場 in his 地区, and is done when he starts', async () => {
    const kayoi = await resource({ name: '川辺の通いの場', kind: 'kayoi_no_ba', tags: ['hikikomori', 'isolation'], days: ['tue'] });
    await resource({ name: '地区Aの通いの場', kind: 'kayoi_no_ba', districtCode: 'A', tags: ['isolation'] });
    const opened = await api.as(COUNSELOR).post('/api/v1/cases', {
      title: '8050 世帯',
      issues: ['care', 'hikikomori', '8050'],
      persons: [
        { relation: '本人（母）', familyName: '山田', givenName: 'ハナ', birthDate: '1946-04-01' },
        { relation: '長男', familyName: '山田', givenName: '一郎', birthDate: '1976-06-10', phone: '090-1111-0000' },
      ],
    });
    const son = opened.body.persons[1].personId;
    await t.sql(`update cases set coordination_status = 'candidate' where id = $1`, [opened.body.id]);
    const taken = await api.as('kyosei-coordinator').post('/api/v1/coordination/cases', { caseId: opened.body.id, reason: '8050' });
    expect(taken.status).toBe(201);
    await t.sql(`update coordination_cases set state = 'planning' where id = $1`, [taken.body.id]);
    const plan = await api.as('kyosei-coordinator').put(`/api/v1/coordination/cases/${taken.body.id}/plan`, {
      version: taken.body.version,
      goals: [{ id: 'g1', text: '長男が週1回外出する' }],
      tasks: [{ goalId: 'g1', departmentId: dept('choju'), title: '長男の居場所づくり', kind: 'participation', resource: '通いの場', dueOn: inDays(60) }],
    });
    expect(plan.status).toBe(200);
    const [{ id: taskId }] = await t.sql<{ id: string }>(`select id from plan_tasks where coordination_case_id = $1`, [taken.body.id]);

    const proposed = await api.as(COUNSELOR).get(`/api/v1/participation/proposals?planTaskId=${taskId}&districtCode=B`);
    expect(proposed.status).toBe(200);
    expect(proposed.body.items[0].resource.name).toBe(kayoi.name);
    expect(proposed.body.items.map((p: { resource: { kind: string } }) => p.resource.kind)).not.toContain('employer');

    const connected = await api.as(COUNSELOR).post('/api/v1/participation/connections', {
      resourceId: kayoi.id,
      personId: son,
      planTaskId: taskId,
      share: ['name'],
      consent: { givenOn: today(), method: 'oral', fields: ['name'] },
    });
    expect(connected.status).toBe(201);
    expect(connected.body).toMatchObject({ caseId: opened.body.id, planTaskId: taskId, departmentId: dept('choju'), wish: 'place' });
    await act(connected.body.id, 'introduce', { version: 1 });
    const taskStatus = async () => (await t.sql<{ status: string }>(`select status from plan_tasks where id = $1`, [taskId]))[0].status;
    expect(await taskStatus()).toBe('open');
    // Reporting it done by hand is refused until he has started.
    const early = await api.as(COUNSELOR).post(`/api/v1/coordination/tasks/${taskId}/actions/report`, { version: 1, report: '参加した', done: true });
    expect(early.status).toBe(422);
    expect(await taskStatus()).toBe('open');
    expect((await act(connected.body.id, 'start', { version: 2 })).status).toBe(200);
    expect(await taskStatus()).toBe('done');
    const overview = await api.as('kyosei-coordinator').get(`/api/v1/coordination/cases/${taken.body.id}`);
    expect(overview.body.tasks).toEqual([expect.objectContaining({ id: taskId, status: 'done', report: `参加開始: ${kayoi.name}` })]);
    const timeline = (await api.as(COUNSELOR).get(`/api/v1/cases/${opened.body.id}/timeline?limit=200`)).body.items.map((e: { text: { ja: string } }) => e.text.ja);
    expect(timeline).toEqual(
      expect.arrayContaining([`参加支援: 「${kayoi.name}」へ紹介（伝えた項目: 氏名）`, `参加支援: 「${kayoi.name}」で参加開始`, '長寿課がタスク「長男の居場所づくり」を報告（完了）']),
    );
  });

  it('bad input names the field and writes nothing; other departments cannot edit an entry; closed and full are refused with the reason', async () => {
    const before = await counts();
    const post = (body: Record<string, unknown>) => api.as(COUNSELOR).post('/api/v1/participation/resources', { name: '不正', kind: 'salon', ownerDepartmentId: dept('choju'), districtCode: 'B', ...body });
    const fieldOf = async (body: Record<string, unknown>) => {
      const res = await post(body);
      expect(res.status).toBe(400);
      return (res.body.errors as { field: string }[]).map((e) => e.field);
    };
    expect(await fieldOf({ ownerDepartmentId: undefined })).toEqual(['body.ownerDepartmentId']);
    expect(await fieldOf({ districtCode: undefined })).toEqual(['body.districtCode']);
    expect(await fieldOf({ districtCode: 'Z' })).toEqual(['body.districtCode']);
    expect(await fieldOf({ capacity: -1 })).toEqual(['body.capacity']);
    expect(await fieldOf({ capacity: 1, freePlaces: 2 })).toEqual(['body.freePlaces']);
    expect(await counts()).toEqual(before);
    expect((await api.as('fukushi-counselor').post('/api/v1/participation/resources', { name: '他課', kind: 'salon', ownerDepartmentId: dept('choju'), districtCode: 'B' })).status).toBe(403);
    expect((await api.as('fukushi-counselor').patch(`/api/v1/participation/resources/${employerB.id}`, { version: 1, freePlaces: 1 })).status).toBe(403);
    expect((await api.as('fukushi-counselor').get(`/api/v1/participation/resources/${employerB.id}`)).status).toBe(200);

    const full = await resource({ name: '満員の通いの場', kind: 'kayoi_no_ba', capacity: 5, freePlaces: 0 });
    const opened = await api.as(COUNSELOR).post('/api/v1/cases', { title: '相談', issues: ['isolation'], persons: [{ relation: '本人', familyName: '満', givenName: '員' }] });
    const refused = await api.as(COUNSELOR).post('/api/v1/participation/connections', {
      resourceId: full.id,
      personId: opened.body.persons[0].personId,
      caseId: opened.body.id,
      share: ['name'],
      consent: { givenOn: today(), method: 'oral', fields: ['name'] },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain('満員');
  });

  it('lists the directory by text, tag, 地区 and day; stale entries for review; keyset paging holds', async () => {
    const list = async (query: string) => (await api.as('fukushi-counselor').get(`/api/v1/participation/resources?${query}`)).body.items.map((r: { name: string }) => r.name);
    expect(await list('q=農園')).toEqual([employerB.name]);
    expect(await list('tag=older_people&day=wed')).toEqual([volunteers.name, employerA.name].sort());
    expect(await list('districtCode=C')).toEqual(['地区Cの工房']);
    // Near a 地区: its neighbours too (the demo's 地区A and 地区B), not the others.
    expect(await list('districtCode=B&kind=farm_welfare')).toEqual([]);
    expect(await list('districtCode=B&kind=farm_welfare&near=true')).toEqual([employerB.name]);
    expect(await list('districtCode=C&near=true')).toEqual(['地区Cの工房']);
    expect(await list('q=工場')).toEqual([]);
    expect(await list('q=工場&includeClosed=true')).toEqual([closed.name]);
    await t.sql(`update participation_resources set as_of = current_date - 200 where id = $1`, [employerB.id]);
    expect(await list('stale=true')).toEqual([employerB.name]);
    // Confirming it brings it back.
    const current = (await api.as(COUNSELOR).get(`/api/v1/participation/resources/${employerB.id}`)).body;
    const confirmed = await api.as(COUNSELOR).patch(`/api/v1/participation/resources/${employerB.id}`, {}, { 'If-Match': String(current.version) });
    expect(confirmed.body).toMatchObject({ stale: false, asOf: today() });
    expect(await list('stale=true')).toEqual([]);

    let serial = 0;
    await expectStablePaging({
      page: async (cursor, limit) => (await api.as(COUNSELOR).get(`/api/v1/participation/resources?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)).body,
      insert: async () => (await resource({ name: `ｚ追加${++serial}`, kind: 'salon' })).id,
    });
  });

  it('imports a Shift_JIS file of 200 places with a row-by-row report; a dry run writes nothing', async () => {
    const header = '名称,種別,担当課,地区,住所,曜日,時間,定員,空き,費用,バリアフリー,言語,運営,連絡先,タグ,条件,確認日';
    const rows = Array.from({ length: 200 }, (_, i) => {
      const n = i + 1;
      if (n === 50) return `取込の集い${n},サロン,長寿課,Z,本町${n},月,,10,3,無料,,,自治会,,孤立,,`; // no such 地区
      if (n === 120) return `取込の集い${n},カラオケ,choju,A,本町${n},火,,10,3,無料,,,自治会,,孤立,,`; // no such kind
      if (n === 150) return `取込の集い${n},通いの場,choju,B,本町${n},水,,-1,,無料,,,自治会,,孤立,,`; // capacity below zero
      if (n === 180) return `取込の集い${n},通いの場,fukushi,B,本町${n},水,,10,3,無料,,,自治会,,孤立,,`; // another department's
      return `取込の集い${n},${n % 2 ? '通いの場' : 'サロン'},${n % 3 ? 'choju' : '長寿課'},${'ABC'[n % 3]},つなぎ市本町${n},月・木,10:00-12:00,20,5,100円,車いす可,日本語,本町自治会,0120-000-${String(n).padStart(3, '0')},孤立・高齢者,,2026-10-01`;
    });
    const file = iconv.encode(`${header}\r\n${rows.join('\r\n')}\r\n`, 'Shift_JIS');
    const send = (query: string) => t.http().post(`/api/v1/participation/resources/imports${query}`).set('Authorization', `Bearer ${tokenOf}`).set('Content-Type', 'text/csv').send(file);
    const tokenOf = await t.token(COUNSELOR);
    const before = await counts();
    const dry = await send('?dryRun=true');
    expect(dry.status).toBe(201);
    expect(dry.body).toMatchObject({ encoding: 'shift_jis', dryRun: true, totalRows: 200, created: 0 });
    expect(await counts()).toEqual(before);

    const done = await send('');
    expect(done.body).toMatchObject({ encoding: 'shift_jis', dryRun: false, totalRows: 200, created: 196 });
    expect(done.body.rejected.map((r: { line: number; problems: { ja: string }[] }) => [r.line, r.problems.map((p) => p.ja)])).toEqual([
      [51, ['地区: 「Z」という地区はありません']],
      [121, ['種別: 「カラオケ」は種別の一覧にありません']],
      [151, ['定員: 0以上の整数で指定してください']],
      [181, ['担当課: この課の社会資源は登録できません']],
    ]);
    const [imported] = await t.sql<{ n: string }>(`select count(*) as n from participation_resources where name like '取込の集い%'`);
    expect(Number(imported.n)).toBe(196);
    const one = (await api.as(COUNSELOR).get('/api/v1/participation/resources?q=取込の集い7&districtCode=B')).body.items.find((r: { name: string }) => r.name === '取込の集い7');
    expect(one).toMatchObject({ kind: 'kayoi_no_ba', ownerDepartmentId: dept('choju'), days: ['mon', 'thu'], tags: ['isolation', 'older_people'], capacity: 20, freePlaces: 5, asOf: '2026-10-01' });

    const broken = await t.http().post('/api/v1/participation/resources/imports').set('Authorization', `Bearer ${tokenOf}`).set('Content-Type', 'text/csv').send(iconv.encode('名称,住所\r\nx,y\r\n', 'Shift_JIS'));
    expect(broken.status).toBe(400);
    expect(broken.body.detail).toContain('種別');
  });

  it('人財: listed only with consent; their contact only to those who work with people, and only with consent to be contacted', async () => {
    const before = await counts();
    const body = { name: '田中 花子', kind: 'senior', ownerDepartmentId: dept('choju'), skills: ['傾聴', '書道'], days: ['tue'], districtCodes: ['A', 'B'], contact: '090-7777-8888', contactConsent: true };
    const refused = await api.as(COUNSELOR).post('/api/v1/participation/volunteers', body);
    expect(refused.status).toBe(422);
    expect(refused.body.meta?.field ?? refused.body.field).toBe('body.listingConsent');
    expect((await api.as(COUNSELOR).post('/api/v1/participation/volunteers', { ...body, listingConsent: { givenOn: today(), method: 'written' }, districtCodes: ['Z'] })).status).toBe(400);
    expect(await counts()).toEqual(before);

    const listed = await api.as(COUNSELOR).post('/api/v1/participation/volunteers', { ...body, listingConsent: { givenOn: today(), method: 'written' } });
    expect(listed.status).toBe(201);
    const quiet = await api.as(COUNSELOR).post('/api/v1/participation/volunteers', { ...body, name: '連絡 不可', contactConsent: false, listingConsent: { givenOn: today(), method: 'oral' } });
    const read = async (login: string, id: string) => (await api.as(login).get(`/api/v1/participation/volunteers/${id}`)).body;
    expect(await read('fukushi-counselor', listed.body.id)).toMatchObject({ contact: '090-7777-8888', contactWithheld: false });
    expect(await read('choju-manager', listed.body.id)).toMatchObject({ contact: null, contactWithheld: true });
    expect(await read(COUNSELOR, quiet.body.id)).toMatchObject({ contact: null, contactWithheld: true });
    const found = (await api.as('fukushi-counselor').get('/api/v1/participation/volunteers?districtCode=B&day=tue&q=書道')).body.items.map((v: { name: string }) => v.name);
    expect(found).toEqual(['田中 花子', '連絡 不可'].sort());
    // Who saw a volunteer's contact: each read that showed it, in the audit log; withheld ones wrote nothing.
    const contactReads = await t.sql<{ actor_id: string; subject_id: string; detail: { via: string } }>(
      `select actor_id, subject_id, detail from audit_log where action = 'participation.volunteer-read-contact' and subject_id in ($1, $2) order by id`,
      [listed.body.id, quiet.body.id],
    );
    expect(contactReads.map((r) => [r.actor_id, r.subject_id, r.detail.via])).toEqual([
      [accountId('fukushi-counselor'), listed.body.id, 'read'],
      [accountId('fukushi-counselor'), listed.body.id, 'list'],
    ]);
    const withdrawn = await api.as(COUNSELOR).patch(`/api/v1/participation/volunteers/${quiet.body.id}`, { version: 1, state: 'withdrawn' });
    expect(withdrawn.body.state).toBe('withdrawn');
    expect((await api.as('fukushi-counselor').get('/api/v1/participation/volunteers?q=書道')).body.items.map((v: { name: string }) => v.name)).toEqual(['田中 花子']);
  });
});
