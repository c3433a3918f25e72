import { accountId, departmentId } from '../../seeds/demo-data';
import { ApiClient } from '../support/api-client';
import { dvMeasureFixture, registerFixture } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const dept = (code: string) => departmentId('tsunagi-city', code);
const ALL_CASE_FIELDS = ['name', 'kana', 'birthDate', 'sex', 'address', 'phone', 'email', 'disability', 'medicalHistory', 'handbooks', 'careLevel'];
/** One counselor (or coordinator) per department that has one in the demo directory. */
const WINDOWS = { choju: 'choju-counselor', fukushi: 'fukushi-counselor', kenko: 'kenko-counselor', 'kodomo-katei': 'kodomo-katei-counselor', 'anshin-anzen': 'anshin-counselor', 'chiiki-kyosei': 'kyosei-coordinator' };

/**
 * A department sees of a person exactly what it collected plus what was disclosed to it. Naming a
 * person by id in a new case needs such a holding and never widens it; declined referrals end it.
 */
describe('person-field disclosure: what each department holds', () => {
  let t: TestApp;
  let api: ApiClient;
  let caseId: string;
  let mother: string;
  let son: string;

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t);
    const opened = await api.as('choju-counselor').post('/api/v1/cases', {
      title: '保有のテスト',
      issues: ['care', 'hikikomori'],
      persons: [
        { relation: '本人', familyName: '保有', givenName: '母', birthDate: '1946-04-01', address: '本町5-5', phone: '090-5555-0001', email: 'haha@example.jp', sensitive: { disability: '身体障害2級', medicalHistory: '心疾患' } },
        { relation: '長男', familyName: '保有', givenName: '息子', birthDate: '1976-06-10', phone: '090-5555-0002', sensitive: { medicalHistory: '精神科受診歴' } },
      ],
    });
    expect(opened.status).toBe(201);
    caseId = opened.body.id;
    [mother, son] = opened.body.persons.map((p: { personId: string }) => p.personId);
    await api.as('choju-counselor').post(`/api/v1/cases/${caseId}/consents`, { personId: mother, scope: ['basic', 'contact', 'case'], recipientDepartmentIds: [dept('fukushi')], givenOn: '2026-11-20', method: 'written' });
    const toFukushi = await api.as('choju-counselor').post(`/api/v1/cases/${caseId}/referrals`, {
      toDepartmentId: dept('fukushi'), purpose: '家計の相談', legalBasis: 'CONSENT', share: { case: ['issues'], persons: [{ personId: mother, fields: ['name', 'address'] }] },
    });
    expect(toFukushi.status).toBe(201);
    const toKenko = await api.as('choju-counselor').post(`/api/v1/cases/${caseId}/referrals`, {
      toDepartmentId: dept('kenko'), purpose: '保健師の訪問', legalBasis: 'APPI_INTERNAL', legalBasisReason: '健康確認のため', share: { persons: [{ personId: son, fields: ['name', 'birthDate'] }] },
    });
    expect((await api.as('kenko-counselor').post(`/api/v1/referrals/${toKenko.body.id}/actions/decline`, { version: 1, reason: '所管外' })).status).toBe(200);
  });
  afterAll(() => t.close());

  const attach = (login: string, personId: string) =>
    api.as(login).post('/api/v1/cases', { title: '既知の人で開く', issues: ['poverty'], persons: [{ personId, relation: '本人' }] });
  const visibleFields = (person: Record<string, unknown>) => ALL_CASE_FIELDS.filter((f) => f in person).sort();

  it('lets each department name the mother only where it holds her, and shows exactly what it holds', async () => {
    const expected: Record<string, string[] | null> = {
      choju: [...ALL_CASE_FIELDS].sort(), // collected it all when it opened the case
      fukushi: ['address', 'name'], // disclosed by the referral, nothing more
      kenko: null,
      'kodomo-katei': null,
      'anshin-anzen': null,
      'chiiki-kyosei': null,
    };
    for (const [code, login] of Object.entries(WINDOWS)) {
      const casesBefore = await t.sql(`select count(*)::int n from cases`);
      const res = await attach(login, mother);
      if (expected[code] === null) {
        expect({ code, status: res.status }).toEqual({ code, status: 404 });
        expect(res.body.detail).toContain('見つかりません');
        expect(await t.sql(`select count(*)::int n from cases`)).toEqual(casesBefore);
        const [denied] = await t.sql(`select outcome, person_id from audit_log where action = 'person.attach' and actor_id = $1`, [accountId(login)]);
        expect(denied).toEqual({ outcome: 'denied', person_id: mother });
        continue;
      }
      expect({ code, status: res.status }).toEqual({ code, status: 201 });
      const read = await api.as(login).get(`/api/v1/cases/${res.body.id}`);
      expect({ code, fields: visibleFields(read.body.persons[0]) }).toEqual({ code, fields: expected[code] });
      expect(read.body.persons[0].withheldFields.sort()).toEqual(ALL_CASE_FIELDS.filter((f) => !expected[code]!.includes(f)).sort());
    }
  });

  it('never widens what an attached person shows: 福祉課 reads name and address, not phone or disability, on its own case', async () => {
    const own = await attach('fukushi-counselor', mother);
    const read = await api.as('fukushi-counselor').get(`/api/v1/cases/${own.body.id}`);
    const body = JSON.stringify(read.body);
    for (const secret of ['090-5555-0001', 'haha@example.jp', '身体障害2級', '心疾患', '1946-04-01']) expect(body).not.toContain(secret);
    const [row] = await t.sql(`select legal_basis, detail->'heldOn' as held_on from audit_log where action = 'case.read' and subject_id = $1 and person_id = $2`, [own.body.id, mother]);
    expect(row).toEqual({ legal_basis: 'CONSENT', held_on: ['CONSENT'] });
  });

  it('cannot pass on what it does not hold: 福祉課 sharing the mother’s phone is refused, with the reason', async () => {
    const own = await attach('fukushi-counselor', mother);
    const res = await api.as('fukushi-counselor').post(`/api/v1/cases/${own.body.id}/referrals`, {
      toDepartmentId: dept('kenko'), purpose: '訪問', legalBasis: 'APPI_INTERNAL', legalBasisReason: '健康確認が急がれるため', share: { persons: [{ personId: mother, fields: ['name', 'phone'] }] },
    });
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('phone');
    expect(await t.sql(`select count(*)::int n from referrals where case_id = $1`, [own.body.id])).toEqual([{ n: 0 }]);
  });

  it('ends a holding with a declined referral: 健康推進課 cannot name the son it turned away', async () => {
    expect((await attach('kenko-counselor', son)).status).toBe(404);
  });

  it('answers an unknown person id exactly like one held elsewhere', async () => {
    const unknown = await attach('kenko-counselor', '00000000-0000-4000-8000-000000000000');
    const elsewhere = await attach('kenko-counselor', mother);
    expect([unknown.status, unknown.body.detail]).toEqual([elsewhere.status, elsewhere.body.detail]);
  });

  it('shows a coordinator of another department only what was disclosed to it', async () => {
    await t.sql(`update cases set coordination_status = 'candidate' where id = $1`, [caseId]);
    const read = await api.as('kyosei-coordinator').get(`/api/v1/cases/${caseId}`);
    expect(read.status).toBe(200);
    for (const person of read.body.persons) expect(visibleFields(person)).toEqual([]);
  });
});

