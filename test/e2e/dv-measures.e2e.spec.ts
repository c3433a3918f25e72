import { CommandBus } from '@nestjs/cqrs';
import { addToDate } from '../../src/modules/people/domain/dv-measure.schemas';
import { SweepDvMeasuresCommand } from '../../src/modules/people/commands/dv-measures/sweep-dv-measures';
import { todayInJapan } from '../../src/platform/calendar/today';
import { accountId, departmentId } from '../../seeds/demo-data';
import { ApiClient } from '../support/api-client';
import { Fixtures } from '../support/fixtures';
import { expectStablePaging } from '../support/paging';
import { startTestApp, type TestApp } from '../support/test-app';

const dept = (code: string) => departmentId('tsunagi-city', code);
const COUNSELOR = 'choju-counselor';
const MANAGER = 'choju-manager';
/** ASCII inside the child's address: found in JSON and CSV alike, whatever their encoding. */
const CHILD_TOKEN = 'dvchild7q3';
const CHILD_ADDRESS = `つなぎ市避難町 ${CHILD_TOKEN} 3-3`;

/**
 * DV等支援措置 as a lifecycle: a 長寿課 counselor asks for a measure on a mother covering her household, the
 * manager approves (never the one who asked), and from the request on her child's address is withheld in
 * every view — case, person, search, referral package, register, rosters and their CSV, intake check — for
 * everyone but the named protectors. Extended, lifted, declined; and a renewal task before it lapses.
 */
