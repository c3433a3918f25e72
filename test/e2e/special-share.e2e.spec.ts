import { accountId, departmentId } from '../../seeds/demo-data';
import { addBusinessDays } from '../../src/platform/calendar/business-days';
import { todayInJapan } from '../../src/platform/calendar/today';
import { dvMeasureFixture, staffFixture } from '../support/fixtures';
import { expectStablePaging } from '../support/paging';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import type { paths } from '../generated/api';

type ReferCaseBody = paths['/api/v1/cases/{id}/referrals']['post']['requestBody']['content']['application/json'];
type ActBody = paths['/api/v1/referrals/{id}/actions/{action}']['post']['requestBody']['content']['application/json'];
type ReferralAction = paths['/api/v1/referrals/{id}/actions/{action}']['post']['parameters']['path']['action'];

const CITY = 'tsunagi-city';
const dept = (code: string) => departmentId(CITY, code);
const SPECIAL_REASON = '本人の生命を守るため、特別の理由により健康推進課へ病歴を提供する';

/**
 * 要配慮個人情報 on special grounds (個保法69条②4, APPI_SPECIAL): a 長寿課 counselor prepares the share of
 * a mother's care level and medical history to 健康推進課; nothing leaves until 長寿課's manager approves
 * (or returns it with a reason); the receipt names the approval.
 */