describe('DV等支援措置 in the register: keepers read the roster without the protected address and phone', () => {
  let t: TestApp;
  let api: ApiClient;
  const ADDRESS = '名簿秘匿町7-7-7';
  const PHONE = '090-7777-0007';

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t);
  });
  afterAll(() => t.close());

  it('shows 福祉課 the registered person with address and phone withheld on every roster view, and audits each as denied', async () => {
    const added = await api.as('choju-counselor').post('/api/v1/evacuation-support/entries', {
      source: 'request', person: { familyName: '保護', givenName: '名簿', birthDate: '1950-01-01', address: ADDRESS, phone: PHONE }, districtCode: 'A', facts: { careLevel: '要介護3' },
    });
    expect(added.status).toBe(201);
    const [{ person_id: personId }] = await t.sql<{ person_id: string }>(`select person_id from register_entries where id = $1`, [added.body.id]);
    await dvMeasureFixture(t, personId, [accountId('choju-counselor')]);
    expect((await api.as('fukushi-counselor').post(`/api/v1/evacuation-support/entries/${added.body.id}/actions/register`, { version: 1, provision: 'consent' })).status).toBe(200);
    const plan = await t.http().put(`/api/v1/evacuation-support/entries/${added.body.id}/plan`).set('Authorization', `Bearer ${await t.token('fukushi-counselor')}`)
      .send({ version: 0, personConsent: true, helperConsent: true, helper: { name: '隣 助', address: '本町', phone: '090-0000-0000' }, shelter: '小学校', route: '北へ' });
    expect(plan.status).toBe(200);
    const views = ['/roster', '/roster?district=A', '/roster.csv', `/roster/${personId}`, '/plans', '/entries', `/entries/${added.body.id}`];
    for (const login of ['fukushi-counselor', 'fukushi-manager']) {
      for (const view of views) {
        const res = await api.as(login).get(`/api/v1/evacuation-support${view}`);
        expect({ login, view, status: res.status }).toEqual({ login, view, status: 200 });
        const body = res.text ?? JSON.stringify(res.body);
        expect({ login, view, leaked: [ADDRESS, PHONE].filter((v) => body.includes(v)) }).toEqual({ login, view, leaked: [] });
      }
    }
    const single = await api.as('fukushi-counselor').get(`/api/v1/evacuation-support/roster/${personId}`);
    expect(single.body).toMatchObject({ name: { family: '保護', given: '名簿' }, address: null, phone: null, contactWithheld: true, withheldFields: ['address', 'phone'] });
    const [{ n }] = await t.sql(`select count(*)::int n from audit_log where action = 'person.read-contact' and outcome = 'denied' and person_id = $1 and actor_id = $2`, [personId, accountId('fukushi-counselor')]);
    expect(n).toBeGreaterThanOrEqual(views.length);
  });

  it('keeps the register to its purpose: its keepers cannot open a welfare case on a person known only from it', async () => {
    const { personId } = await registerFixture(t, 'tsunagi-city', 'B');
    expect((await api.as('fukushi-counselor').get(`/api/v1/evacuation-support/roster/${personId}`)).body).toMatchObject({ address: '本町1-1' });
    const opened = await api.as('fukushi-counselor').post('/api/v1/cases', { title: '名簿から', issues: ['poverty'], persons: [{ personId, relation: '本人' }] });
    expect(opened.status).toBe(404);
  });
});