describe('DV support measures (DV等支援措置)', () => {
  let t: TestApp;
  let api: ApiClient;
  let fixtures: Fixtures;
  let caseId: string;
  let mother: string;
  let child: string;
  let referralId: string;
  let entryId: string;
  let measure: { id: string; version: number; endsOn: string };

  const measures = (personId: string) => `/api/v1/people/${personId}/dv-measures`;
  const act = (login: string, personId: string, id: string, action: string, body: Record<string, unknown>) => api.as(login).post(`${measures(personId)}/${id}/actions/${action}`, body);
  const sweep = (today: string) => t.app.get(CommandBus).execute(new SweepDvMeasuresCommand(today)) as Promise<{ renewalsDue: number; lapsed: number }>;
  const counts = async () =>
    (
      await t.sql<Record<string, string>>(
        `select (select count(*) from dv_measures) as measures, (select coalesce(sum(version), 0) from dv_measures) as versions,
                (select count(*) from domain_events) as events, (select count(*) from audit_log) as audit`,
      )
    )[0];

  /** Every view of the child a non-protector might open, each with who opens it; the body as text. */
  const views: [string, string][] = [];
  const childViews = async () => {
    const answers: { login: string; view: string; status: number; text: string }[] = [];
    for (const [login, view] of views) {
      const res = await api.as(login).get(view);
      answers.push({ login, view, status: res.status, text: res.text || JSON.stringify(res.body) });
    }
    const intake = await api.as('kodomo-katei-counselor').post('/api/v1/people/intake-checks', { familyName: '避難', givenName: 'さくら', birthDate: '2018-05-05', reason: '子の相談の受付' });
    answers.push({ login: 'kodomo-katei-counselor', view: 'POST /people/intake-checks', status: intake.status, text: JSON.stringify(intake.body) });
    return answers;
  };
  const leaked = async () => (await childViews()).filter((a) => a.status !== 200 || a.text.includes(CHILD_TOKEN)).map((a) => `${a.login} ${a.view} ${a.status}`);

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t);
    fixtures = new Fixtures(t);
    const opened = await api.as(COUNSELOR).post('/api/v1/cases', {
      title: '母と子の見守り',
      issues: ['care', 'dv'],
      household: { name: '避難世帯' },
      persons: [
        { relation: '本人', familyName: '避難', givenName: '陽子', birthDate: '1985-03-03', sex: 'female', address: 'つなぎ市避難町3-3', phone: '090-3333-4444' },
        { relation: '長女', familyName: '避難', givenName: 'さくら', birthDate: '2018-05-05', sex: 'female', address: CHILD_ADDRESS },
      ],
    });
    expect(opened.status).toBe(201);
    caseId = opened.body.id;
    [mother, child] = opened.body.persons.map((p: { personId: string }) => p.personId);
    // Before any measure: the child's name and address go to 福祉課 with a referral, and she is on the register.
    const referred = await api.as(COUNSELOR).post(`/api/v1/cases/${caseId}/referrals`, {
      toDepartmentId: dept('fukushi'),
      purpose: '子の見守り',
      legalBasis: 'APPI_INTERNAL',
      legalBasisReason: '庁内での支援調整のため',
      share: { case: ['issues'], persons: [{ personId: child, fields: ['name', 'address'] }] },
    });
    expect(referred.status).toBe(201);
    referralId = referred.body.id;
    expect((await api.as('fukushi-counselor').post(`/api/v1/referrals/${referralId}/actions/accept`, { version: 1 })).status).toBe(200);
    const entry = await api.as(COUNSELOR).post('/api/v1/evacuation-support/entries', { source: 'application', personId: child, districtCode: 'A', facts: { careLevel: '要介護3' } });
    expect(entry.status).toBe(201);
    entryId = entry.body.id;
    expect((await api.as('fukushi-counselor').post(`/api/v1/evacuation-support/entries/${entryId}/actions/register`, { version: entry.body.version, provision: 'consent' })).status).toBe(200);
    const roster = '/api/v1/evacuation-support';
    views.push(
      [MANAGER, `/api/v1/cases/${caseId}`],
      [MANAGER, `/api/v1/people/${child}`],
      [MANAGER, `/api/v1/people?address=${CHILD_TOKEN}`],
      ['fukushi-counselor', `/api/v1/referrals/${referralId}`],
      ['fukushi-counselor', `/api/v1/people/${child}`],
      ['fukushi-counselor', `${roster}/roster`],
      ['fukushi-counselor', `${roster}/roster.csv`],
      ['fukushi-counselor', `${roster}/roster/${child}`],
      ['fukushi-counselor', `${roster}/entries/${entryId}`],
      ['fukushi-manager', `${roster}/roster.csv`],
      ['minsei-a', `${roster}/roster`],
      ['minsei-a', `${roster}/roster.csv`],
    );
  });
  afterAll(() => t.close());

  it('shows the child’s address in those views before any measure (so the checks below can fail)', async () => {
    const seen = (await childViews()).filter((a) => a.text.includes(CHILD_TOKEN)).map((a) => `${a.login} ${a.view}`);
    expect(seen).toEqual(views.map(([login, view]) => `${login} ${view}`));
  });

  it('refuses the requester approving their own measure (422, ja/en), writing nothing', async () => {
    const asked = await api.as(COUNSELOR).post(measures(mother), { reason: '配偶者からの暴力のため避難中', coversHousehold: true });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ state: 'requested', coversHousehold: true, departmentId: dept('choju'), protectorIds: [accountId(COUNSELOR)], pendingRequest: 'set', endsOn: addToDate(todayInJapan(), { years: 1, days: -1 }) });
    expect(asked.body.allowedActions).toEqual([]);
    measure = asked.body;
    const before = await counts();
    const own = await act(COUNSELOR, mother, measure.id, 'approve', { version: measure.version });
    expect(own.status).toBe(422);
    expect(own.body.detail).toMatch(/申請した本人は承認・不承認できません/);
    const english = await t.http().post(`${measures(mother)}/${measure.id}/actions/approve`).set('Authorization', `Bearer ${await t.token(COUNSELOR)}`).set('Accept-Language', 'en').send({ version: measure.version });
    expect(english.status).toBe(422);
    expect(english.body.detail).toMatch(/requester cannot decide their own request/);
    expect(await counts()).toEqual(before);
  });

  it('withholds the child’s address everywhere from the request on, and after the manager’s approval, for all but the protectors', async () => {
    expect(await leaked()).toEqual([]);
    const listed = await api.as(MANAGER).get(measures(mother));
    expect(listed.body.items.map((m: { id: string; allowedActions: string[] }) => [m.id, m.allowedActions])).toEqual([[measure.id, ['approve', 'decline']]]);
    const approved = await act(MANAGER, mother, measure.id, 'approve', { version: measure.version });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'active', decidedBy: accountId(MANAGER), pendingRequest: null });
    measure = approved.body;
    expect(await leaked()).toEqual([]);
    // The protector still reads it; the intake check marks in the audit that it touched a protected person.
    const own = await api.as(COUNSELOR).get(`/api/v1/people/${child}`);
    expect(own.body.address).toBe(CHILD_ADDRESS);
    const [check] = await t.sql<{ protected: string }>(`select detail->>'dvProtected' as protected from audit_log where action = 'person.intake-check' and person_id = $1 order by id desc limit 1`, [child]);
    expect(check).toEqual({ protected: 'true' });
    const history = await t.sql<{ type: string }>(`select type from domain_events where aggregate_id = $1 order by aggregate_version`, [measure.id]);
    expect(history.map((e) => e.type)).toEqual(['DvMeasureRequested', 'DvMeasureApproved']);
  });

  it('refuses a referral sharing the covered child’s address, and a stale version', async () => {
    const share = await api.as(COUNSELOR).post(`/api/v1/cases/${caseId}/referrals`, {
      toDepartmentId: dept('kenko'),
      purpose: '確認',
      legalBasis: 'APPI_INTERNAL',
      legalBasisReason: '庁内での支援調整のため',
      share: { case: ['issues'], persons: [{ personId: child, fields: ['name', 'address'] }] },
    });
    expect(share.status).toBe(403);
    expect((await act(COUNSELOR, mother, measure.id, 'request-extension', { version: measure.version - 1 })).status).toBe(409);
  });

  it('extends on a counselor’s request and a manager’s approval', async () => {
    const endsOn = addToDate(measure.endsOn, { years: 1 });
    const asked = await act(COUNSELOR, mother, measure.id, 'request-extension', { version: measure.version });
    expect(asked.body).toMatchObject({ state: 'extension_requested', pendingEndsOn: endsOn, endsOn: measure.endsOn });
    expect((await act(COUNSELOR, mother, measure.id, 'approve', { version: asked.body.version })).status).toBe(422);
    // Another department's counselor does not even see it; a colleague who is no manager may not decide.
    expect((await act('fukushi-counselor', mother, measure.id, 'approve', { version: asked.body.version })).status).toBe(404);
    const approved = await act(MANAGER, mother, measure.id, 'approve', { version: asked.body.version });
    expect(approved.body).toMatchObject({ state: 'active', endsOn, pendingEndsOn: null });
    measure = approved.body;
    expect(await leaked()).toEqual([]);
  });

  it('lifts only with a reason and a second person; protection stays until the lift is approved', async () => {
    const other = await fixtures.openCase(COUNSELOR, { persons: [{ relation: '本人', familyName: '解除', givenName: '花', address: 'つなぎ市解除町1-1' }] });
    const personId = other.persons[0].personId;
    const set = await api.as(COUNSELOR).post(measures(personId), { reason: 'ストーカー被害', protectorIds: [accountId(MANAGER)] });
    const active = await act(MANAGER, personId, set.body.id, 'approve', { version: set.body.version });
    expect((await act(COUNSELOR, personId, set.body.id, 'request-lift', { version: active.body.version })).status).toBe(422);
    const asked = await act(COUNSELOR, personId, set.body.id, 'request-lift', { version: active.body.version, reason: '加害者の転居を確認' });
    expect(asked.body).toMatchObject({ state: 'lift_requested', pendingRequest: 'lift' });
    // Whoever asked for the lift decides nothing about it, either way: 422 in both languages, nothing written.
    const before = await counts();
    expect((await act(COUNSELOR, personId, set.body.id, 'approve', { version: asked.body.version })).status).toBe(422);
    const ownDecline = await api.as(COUNSELOR).post(`${measures(personId)}/${set.body.id}/actions/decline`, { version: asked.body.version, reason: '取り下げ' }, { 'Accept-Language': 'en' });
    expect(ownDecline.status).toBe(422);
    expect(ownDecline.body.detail).toMatch(/requester cannot decide their own request/);
    expect({ ...(await counts()), audit: before.audit }).toEqual(before);
    const [{ protected: during }] = await t.sql<{ protected: boolean }>(`select person_dv_protectors($1) is not null as protected`, [personId]);
    expect(during).toBe(true);
    const lifted = await act(MANAGER, personId, set.body.id, 'approve', { version: asked.body.version });
    expect(lifted.body).toMatchObject({ state: 'lifted', allowedActions: [] });
    const [{ protected: after }] = await t.sql<{ protected: boolean }>(`select person_dv_protectors($1) is not null as protected`, [personId]);
    expect(after).toBe(false);
    // A declined request ends the protection it started.
    const again = await api.as(COUNSELOR).post(measures(personId), { reason: '再度の申出' });
    const declined = await act(MANAGER, personId, again.body.id, 'decline', { version: again.body.version, reason: '要件を満たさないため' });
    expect(declined.body).toMatchObject({ state: 'declined', declineReason: '要件を満たさないため' });
    const [{ protected: declinedNow }] = await t.sql<{ protected: boolean }>(`select person_dv_protectors($1) is not null as protected`, [personId]);
    expect(declinedNow).toBe(false);
  });

  it('answers 404 for unknown, other-tenant and not-held people, writing nothing but the refusal’s audit row', async () => {
    const body = { reason: '理由' };
    const before = await counts();
    expect((await api.as(COUNSELOR).post(measures('00000000-0000-4000-8000-000000000001'), body)).status).toBe(404);
    expect((await api.as('kenko-counselor').post(measures(mother), body)).status).toBe(404);
    expect((await api.as('other-city-counselor').post(measures(mother), body)).status).toBe(404);
    expect((await api.as('kenko-counselor').get(measures(mother))).status).toBe(404);
    expect((await act(COUNSELOR, mother, '00000000-0000-4000-8000-000000000002', 'approve', { version: 1 })).status).toBe(404);
    const after = await counts();
    expect({ ...after, audit: before.audit }).toEqual(before);
    // Bad dates: 400, nothing written.
    expect((await api.as(COUNSELOR).post(measures(mother), { reason: '理由', startsOn: '2026-01-10', endsOn: '2026-01-01' })).status).toBe(400);
    expect((await api.as(COUNSELOR).post(measures(mother), { reason: '理由', startsOn: addToDate(todayInJapan(), { days: 3 }) })).status).toBe(400);
    expect((await counts()).measures).toBe(after.measures);
  });

  it('refuses to cover a household nobody recorded (422, ja/en), at the route and at intake, writing nothing', async () => {
    const alone = (await fixtures.openCase(COUNSELOR)).persons[0].personId;
    const before = await counts();
    const cases = async () => (await t.sql<{ n: number }>(`select count(*)::int n from cases`))[0].n;
    const casesBefore = await cases();
    const ja = await api.as(COUNSELOR).post(measures(alone), { reason: '世帯で避難中', coversHousehold: true });
    expect(ja.status).toBe(422);
    expect(ja.body.detail).toContain('世帯が記録されていない');
    const en = await api.as(COUNSELOR).post(measures(alone), { reason: '世帯で避難中', coversHousehold: true }, { 'Accept-Language': 'en' });
    expect(en.status).toBe(422);
    expect(en.body.detail).toContain('No household is recorded');
    const intake = await api.as(COUNSELOR).post('/api/v1/cases', {
      title: '世帯なし',
      issues: ['dv'],
      persons: [{ relation: '本人', familyName: '世帯', givenName: 'なし', address: 'つなぎ市本町9-9', dvProtected: true, dvCoversHousehold: true }],
    });
    expect(intake.status).toBe(422);
    expect({ ...(await counts()), audit: before.audit }).toEqual(before);
    expect(await cases()).toBe(casesBefore);
  });

  it('protects a known person who joins the protected household later, named by id', async () => {
    const token = 'dvlater5k8';
    const other = await fixtures.openCase(COUNSELOR, { persons: [{ relation: '本人', familyName: '避難', givenName: '翼', birthDate: '2020-02-02', address: `つなぎ市東町 ${token} 1-1` }] });
    const joiner = other.persons[0].personId;
    const read = async () => (await api.as(MANAGER).get(`/api/v1/people/${joiner}`)).body;
    expect((await read()).address).toContain(token);
    const { version } = (await api.as(COUNSELOR).get(`/api/v1/cases/${caseId}`)).body;
    const added = await api.as(COUNSELOR).post(`/api/v1/cases/${caseId}/persons`, { version, person: { personId: joiner, relation: '長男' } });
    expect(added.status).toBe(201);
    expect(await read()).toMatchObject({ address: null, withheldFields: expect.arrayContaining(['address']) });
    expect((await api.as(COUNSELOR).get(`/api/v1/people/${joiner}`)).body.address).toContain(token);
  });

  it('pages a person’s measures stably', async () => {
    const opened = await fixtures.openCase(COUNSELOR);
    const personId = opened.persons[0].personId;
    for (let i = 0; i < 3; i++) await api.as(COUNSELOR).post(measures(personId), { reason: `申出${i}` });
    await expectStablePaging<{ id: string }>({
      page: async (cursor, limit) => (await api.as(COUNSELOR).get(`${measures(personId)}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)).body,
      insert: async () => (await api.as(COUNSELOR).post(measures(personId), { reason: '追加の申出' })).body.id,
    });
  });

  it('raises a renewal task before the end, once, and lapses after it: then the address is no longer withheld', async () => {
    const due = addToDate(measure.endsOn, { days: -10 });
    expect((await sweep(addToDate(measure.endsOn, { days: -40 }))).renewalsDue).toBe(0);
    expect((await api.as(COUNSELOR).get('/api/v1/people/dv-measures/renewals-due')).body.items).toEqual([]);
    expect((await sweep(due)).renewalsDue).toBeGreaterThanOrEqual(1);
    expect((await sweep(due)).renewalsDue).toBe(0);
    for (const login of [COUNSELOR, MANAGER]) {
      const tasks = await api.as(login).get('/api/v1/people/dv-measures/renewals-due');
      expect(tasks.body.items.map((m: { id: string; renewalDueOn: string }) => [m.id, m.renewalDueOn])).toContainEqual([measure.id, due]);
    }
    expect((await api.as('fukushi-counselor').get('/api/v1/people/dv-measures/renewals-due')).body.items).toEqual([]);
    expect(await leaked()).toEqual([]);

    expect((await sweep(measure.endsOn)).lapsed).toBe(0);
    expect((await sweep(addToDate(measure.endsOn, { days: 1 }))).lapsed).toBeGreaterThanOrEqual(1);
    const [lapsed] = (await api.as(MANAGER).get(measures(mother))).body.items.filter((m: { id: string }) => m.id === measure.id);
    expect(lapsed).toMatchObject({ state: 'lapsed', allowedActions: [] });
    expect((await api.as(COUNSELOR).get('/api/v1/people/dv-measures/renewals-due')).body.items.map((m: { id: string }) => m.id)).not.toContain(measure.id);
    const history = await t.sql<{ type: string }>(`select type from domain_events where aggregate_id = $1 order by aggregate_version`, [measure.id]);
    expect(history.map((e) => e.type).slice(-2)).toEqual(['DvMeasureRenewalDue', 'DvMeasureLapsed']);
    const seen = (await childViews()).filter((a) => a.text.includes(CHILD_TOKEN)).map((a) => `${a.login} ${a.view}`);
    expect(seen).toEqual(views.map(([login, view]) => `${login} ${view}`));
  });
});