describe('要配慮個人情報 shares on special grounds (APPI_SPECIAL)', () => {
  let t: TestApp;
  let caseId: string;
  let mother: string;
  let shareId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const opened = await t.api('choju-counselor').POST('/api/v1/cases', {
      body: {
        title: '独居の母、通院中断',
        issues: ['care'],
        persons: [{ relation: '本人', familyName: '特別', givenName: '花', birthDate: '1948-02-03', sex: 'female', address: 'つなぎ市本町2-2', sensitive: { careLevel: '要介護3', medicalHistory: '糖尿病（通院中断）' } }],
      },
    });
    expect(opened.response.status).toBe(201);
    caseId = opened.data!.id;
    mother = opened.data!.persons[0].personId;
  });
  afterAll(() => t.close());

  const as = (login: string) => t.api(login);
  const special = (overrides: Partial<ReferCaseBody> = {}): ReferCaseBody => ({
    toDepartmentId: dept('kenko'),
    purpose: '通院再開の支援',
    legalBasis: 'APPI_SPECIAL',
    legalBasisReason: SPECIAL_REASON,
    share: { case: ['issues'], persons: [{ personId: mother, fields: ['name', 'careLevel', 'medicalHistory'] }] },
    ...overrides,
  });
  const prepare = (body = special()) => as('choju-counselor').POST('/api/v1/cases/{id}/referrals', { params: { path: { id: caseId } }, body });
  const act = (login: string, id: string, action: ReferralAction, body: ActBody, ifMatch?: string) =>
    as(login).POST('/api/v1/referrals/{id}/actions/{action}', { params: { path: { id, action }, ...(ifMatch ? { header: { 'if-match': ifMatch } } : {}) }, body } as never);
  const get = (login: string, id: string) => as(login).GET('/api/v1/referrals/{id}', { params: { path: { id } } });
  const box = (login: string, which: 'incoming' | 'outgoing' | 'awaiting-approval', cursor?: string, limit?: number) =>
    as(login).GET('/api/v1/referrals', { params: { query: { box: which, cursor, limit } } });
  const receipts = (id: string) => t.sql(`select disclosed_by, approved_by, approved_at is not null as approved, legal_basis, fields from disclosures where referral_id = $1 order by subject_type`, [id]);
  /** What a refusal must leave untouched: the referral, its receipts and its events. */
  const written = async (id: string) => ({
    referral: await t.sql(`select state, version, return_reason, approved_by from referrals where id = $1`, [id]),
    receipts: await t.sql(`select count(*)::int n from disclosures where referral_id = $1`, [id]),
    events: await t.sql(`select count(*)::int n from domain_events where aggregate_id = $1`, [id]),
  });

  it('prepares the share without sending it: awaiting approval, no receipt, nothing for the receiver', async () => {
    const res = await prepare();
    expect(res.response.status).toBe(201);
    expect(res.data).toMatchObject({ state: 'awaiting_approval', version: 1, legalBasis: 'APPI_SPECIAL', approvedBy: null, overdue: false, allowedActions: ['withdraw'] });
    shareId = res.data!.id;
    expect(await receipts(shareId)).toEqual([]);
    expect(await t.sql(`select type from domain_events where aggregate_id = $1`, [shareId])).toEqual([{ type: 'ReferralPrepared' }]);
    expect(await t.sql(`select action, legal_basis from audit_log where subject_id = $1`, [shareId])).toEqual([{ action: 'referral.prepare', legal_basis: 'APPI_SPECIAL' }]);

    expect((await get('kenko-counselor', shareId)).response.status).toBe(404);
    expect((await box('kenko-counselor', 'incoming')).data!.items.map((r) => r.id)).not.toContain(shareId);
    // 健康推進課 holds nothing of her yet: naming her in a case of its own is refused (not held).
    const attach = await as('kenko-counselor').POST('/api/v1/cases', { body: { title: '確認', issues: ['care'], persons: [{ relation: '本人', personId: mother }] } });
    expect(attach.response.status).toBe(404);
  });

  it('lists it in the manager’s approval box only, with what the manager may do', async () => {
    const managerBox = await box('choju-manager', 'awaiting-approval');
    expect(managerBox.data!.items).toEqual([expect.objectContaining({ id: shareId, state: 'awaiting_approval', allowedActions: ['approve', 'return'] })]);
    for (const login of ['choju-counselor', 'kenko-counselor', 'fukushi-manager']) expect((await box(login, 'awaiting-approval')).data!.items).toEqual([]);
    expect((await get('choju-manager', shareId)).data!.shared.persons[0]).toMatchObject({ careLevel: '要介護3', medicalHistory: '糖尿病（通院中断）' });
  });

  describe('refusals write nothing', () => {
    it.each([
      ['the preparing counselor approving (not a manager): 403', 'choju-counselor', 'approve', { version: 1 }, 403, 'forbidden'],
      ['a counselor of another department: 404', 'fukushi-counselor', 'approve', { version: 1 }, 404, 'not_found'],
      ['the receiving department, which cannot see it yet: 404', 'kenko-counselor', 'accept', { version: 1 }, 404, 'not_found'],
      ['a manager of another department: 404', 'fukushi-manager', 'approve', { version: 1 }, 404, 'not_found'],
      ['a stale version: 409', 'choju-manager', 'approve', { version: 7 }, 409, 'version_conflict'],
      ['a return without a reason: 422', 'choju-manager', 'return', { version: 1, reason: '  ' }, 422, 'guard_failed'],
      ['a revision outside a resubmission: 400', 'choju-manager', 'approve', { version: 1, purpose: '書換え' }, 400, 'validation_failed'],
      ['a resubmission of a share not returned: 409', 'choju-counselor', 'resubmit', { version: 1 }, 409, 'transition_not_allowed'],
    ] as const)('%s', async (_name, login, action, body, status, code) => {
      const before = await written(shareId);
      const res = await act(login, shareId, action, body as ActBody);
      expect({ status: res.response.status, code: (res.error as { code?: string } | undefined)?.code }).toEqual({ status, code });
      expect(await written(shareId)).toEqual(before);
    });

    it('refuses a manager approving a share they prepared themselves: 422, naming the rule', async () => {
      await staffFixture(t, CITY, 'choju-both', [{ role: 'counselor', department: 'choju' }, { role: 'manager', department: 'choju' }]);
      const token = bearer(await t.token('choju-both', { tenant: CITY }));
      const own = await t.http().post(`/api/v1/cases/${caseId}/referrals`).set(token).send(special());
      expect(own.status).toBe(201);
      expect(own.body.allowedActions).toEqual(['return', 'withdraw']);
      const before = await written(own.body.id);
      const res = await t.http().post(`/api/v1/referrals/${own.body.id}/actions/approve`).set(token).send({ version: 1 });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'guard_failed', guards: ['notByPreparer'] });
      expect(await written(own.body.id)).toEqual(before);
      // Their own box does not offer it; another manager's does.
      expect((await t.http().get('/api/v1/referrals?box=awaiting-approval').set(token)).body.items.map((r: { id: string }) => r.id)).not.toContain(own.body.id);
      expect((await box('choju-manager', 'awaiting-approval')).data!.items.map((r) => r.id)).toContain(own.body.id);
      await act('choju-manager', own.body.id, 'return', { version: 1, reason: '別の根拠を検討してください' });
    });

    it('refuses a manager approving a share they revised: a resubmission makes them a preparer too', async () => {
      await staffFixture(t, CITY, 'choju-reviser', [{ role: 'counselor', department: 'choju' }, { role: 'manager', department: 'choju' }]);
      const token = bearer(await t.token('choju-reviser', { tenant: CITY }));
      const prepared = (await prepare()).data!;
      await act('choju-manager', prepared.id, 'return', { version: 1, reason: '根拠を見直してください' });
      expect((await t.http().post(`/api/v1/referrals/${prepared.id}/actions/resubmit`).set(token).send({ version: 2, purpose: '通院再開の支援（見直し）' })).status).toBe(200);
      expect((await t.http().get('/api/v1/referrals?box=awaiting-approval').set(token)).body.items.map((r: { id: string }) => r.id)).not.toContain(prepared.id);
      const before = await written(prepared.id);
      const res = await t.http().post(`/api/v1/referrals/${prepared.id}/actions/approve`).set(token).send({ version: 3 });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'guard_failed', guards: ['notByPreparer'] });
      expect(await written(prepared.id)).toEqual(before);
      await act('choju-counselor', prepared.id, 'withdraw', { version: 3 });
    });
  });

  it('goes back to the counselor with the reason, who revises and resubmits it', async () => {
    const returned = await act('choju-manager', shareId, 'return', { version: 1, reason: '病歴は不要です。要介護度のみにしてください。' }, '"1"');
    expect(returned.data).toMatchObject({ state: 'returned', version: 2, returnReason: '病歴は不要です。要介護度のみにしてください。', needsAttention: true, allowedActions: [] });
    expect((await get('choju-counselor', shareId)).data).toMatchObject({ state: 'returned', allowedActions: ['resubmit', 'withdraw'] });
    expect((await get('kenko-counselor', shareId)).response.status).toBe(404);
    expect(await receipts(shareId)).toEqual([]);

    const resubmitted = await act('choju-counselor', shareId, 'resubmit', { version: 2, share: { case: ['issues'], persons: [{ personId: mother, fields: ['name', 'careLevel'] }] } });
    expect(resubmitted.data).toMatchObject({ state: 'awaiting_approval', version: 3, returnReason: null, allowedActions: ['withdraw'] });
    const revised = (await get('choju-manager', shareId)).data!.shared.persons[0];
    expect(revised).toMatchObject({ personId: mother, careLevel: '要介護3' });
    expect(revised.medicalHistory).toBeUndefined();
  });

  it('leaves on the manager’s approval: the receiver sees the 要配慮 fields, the receipt names the approver, deadlines start now', async () => {
    const approved = await act('choju-manager', shareId, 'approve', {}, '"3"');
    expect(approved.response.status).toBe(200);
    const dueOn = addBusinessDays(todayInJapan(), 5);
    expect(approved.data).toMatchObject({ state: 'proposed', version: 4, approvedBy: accountId('choju-manager'), approvedAt: expect.any(String), dueOn, expiresOn: addBusinessDays(dueOn, 3) });

    expect(await receipts(shareId)).toEqual([
      { disclosed_by: accountId('choju-counselor'), approved_by: accountId('choju-manager'), approved: true, legal_basis: 'APPI_SPECIAL', fields: ['issues'] },
      { disclosed_by: accountId('choju-counselor'), approved_by: accountId('choju-manager'), approved: true, legal_basis: 'APPI_SPECIAL', fields: ['name', 'careLevel'] },
    ]);
    const types = await t.sql(`select type from domain_events where aggregate_id = $1 order by id`, [shareId]);
    expect(types.map((r) => r.type)).toEqual(['ReferralPrepared', 'ReferralReturned', 'ReferralResubmitted', 'ReferralApproved']);
    const actions = await t.sql(`select action, person_id from audit_log where subject_id = $1 and outcome = 'allowed' order by id`, [shareId]);
    expect(actions.slice(-2)).toEqual([{ action: 'referral.approve', person_id: null }, { action: 'referral.share', person_id: mother }]);

    expect((await box('kenko-counselor', 'incoming')).data!.items.map((r) => r.id)).toContain(shareId);
    const seen = await get('kenko-counselor', shareId);
    expect(seen.data).toMatchObject({ state: 'proposed', approvedBy: accountId('choju-manager'), allowedActions: ['accept', 'decline'] });
    expect(seen.data!.shared.persons[0]).toMatchObject({ personId: mother, careLevel: '要介護3' });
    expect(seen.data!.shared.persons[0].medicalHistory).toBeUndefined();
    expect((await box('choju-manager', 'awaiting-approval')).data!.items.map((r) => r.id)).not.toContain(shareId);

    const report = await t.http().get(`/api/v1/audit/persons/${mother}`).set(bearer(await t.token('auditor')));
    expect(report.body.disclosures.items).toContainEqual(expect.objectContaining({ legalBasis: 'APPI_SPECIAL', approvedBy: accountId('choju-manager'), approvedAt: expect.any(String) }));
  });

  it('can be withdrawn by the counselor before it leaves, with no receipt', async () => {
    const prepared = await prepare();
    const withdrawn = await act('choju-counselor', prepared.data!.id, 'withdraw', { version: 1, reason: '本人と連絡が取れたため' });
    expect(withdrawn.data).toMatchObject({ state: 'withdrawn', allowedActions: [] });
    expect(await receipts(prepared.data!.id)).toEqual([]);
  });

  it('refuses to let a prepared address leave once the person is put under DV等支援措置, writing nothing', async () => {
    const prepared = await prepare(special({ share: { persons: [{ personId: mother, fields: ['name', 'address'] }] } }));
    expect(prepared.response.status).toBe(201);
    const measure = await dvMeasureFixture(t, mother, [accountId('choju-counselor')]);
    try {
      const before = await written(prepared.data!.id);
      const res = await act('choju-manager', prepared.data!.id, 'approve', { version: 1 });
      expect({ status: res.response.status, code: (res.error as { code?: string }).code }).toEqual({ status: 403, code: 'forbidden' });
      expect(await written(prepared.data!.id)).toEqual(before);
    } finally {
      await t.sql(`delete from dv_measures where id = $1`, [measure]);
    }
    await act('choju-counselor', prepared.data!.id, 'withdraw', { version: 1 });
  });

  it('pages the approval box stably while shares are prepared', async () => {
    for (let i = 0; i < 3; i++) await prepare();
    await expectStablePaging({
      page: async (cursor, limit) => (await box('choju-manager', 'awaiting-approval', cursor, limit)).data,
      insert: async () => (await prepare()).data!.id,
    });
  });
});