describe('重層的支援会議: each person’s own consent, naming every member’s department', () => {
  let t: TestApp;
  let api: ApiClient;
  let coordinationId: string;
  let mother: string;
  let son: string;

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t);
    const opened = await api.as('choju-counselor').post('/api/v1/cases', {
      title: '同意のテスト', issues: ['care', 'hikikomori', '8050'],
      persons: [{ relation: '本人（母）', familyName: '同意', givenName: '母' }, { relation: '長男', familyName: '同意', givenName: '息子' }],
    });
    [mother, son] = opened.body.persons.map((p: { personId: string }) => p.personId);
    await api.as('choju-counselor').post(`/api/v1/cases/${opened.body.id}/consents`, { personId: mother, scope: ['basic', 'case'], recipientDepartmentIds: [dept('fukushi')], givenOn: '2026-11-20', method: 'written' });
    await t.sql(`update cases set coordination_status = 'candidate' where id = $1`, [opened.body.id]);
    const taken = await api.as('kyosei-coordinator').post('/api/v1/coordination/cases', { caseId: opened.body.id, reason: '8050のため' });
    expect(taken.status).toBe(201);
    coordinationId = taken.body.id;
  });
  afterAll(() => t.close());

  const meetingWith = async (logins: string[]) => {
    const meeting = await api.as('kyosei-coordinator').post('/api/v1/meetings', { kind: 'juso_kaigi', title: '重層的支援会議', heldOn: '2026-11-27' });
    for (const login of logins) await api.as('kyosei-coordinator').post(`/api/v1/meetings/${meeting.body.id}/members`, { staffId: accountId(login), confidentialityAcknowledged: true });
    return meeting.body.id as string;
  };
  const share = (meetingId: string, personId: string) => api.as('kyosei-coordinator').post(`/api/v1/meetings/${meetingId}/cases`, { coordinationCaseId: coordinationId, share: { case: ['issues'], persons: [{ personId, fields: ['name'] }] } });

  it('refuses the son, who never consented, though his mother did', async () => {
    const meetingId = await meetingWith(['fukushi-counselor']);
    const refused = await share(meetingId, son);
    expect(refused.status).toBe(422);
    expect(await t.sql(`select count(*)::int n from meeting_cases where meeting_id = $1`, [meetingId])).toEqual([{ n: 0 }]);
    expect((await share(meetingId, mother)).status).toBe(201);
  });

  it('refuses the mother where a member’s department is not among those her consent names', async () => {
    const meetingId = await meetingWith(['fukushi-counselor', 'kenko-counselor']);
    const refused = await share(meetingId, mother);
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain('すべての相手先');
    expect(await t.sql(`select count(*)::int n from disclosures where recipient_id = $1`, [meetingId])).toEqual([{ n: 0 }]);
  });
});
