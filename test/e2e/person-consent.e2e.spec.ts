import { accountId, departmentId } from '../../seeds/demo-data';
import { todayInJapan } from '../../src/platform/calendar/today';
import { ApiClient } from '../support/api-client';
import { expectStablePaging } from '../support/paging';
import { startTestApp, type TestApp } from '../support/test-app';

const dept = (code: string) => departmentId('tsunagi-city', code);
const today = todayInJapan();
const NO_SUCH = '00000000-0000-4000-8000-000000000000';

/**
 * 本人同意 per person: recorded at the person, naming departments, a kind of meeting or the supporters;
 * referrals, meetings and rosters check it person by person; withdrawal stops the next disclosure at
 * once; the person's page lists their consents and every disclosure made of them.
 */
describe('per-person consent', () => {
  let t: TestApp;
  let api: ApiClient;
  let caseId: string;
  let mother: string;
  let son: string;
  let consentId: string;
  let coordinationId: string;

  /** Rows a refused command must not have written. */
  const writes = async () =>
    (await t.sql<{ n: number }>(`select ((select count(*) from person_consents) + (select count(*) from referrals) + (select count(*) from disclosures) + (select count(*) from meeting_cases) + (select count(*) from domain_events))::int n`))[0].n;

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t);
    const opened = await api.as('choju-counselor').post('/api/v1/cases', {
      title: '同意の人',
      issues: ['care', 'hikikomori', '8050'],
      persons: [
        { relation: '本人（母）', familyName: '同意', givenName: '花', birthDate: '1945-02-03', address: '本町3-3', phone: '090-3333-0001' },
        { relation: '長男', familyName: '同意', givenName: '一', birthDate: '1975-05-05' },
      ],
    });
    expect(opened.status).toBe(201);
    caseId = opened.body.id;
    [mother, son] = opened.body.persons.map((p: { personId: string }) => p.personId);
  });
  afterAll(() => t.close());

  const consents = (login: string, personId: string, query = '') => api.as(login).get(`/api/v1/people/${personId}/consents${query}`);
  const disclosures = (login: string, personId: string, query = '') => api.as(login).get(`/api/v1/people/${personId}/disclosures${query}`);
  const refer = (personId: string) =>
    api.as('choju-counselor').post(`/api/v1/cases/${caseId}/referrals`, {
      toDepartmentId: dept('fukushi'),
      purpose: '家計の相談',
      legalBasis: 'CONSENT',
      share: { case: ['issues'], persons: [{ personId, fields: ['name', 'address'] }] },
    });

  it('records the mother’s consent at her record, and lists it to her department’s counselors, audited', async () => {
    const recorded = await api.as('choju-counselor').post(`/api/v1/people/${mother}/consents`, {
      recipients: [{ type: 'department', departmentId: dept('fukushi') }, { type: 'meeting', meetingKind: 'juso_kaigi' }],
      fieldGroups: ['basic', 'contact', 'case'],
      purpose: '家計と介護の支援のため',
      givenOn: today,
      method: 'written',
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toEqual({ id: expect.any(String), version: 1 });
    consentId = recorded.body.id;

    const listed = await consents('choju-counselor', mother);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        id: consentId,
        personId: mother,
        recipients: [{ type: 'department', departmentId: dept('fukushi') }, { type: 'meeting', meetingKind: 'juso_kaigi' }],
        fieldGroups: ['basic', 'contact', 'case'],
        purpose: '家計と介護の支援のため',
        givenOn: today,
        endsOn: null,
        method: 'written',
        contextCaseId: null,
        recordedBy: accountId('choju-counselor'),
        withdrawnOn: null,
        status: 'live',
        version: 1,
      }),
    ]);
    const audited = await t.sql(`select action, outcome from audit_log where person_id = $1 and action like 'consent.%' order by id`, [mother]);
    expect(audited).toEqual([
      { action: 'consent.record', outcome: 'allowed' },
      { action: 'consent.list', outcome: 'allowed' },
    ]);
  });

  it('refuses a consent that ends before it starts, in both languages, writing nothing', async () => {
    const before = await writes();
    const body = { recipients: [{ type: 'department', departmentId: dept('fukushi') }], fieldGroups: ['basic'], purpose: '確認', givenOn: '2026-11-20', endsOn: '2026-11-19', method: 'oral' };
    const ja = await api.as('choju-counselor').post(`/api/v1/people/${mother}/consents`, body);
    expect(ja.status).toBe(422);
    expect(ja.body.detail).toContain('終了日が同意日より前');
    const en = await api.as('choju-counselor').post(`/api/v1/people/${mother}/consents`, body, { 'Accept-Language': 'en' });
    expect(en.status).toBe(422);
    expect(en.body.detail).toContain('ends before it was given');
    expect(await writes()).toBe(before);
  });

  it('answers 404 for unknown people, other tenants’ and people the department does not hold, writing nothing', async () => {
    const other = await api.as('other-city-counselor').post('/api/v1/cases', { title: '他市', issues: ['care'], persons: [{ relation: '本人', familyName: '他市', givenName: '人' }] });
    const otherPerson = other.body.persons[0].personId as string;
    const body = { recipients: [{ type: 'department', departmentId: dept('kenko') }], fieldGroups: ['basic'], purpose: '確認', givenOn: today, method: 'oral' };
    const before = await writes();
    for (const [login, personId] of [['choju-counselor', NO_SUCH], ['choju-counselor', otherPerson], ['kenko-counselor', mother], ['fukushi-counselor', son]] as const) {
      expect({ login, personId, status: (await api.as(login).post(`/api/v1/people/${personId}/consents`, body)).status }).toEqual({ login, personId, status: 404 });
      expect({ login, personId, status: (await consents(login, personId)).status }).toEqual({ login, personId, status: 404 });
      expect({ login, personId, status: (await disclosures(login, personId)).status }).toEqual({ login, personId, status: 404 });
    }
    // A consent of someone else, or none at all, is not there to withdraw.
    const withdraw = (personId: string, id: string) => api.as('choju-counselor').post(`/api/v1/people/${personId}/consents/${id}/actions/withdraw`, { version: 1, withdrawnOn: today, reason: '確認' });
    expect((await withdraw(son, consentId)).status).toBe(404);
    expect((await withdraw(mother, NO_SUCH)).status).toBe(404);
    expect(await writes()).toBe(before);
    // Managers read the person, but consents are their counselors’.
    expect((await consents('choju-manager', mother)).status).toBe(403);
  });

  it('refers the mother on her own consent, and refuses her son, who never gave one', async () => {
    const before = await writes();
    const sonRefused = await refer(son);
    expect(sonRefused.status).toBe(422);
    expect(await writes()).toBe(before);
    const referred = await refer(mother);
    expect(referred.status).toBe(201);
    const [row] = await t.sql(`select consent_id from referrals where id = $1`, [referred.body.id]);
    expect(row).toEqual({ consent_id: consentId });
  });

  it('shares the mother at a 重層的支援会議 her consent names, whoever its members are, but not her son', async () => {
    await t.sql(`update cases set coordination_status = 'candidate' where id = $1`, [caseId]);
    const taken = await api.as('kyosei-coordinator').post('/api/v1/coordination/cases', { caseId, reason: '8050のため' });
    expect(taken.status).toBe(201);
    coordinationId = taken.body.id;
    const meeting = await api.as('kyosei-coordinator').post('/api/v1/meetings', { kind: 'juso_kaigi', title: '第1回重層的支援会議', heldOn: today });
    await api.as('kyosei-coordinator').post(`/api/v1/meetings/${meeting.body.id}/members`, { staffId: accountId('kenko-counselor'), confidentialityAcknowledged: true });
    const share = (personId: string) => api.as('kyosei-coordinator').post(`/api/v1/meetings/${meeting.body.id}/cases`, { coordinationCaseId: coordinationId, share: { case: ['issues'], persons: [{ personId, fields: ['name'] }] } });
    const before = await writes();
    expect((await share(son)).status).toBe(422);
    expect(await writes()).toBe(before);
    expect((await share(mother)).status).toBe(201);
  });

  it('lists every disclosure made of the mother from the receipts: to whom, when, which fields, basis, by whom', async () => {
    const listed = await disclosures('choju-counselor', mother);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ recipientType: 'meeting', recipientName: '第1回重層的支援会議', fields: ['name'], legalBasis: 'SWA_JUSO_KAIGI', disclosedBy: accountId('kyosei-coordinator'), referralId: null }),
      expect.objectContaining({
        recipientType: 'department',
        recipientId: dept('fukushi'),
        recipientName: '福祉課',
        fields: ['name', 'address'],
        legalBasis: 'CONSENT',
        reason: '家計の相談',
        disclosedBy: accountId('choju-counselor'),
        disclosedByName: expect.any(String),
        referralId: expect.any(String),
      }),
    ]);
    expect(listed.body.items.every((d: { disclosedAt: string }) => !Number.isNaN(Date.parse(d.disclosedAt)))).toBe(true);
    // 福祉課 now holds her (the referral): its counselors see the same list; the read is audited.
    expect((await disclosures('fukushi-counselor', mother)).body.items).toHaveLength(2);
    const [{ n }] = await t.sql<{ n: number }>(`select count(*)::int n from audit_log where action = 'person.disclosures' and person_id = $1`, [mother]);
    expect(n).toBe(2);
    // Auditors follow her through their person report: the consent and its reads are in it.
    const report = await api.as('auditor').get(`/api/v1/audit/persons/${mother}`);
    expect(report.body.reads.items.map((r: { action: string }) => r.action)).toEqual(expect.arrayContaining(['consent.record', 'consent.list', 'person.disclosures']));
  });

  it('withdraws on the version read; the same referral is then refused at once, writing nothing', async () => {
    const stale = await api.as('choju-counselor').post(`/api/v1/people/${mother}/consents/${consentId}/actions/withdraw`, { withdrawnOn: today, reason: '本人の申出' }, { 'If-Match': '"7"' });
    expect(stale.status).toBe(409);
    const early = await api.as('choju-counselor').post(`/api/v1/people/${mother}/consents/${consentId}/actions/withdraw`, { version: 1, withdrawnOn: '2020-01-01', reason: '本人の申出' });
    expect(early.status).toBe(422);
    const withdrawn = await api.as('choju-counselor').post(`/api/v1/people/${mother}/consents/${consentId}/actions/withdraw`, { withdrawnOn: today, reason: '本人の申出' }, { 'If-Match': '"1"' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toEqual({ id: consentId, version: 2 });
    expect((await consents('choju-counselor', mother)).body.items[0]).toMatchObject({ status: 'withdrawn', withdrawnOn: today, withdrawalReason: '本人の申出', version: 2 });

    const before = await writes();
    const refused = await refer(mother);
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain('有効な本人同意');
    expect(await writes()).toBe(before);
    // Once withdrawn, always withdrawn.
    expect((await api.as('choju-counselor').post(`/api/v1/people/${mother}/consents/${consentId}/actions/withdraw`, { version: 2, withdrawnOn: today, reason: '再度' })).status).toBe(409);
  });

  it('pages the consents stably', async () => {
    let n = 0;
    const record = async () => {
      const res = await api.as('choju-counselor').post(`/api/v1/people/${son}/consents`, {
        recipients: [{ type: 'department', departmentId: dept('kenko') }], fieldGroups: ['basic'], purpose: `確認${++n}`, givenOn: today, method: 'oral',
      });
      return res.body.id as string;
    };
    for (let i = 0; i < 3; i++) await record();
    await expectStablePaging({
      page: async (cursor, limit) => (await consents('choju-counselor', son, `?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)).body,
      insert: record,
    });
  });
});

describe('rosters follow the person’s consent to the supporters', () => {
  let t: TestApp;
  let api: ApiClient;

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t);
  });
  afterAll(() => t.close());

  const rosterIds = async () => ((await api.as('minsei-a').get('/api/v1/evacuation-support/roster')).body.items as { personId: string }[]).map((r) => r.personId);
  const addAndRegister = async (name: string, provision: 'consent' | 'refused') => {
    const added = await api.as('choju-counselor').post('/api/v1/evacuation-support/entries', {
      source: 'request', person: { familyName: '名簿', givenName: name, birthDate: '1940-01-01', address: '本町7-7' }, districtCode: 'A', facts: { careLevel: '要介護3' },
    });
    expect(added.status).toBe(201);
    expect((await api.as('fukushi-counselor').post(`/api/v1/evacuation-support/entries/${added.body.id}/actions/register`, { version: 1, provision })).status).toBe(200);
    const [{ person_id }] = await t.sql<{ person_id: string }>(`select person_id from register_entries where id = $1`, [added.body.id]);
    return person_id;
  };

  it('turns the register’s 同意 into the person’s consent; its withdrawal takes them off the roster at once', async () => {
    const personId = await addAndRegister('同意', 'consent');
    const listed = await api.as('choju-counselor').get(`/api/v1/people/${personId}/consents`);
    expect(listed.body.items).toEqual([expect.objectContaining({ recipients: [{ type: 'supporters', districtCode: null }], fieldGroups: ['basic', 'contact', 'sensitive'], status: 'live' })]);
    expect(await rosterIds()).toContain(personId);

    const shown = await api.as('choju-counselor').get(`/api/v1/people/${personId}/disclosures`);
    expect(shown.body.items[0]).toMatchObject({ recipientType: 'supporters', recipientId: accountId('minsei-a'), legalBasis: 'DMA_ROSTER_NORMAL', receiptNumber: expect.stringMatching(/^R\d{4}-\d{6}$/) });

    const { id, version } = listed.body.items[0];
    expect((await api.as('choju-counselor').post(`/api/v1/people/${personId}/consents/${id}/actions/withdraw`, { version, withdrawnOn: todayInJapan(), reason: '本人の申出' })).status).toBe(200);
    expect(await rosterIds()).not.toContain(personId);
    expect((await api.as('minsei-a').get(`/api/v1/evacuation-support/roster/${personId}`)).status).toBe(403);
  });

  it('lists a person who refused at the register once their own consent names the supporters of their 地区', async () => {
    const personId = await addAndRegister('拒否', 'refused');
    expect(await rosterIds()).not.toContain(personId);
    const narrow = await api.as('choju-counselor').post(`/api/v1/people/${personId}/consents`, {
      recipients: [{ type: 'supporters', districtCode: 'A' }], fieldGroups: ['basic', 'contact'], purpose: '見守りのため', givenOn: todayInJapan(), method: 'written',
    });
    expect(narrow.status).toBe(201);
    // The roster carries the reason help is needed (要配慮): a consent without it does not cover the roster.
    expect(await rosterIds()).not.toContain(personId);
    const full = await api.as('choju-counselor').post(`/api/v1/people/${personId}/consents`, {
      recipients: [{ type: 'supporters', districtCode: 'A' }], fieldGroups: ['basic', 'contact', 'sensitive'], purpose: '見守りのため', givenOn: todayInJapan(), method: 'written',
    });
    expect(full.status).toBe(201);
    expect(await rosterIds()).toContain(personId);
  });
});
