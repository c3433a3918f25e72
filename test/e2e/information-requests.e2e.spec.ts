import { CommandBus } from '@nestjs/cqrs';
import { accountId, departmentId } from '../../seeds/demo-data';
import { todayInJapan } from '../../src/platform/calendar/today';
import { staffFixture } from '../support/fixtures';
import { SweepInformationRequestsCommand } from '../../src/modules/information-requests/commands/sweep-information-requests';
import { ApiClient } from '../support/api-client';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

const dept = (code: string) => departmentId('tsunagi-city', code);
const ASKER = 'kodomo-katei-counselor';

/**
 * 情報照会: 子ども家庭課 asks 長寿課, which collected a mother's record, for named field groups; what 長寿課
 * approves (possibly fewer) becomes exactly what 子ども家庭課 holds, with a receipt; declines, withdrawals and
 * expiry disclose nothing; a refused action leaves nothing but its audit row.
 */
describe('information requests (情報照会)', () => {
  let t: TestApp;
  let api: ApiClient;
  let mother: string;

  const ask = (body: Record<string, unknown> = {}) =>
    api.as(ASKER).post('/api/v1/information-requests', {
      personId: mother,
      toDepartmentId: dept('choju'),
      groups: ['basic', 'contact'],
      purpose: '子の相談で母の状況を確認するため',
      legalBasis: 'APPI_INTERNAL',
      legalBasisReason: '庁内での支援調整のため',
      ...body,
    });
  const act = (login: string, id: string, action: string, body: Record<string, unknown>) => api.as(login).post(`/api/v1/information-requests/${id}/actions/${action}`, body);
  const receipts = (requestId: string) => t.sql<{ fields: string[]; recipient_id: string; legal_basis: string }>(`select fields, recipient_id, legal_basis from disclosures where information_request_id = $1`, [requestId]);
  const counts = async () =>
    (
      await t.sql<Record<string, string>>(
        `select (select count(*) from disclosures) as disclosures, (select count(*) from domain_events) as events, (select count(*) from audit_log) as audit,
                (select coalesce(sum(version), 0) from information_requests) as versions, (select count(*) from case_persons) as links`,
      )
    )[0];

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t);
    const opened = await api.as('choju-counselor').post('/api/v1/cases', {
      title: '高齢の母の見守り',
      issues: ['care'],
      persons: [{ relation: '本人', familyName: '川口', givenName: '澄子', birthDate: '1950-02-03', address: 'つなぎ市川町2-2', phone: '090-2222-3333' }],
    });
    expect(opened.status).toBe(201);
    mother = opened.body.persons[0].personId;
  });
  afterAll(() => t.close());

  it('story: 長寿課 approves only basic; 子ども家庭課 then holds exactly basic, with a receipt, and the person joins its case', async () => {
    expect((await api.as(ASKER).get(`/api/v1/people/${mother}`)).status).toBe(404);
    const own = await api.as(ASKER).post('/api/v1/cases', { title: '子の相談', issues: ['poverty'], persons: [{ relation: '本人', familyName: '川口', givenName: '翔' }] });
    expect(own.status).toBe(201);
    const asked = await ask({ caseId: own.body.id, relation: '母' });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ state: 'requested', fromDepartmentId: dept('kodomo-katei'), toDepartmentId: dept('choju'), requestedGroups: ['basic', 'contact'], allowedActions: ['withdraw'] });

    const incoming = await api.as('choju-counselor').get('/api/v1/information-requests?box=incoming');
    expect(incoming.body.items.map((r: { id: string }) => r.id)).toContain(asked.body.id);
    expect(incoming.body.items.find((r: { id: string }) => r.id === asked.body.id).allowedActions).toEqual(['approve', 'decline']);
    const outgoing = await api.as(ASKER).get('/api/v1/information-requests?box=outgoing');
    expect(outgoing.body.items.map((r: { id: string }) => r.id)).toContain(asked.body.id);

    const approved = await act('choju-counselor', asked.body.id, 'approve', { version: asked.body.version, groups: ['basic'] });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'approved', approvedGroups: ['basic'], approvedFields: ['name', 'kana', 'birthDate', 'sex'], allowedActions: [] });
    expect(await receipts(asked.body.id)).toEqual([{ fields: ['name', 'kana', 'birthDate', 'sex'], recipient_id: dept('kodomo-katei'), legal_basis: 'APPI_INTERNAL' }]);

    const seen = await api.as(ASKER).get(`/api/v1/people/${mother}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ name: { family: '川口', given: '澄子' }, birthDate: '1950-02-03', address: null, phone: null });
    expect(seen.body.withheldFields).toEqual(expect.arrayContaining(['address', 'phone', 'email']));
    const read = await t.sql<{ legal_basis: string }>(`select legal_basis from audit_log where action = 'person.read' and request_id = $1`, [seen.headers['x-request-id']]);
    expect(read).toEqual([{ legal_basis: 'APPI_INTERNAL' }]);
    const links = await t.sql<{ relation: string }>(`select relation from case_persons where case_id = $1 and person_id = $2`, [own.body.id, mother]);
    expect(links).toEqual([{ relation: '母' }]);
  });

  it('declines with a reason: nothing disclosed, and the decline needs the reason', async () => {
    const asked = await ask();
    expect((await act('choju-manager', asked.body.id, 'decline', { version: 1 })).status).toBe(422);
    const declined = await act('choju-manager', asked.body.id, 'decline', { version: 1, reason: '目的に照らして必要性が確認できないため' });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ state: 'declined', declineReason: '目的に照らして必要性が確認できないため', approvedFields: null });
    expect(await receipts(asked.body.id)).toEqual([]);
    expect((await act('choju-counselor', asked.body.id, 'approve', { version: declined.body.version })).status).toBe(409);
  });

  it('expires unanswered after its last day, by the sweep', async () => {
    const asked = await ask();
    const after = new Date(Date.parse(asked.body.expiresOn) + 86_400_000).toISOString().slice(0, 10);
    expect(await t.app.get(CommandBus).execute(new SweepInformationRequestsCommand(asked.body.expiresOn))).toEqual({ expired: 0 });
    const swept = await t.app.get(CommandBus).execute(new SweepInformationRequestsCommand(after));
    expect(swept.expired).toBeGreaterThanOrEqual(1);
    const now = await api.as(ASKER).get(`/api/v1/information-requests/${asked.body.id}`);
    expect(now.body).toMatchObject({ state: 'expired', allowedActions: [] });
    expect(await receipts(asked.body.id)).toEqual([]);
  });

  it('refuses what it must, writing nothing but the refusal’s audit row', async () => {
    const asked = await ask();
    // The requester cannot approve its own request (it sees it, so 403, audited).
    const before = await counts();
    const self = await act(ASKER, asked.body.id, 'approve', { version: 1 });
    expect(self.status).toBe(403);
    const after = await counts();
    expect({ ...after, audit: before.audit }).toEqual(before);
    expect(Number(after.audit)).toBe(Number(before.audit) + 1);
    const denied = await t.sql<{ outcome: string }>(`select outcome from audit_log where request_id = $1`, [self.headers['x-request-id']]);
    expect(denied).toEqual([{ outcome: 'denied' }]);
    // More than was asked for is refused (422), and nothing is written.
    const narrow = await ask({ groups: ['basic'] });
    const beforeWide = await counts();
    expect((await act('choju-counselor', narrow.body.id, 'approve', { version: 1, groups: ['basic', 'contact'] })).status).toBe(422);
    expect(await counts()).toEqual(beforeWide);
    // Withdrawn by the requester: the holder can no longer act.
    const withdrawn = await act(ASKER, asked.body.id, 'withdraw', { version: 1 });
    expect(withdrawn.body.state).toBe('withdrawn');
    expect((await act('choju-counselor', asked.body.id, 'approve', { version: withdrawn.body.version })).status).toBe(409);
  });

  it('answers one 404 for a department that does not hold the person, an unknown and another municipality’s person, writing nothing; 404 for unknown or foreign requests', async () => {
    const foreign = (await api.as('other-city-counselor').post('/api/v1/cases', { title: '隣町', issues: ['care'], persons: [{ relation: '本人', familyName: '隣', givenName: '町子' }] })).body.persons[0].personId;
    const before = await counts();
    // The answer without what differs per request: the three must be indistinguishable.
    const answer = ({ status, body }: { status: number; body: Record<string, unknown> }) => ({ status, body: { ...body, requestId: undefined } });
    const notHeld = answer(await ask({ toDepartmentId: dept('fukushi') }));
    expect(notHeld).toMatchObject({ status: 404, body: { detail: expect.stringMatching(/見つかりません/) } });
    expect(answer(await ask({ personId: '00000000-0000-4000-8000-000000000001', toDepartmentId: dept('fukushi') }))).toEqual(notHeld);
    expect(answer(await ask({ personId: foreign, toDepartmentId: dept('fukushi') }))).toEqual(notHeld);
    expect({ ...(await counts()), audit: before.audit }).toEqual(before);
    expect((await ask({ toDepartmentId: dept('kodomo-katei') })).status).toBe(422);
    expect((await api.as(ASKER).get('/api/v1/information-requests/00000000-0000-4000-8000-000000000002')).status).toBe(404);
    const asked = await ask();
    expect((await api.as('fukushi-counselor').get(`/api/v1/information-requests/${asked.body.id}`)).status).toBe(404);
    expect((await api.as('other-city-counselor').get(`/api/v1/information-requests/${asked.body.id}`)).status).toBe(404);
  });

  describe('each legal basis, as share-bases.ts decides it (domain.md §5)', () => {
    const today = todayInJapan();
    const approve = (login: string, id: string, groups: string[]) => act(login, id, 'approve', { version: 1, groups });

    it('CONSENT: approved only on the person’s standing consent naming the asker for the groups disclosed; withdrawal stops it; nothing written when refused', async () => {
      const asked = await ask({ legalBasis: 'CONSENT', legalBasisReason: undefined });
      expect(asked.status).toBe(201);
      const before = await counts();
      const none = await approve('choju-counselor', asked.body.id, ['basic']);
      expect(none.status).toBe(422);
      expect(none.body.detail).toMatch(/本人同意/);
      const en = await api.as('choju-counselor').post(`/api/v1/information-requests/${asked.body.id}/actions/approve`, { version: 1, groups: ['basic'] }, { 'Accept-Language': 'en' });
      expect(en.body.detail).toMatch(/consent/);
      expect(await counts()).toEqual(before);

      const consent = await api.as('choju-counselor').post(`/api/v1/people/${mother}/consents`, {
        recipients: [{ type: 'department', departmentId: dept('kodomo-katei') }], fieldGroups: ['basic'], purpose: '子の相談のため', givenOn: today, method: 'written',
      });
      expect(consent.status).toBe(201);
      const wider = await counts();
      expect((await approve('choju-counselor', asked.body.id, ['basic', 'contact'])).status).toBe(422);
      expect(await counts()).toEqual(wider);
      const approved = await approve('choju-counselor', asked.body.id, ['basic']);
      expect(approved.status).toBe(200);
      expect(await receipts(asked.body.id)).toEqual([{ fields: ['name', 'kana', 'birthDate', 'sex'], recipient_id: dept('kodomo-katei'), legal_basis: 'CONSENT' }]);

      const next = await ask({ legalBasis: 'CONSENT', legalBasisReason: undefined, groups: ['basic'] });
      const withdrawn = await api.as('choju-counselor').post(`/api/v1/people/${mother}/consents/${consent.body.id}/actions/withdraw`, { version: 1, withdrawnOn: today, reason: '本人の申出' });
      expect(withdrawn.status).toBe(200);
      const after = await counts();
      expect((await approve('choju-counselor', next.body.id, ['basic'])).status).toBe(422);
      expect(await counts()).toEqual(after);
      expect(await receipts(next.body.id)).toEqual([]);
    });

    it('APPI_PUBLIC_BODY only between separate bodies (教育委員会), APPI_INTERNAL only within one: 422 ja/en otherwise, nothing written', async () => {
      await staffFixture(t, 'tsunagi-city', 'kyoiku-counselor', [{ role: 'counselor', department: 'kyoiku-somu' }]);
      const before = await counts();
      const within = await ask({ legalBasis: 'APPI_PUBLIC_BODY' });
      expect(within.status).toBe(422);
      expect(within.body.detail).toMatch(/別の機関/);
      // 教育総務課 belongs to the 教育委員会, a body of its own (a staff member provisioned for the test).
      const fromBoard = async (body: Record<string, unknown>, language = 'ja') =>
        t.http().post('/api/v1/information-requests').set(bearer(await t.token('kyoiku-counselor', { tenant: 'tsunagi-city' }))).set('Accept-Language', language)
          .send({ personId: mother, toDepartmentId: dept('choju'), groups: ['basic'], purpose: '就学支援のため', legalBasisReason: '教育委員会の法定事務のため', ...body });
      const internal = await fromBoard({ legalBasis: 'APPI_INTERNAL' });
      expect(internal.status).toBe(422);
      expect(internal.body.detail).toMatch(/教育委員会/);
      expect((await fromBoard({ legalBasis: 'APPI_INTERNAL' }, 'en')).body.detail).toMatch(/separate bodies/);
      expect({ ...(await counts()), audit: before.audit }).toEqual(before);

      const provided = await fromBoard({ legalBasis: 'APPI_PUBLIC_BODY' });
      expect(provided.status).toBe(201);
      expect((await approve('choju-counselor', provided.body.id, ['basic'])).status).toBe(200);
      expect(await receipts(provided.body.id)).toEqual([{ fields: ['name', 'kana', 'birthDate', 'sex'], recipient_id: dept('kyoiku-somu'), legal_basis: 'APPI_PUBLIC_BODY' }]);
    });

    it('holds a referral to the same rule: 長寿課 refers to 教育総務課 on APPI_PUBLIC_BODY, never on APPI_INTERNAL (422, nothing written)', async () => {
      const opened = await api.as('choju-counselor').post('/api/v1/cases', { title: '就学の相談', issues: ['care'], persons: [{ relation: '本人', familyName: '教育', givenName: '連携' }] });
      const refer = (legalBasis: string) =>
        api.as('choju-counselor').post(`/api/v1/cases/${opened.body.id}/referrals`, { toDepartmentId: dept('kyoiku-somu'), purpose: '就学支援', legalBasis, legalBasisReason: '教育委員会の法定事務のため', share: { case: ['issues'] } });
      const count = async () => (await t.sql(`select count(*)::int as n from referrals where case_id = $1`, [opened.body.id]))[0];
      const internal = await refer('APPI_INTERNAL');
      expect(internal.status).toBe(422);
      expect(internal.body.detail).toMatch(/教育委員会/);
      expect(await count()).toEqual({ n: 0 });
      expect((await refer('APPI_PUBLIC_BODY')).status).toBe(201);
      expect(await count()).toEqual({ n: 1 });
    });

    it('APPI_SPECIAL: only the holding department’s manager approves (a counselor may decline, 403 to approve), and the receipt names the approval', async () => {
      const asked = await ask({ legalBasis: 'APPI_SPECIAL', groups: ['basic'], legalBasisReason: '本人の生命の保護のため緊急に必要' });
      expect(asked.status).toBe(201);
      expect((await api.as('choju-counselor').get(`/api/v1/information-requests/${asked.body.id}`)).body.allowedActions).toEqual(['decline']);
      expect((await api.as('choju-manager').get(`/api/v1/information-requests/${asked.body.id}`)).body.allowedActions).toEqual(['approve', 'decline']);
      const before = await counts();
      expect((await approve('choju-counselor', asked.body.id, ['basic'])).status).toBe(403);
      expect({ ...(await counts()), audit: before.audit }).toEqual(before);
      expect((await approve('choju-manager', asked.body.id, ['basic'])).status).toBe(200);
      const [receipt] = await t.sql<{ legal_basis: string; approved_by: string; approved_at: Date | null }>(`select legal_basis, approved_by, approved_at from disclosures where information_request_id = $1`, [asked.body.id]);
      expect(receipt).toMatchObject({ legal_basis: 'APPI_SPECIAL', approved_by: accountId('choju-manager'), approved_at: expect.any(Date) });
    });

    it('needs a reason for every basis but consent (400)', async () => {
      expect((await ask({ legalBasis: 'APPI_INTERNAL', legalBasisReason: undefined })).status).toBe(400);
    });
  });

  it('names the person as the intake check does (it gives no id): exactly one record the asked department holds, else 422, nothing written', async () => {
    const terms = { familyName: '川口', givenName: '澄子', birthDate: '1950-02-03' };
    const check = await api.as(ASKER).post('/api/v1/people/intake-checks', { ...terms, reason: '子の相談で母の支援状況を確認' });
    expect(check.body).toMatchObject({ known: true, departments: expect.arrayContaining([expect.objectContaining({ code: 'choju' })]) });
    expect(JSON.stringify(check.body)).not.toContain(mother);
    const named = await ask({ personId: undefined, person: terms });
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ personId: mother, toDepartmentId: dept('choju'), state: 'requested' });

    const before = await counts();
    for (const body of [{ person: terms }, { personId: undefined }, { personId: undefined, person: { familyName: '川口', birthDate: '1950-02-03' } }]) {
      expect([body, (await ask(body)).status]).toEqual([body, 400]);
    }
    const elsewhere = await ask({ personId: undefined, person: terms, toDepartmentId: dept('fukushi') });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.detail).toMatch(/1人に特定できません/);
    expect((await ask({ personId: undefined, person: { ...terms, birthDate: '1950-02-04' } })).body.detail).toEqual(elsewhere.body.detail);
    expect({ ...(await counts()), audit: before.audit }).toEqual(before);
    // A second record by the same terms at the same department: the terms no longer name one person.
    expect((await api.as('choju-counselor').post('/api/v1/cases', { title: '同姓同名', issues: ['care'], persons: [{ relation: '本人', ...terms }] })).status).toBe(201);
    const twice = await ask({ personId: undefined, person: terms });
    expect(twice.status).toBe(422);
    expect(twice.body.detail).toEqual(elsewhere.body.detail);
  });
});
