import { accountId, departmentId } from '../../seeds/demo-data';
import { ApiClient } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import type { components, paths } from '../generated/api';

type ReferCaseBody = paths['/api/v1/cases/{id}/referrals']['post']['requestBody']['content']['application/json'];
type ActBody = paths['/api/v1/referrals/{id}/actions/{action}']['post']['requestBody']['content']['application/json'];
type ReferralAction = paths['/api/v1/referrals/{id}/actions/{action}']['post']['parameters']['path']['action'];

const dept = (code: string) => departmentId('tsunagi-city', code);
const DV_ADDRESS = '秘匿県秘匿市1-2-3';
const DV_PHONE = '090-0000-9999';

/**
 * The 8050 household from the issue: a 長寿課 counselor opens one case, refers the son's ひきこもり to
 * 健康推進課 and the finances to 福祉課; one accepts, one declines; she re-refers and sees the outcome.
 * The daughter, who fled DV, is in the household: her address must reach no one but her protectors.
 */
describe('包括的相談支援: the 8050 referral story', () => {
  let t: TestApp;
  let api: ApiClient;
  let caseId: string;
  let mother: string;
  let son: string;
  let daughter: string;
  let toFukushi: components['schemas']['ReferralSummary'];
  let toKenko: components['schemas']['ReferralSummary'];

  beforeAll(async () => {
    t = await startTestApp();
    api = new ApiClient(t);
  });
  afterAll(() => t.close());

  const choju = () => api.as('choju-counselor');
  /** The referral calls go through the client generated from the OpenAPI document: typed bodies and answers. */
  const as = (login: string) => api.typed(login);
  const refer = (body: ReferCaseBody) => as('choju-counselor').POST('/api/v1/cases/{id}/referrals', { params: { path: { id: caseId } }, body });
  const act = (login: string, id: string, action: ReferralAction, body: ActBody) => as(login).POST('/api/v1/referrals/{id}/actions/{action}', { params: { path: { id, action } }, body });
  const queue = (login: string, box: 'incoming' | 'outgoing') => as(login).GET('/api/v1/referrals', { params: { query: { box } } });
  const referral = (login: string, id: string) => as(login).GET('/api/v1/referrals/{id}', { params: { path: { id } } });

  it('opens one case for the household at the 長寿課 window', async () => {
    const res = await choju().post('/api/v1/cases', {
      title: '高齢の母と長期ひきこもりの息子（8050）',
      issues: ['care', 'hikikomori', 'poverty', '8050'],
      summary: '母80歳、要介護2。息子50歳、20年以上外出していない。年金のみで生活。',
      household: { name: '山田世帯' },
      persons: [
        { relation: '本人（母）', familyName: '山田', givenName: 'ハナ', familyNameKana: 'ヤマダ', givenNameKana: 'ハナ', birthDate: '1946-04-01', sex: 'female', address: 'つなぎ市本町1-1', phone: '0120-000-001', sensitive: { careLevel: '要介護2' } },
        { relation: '長男', familyName: '山田', givenName: '一郎', birthDate: '1976-06-10', sex: 'male', address: 'つなぎ市本町1-1', sensitive: { medicalHistory: '精神科受診歴あり（中断）' } },
        { relation: '長女（別居）', familyName: '山田', givenName: '花子', sex: 'female', address: DV_ADDRESS, phone: DV_PHONE, dvProtected: true },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: 'intake', version: 1, allowedActions: expect.arrayContaining(['start-assessment', 'refer', 'add-note']) });
    caseId = res.body.id;
    [mother, son, daughter] = res.body.persons.map((p: { personId: string }) => p.personId);
    await choju().post(`/api/v1/cases/${caseId}/actions/start-assessment`, { version: 1 }).then((r) => expect(r.status).toBe(200));
  });

  it('refuses an answer deadline more than a year ahead, naming the field, and writes nothing', async () => {
    const res = await refer({ toDepartmentId: dept('kenko'), purpose: '確認', legalBasis: 'APPI_INTERNAL', legalBasisReason: '庁内での支援調整のため', dueOn: '2099-12-31', share: { case: ['issues'] } });
    expect(res.response.status).toBe(400);
    expect(res.error?.errors).toEqual([expect.objectContaining({ field: 'body.dueOn', code: 'too_far' })]);
    expect(await t.sql(`select count(*)::int n from referrals where case_id = $1`, [caseId])).toEqual([{ n: 0 }]);
  });

  it('refers the household finances to 福祉課 on the mother’s consent, and the son’s ひきこもり to 健康推進課 on internal use', async () => {
    const consent = await choju().post(`/api/v1/cases/${caseId}/consents`, {
      personId: mother,
      scope: ['basic', 'contact', 'case'],
      recipientDepartmentIds: [dept('fukushi')],
      givenOn: '2026-11-20',
      method: 'written',
    });
    expect(consent.status).toBe(201);

    const fukushi = await refer({
      toDepartmentId: dept('fukushi'),
      purpose: '世帯の家計（生活困窮）について相談に乗ってください',
      legalBasis: 'CONSENT',
      share: { case: ['issues'], persons: [{ personId: mother, fields: ['name', 'address', 'phone'] }] },
    });
    expect(fukushi.response.status).toBe(201);
    expect(fukushi.data).toMatchObject({ state: 'proposed', toDepartmentId: dept('fukushi'), legalBasis: 'CONSENT', allowedActions: ['withdraw'] });
    toFukushi = fukushi.data!;

    const kenko = await refer({
      toDepartmentId: dept('kenko'),
      purpose: '息子さんのひきこもりについて保健師の訪問をお願いしたい',
      legalBasis: 'APPI_INTERNAL',
      legalBasisReason: '本人と連絡が取れず同意を得られないが、健康状態の確認が急がれるため庁内で共有する',
      share: { case: ['issues', 'summary'], persons: [{ personId: son, fields: ['name', 'birthDate', 'medicalHistory'] }] },
    });
    expect(kenko.response.status).toBe(201);
    toKenko = kenko.data!;

    const receipts = await t.sql(`select subject_type, person_id, fields, recipient_id, legal_basis from disclosures order by created_at, subject_type`);
    expect(receipts).toEqual(
      expect.arrayContaining([
        { subject_type: 'Person', person_id: mother, fields: ['name', 'address', 'phone'], recipient_id: dept('fukushi'), legal_basis: 'CONSENT' },
        { subject_type: 'Case', person_id: null, fields: ['issues'], recipient_id: dept('fukushi'), legal_basis: 'CONSENT' },
        { subject_type: 'Person', person_id: son, fields: ['name', 'birthDate', 'medicalHistory'], recipient_id: dept('kenko'), legal_basis: 'APPI_INTERNAL' },
        { subject_type: 'Case', person_id: null, fields: ['issues', 'summary'], recipient_id: dept('kenko'), legal_basis: 'APPI_INTERNAL' },
      ]),
    );
    expect(receipts).toHaveLength(4);
  });

  it('shows each receiver exactly what was shared with it, and nothing else of the case', async () => {
    const inbox = await queue('fukushi-counselor', 'incoming');
    expect(inbox.data?.items.map((r) => r.id)).toEqual([toFukushi.id]);
    expect(inbox.data?.items[0].allowedActions).toEqual(['accept', 'decline']);
    expect(inbox.data?.next).toBeNull();

    const seen = await referral('fukushi-counselor', toFukushi.id);
    expect(seen.response.status).toBe(200);
    expect(seen.data?.shared).toEqual({
      case: { issues: ['care', 'hikikomori', 'poverty', '8050'] },
      persons: [{ personId: mother, relation: '本人（母）', contactWithheld: false, withheldFields: [], name: { family: '山田', given: 'ハナ' }, address: 'つなぎ市本町1-1', phone: '0120-000-001' }],
    });
    expect(seen.data?.shared.persons[0]).not.toHaveProperty('careLevel');
    const caseRead = await api.as('fukushi-counselor').get(`/api/v1/cases/${caseId}`);
    expect(caseRead.status).toBe(404);
  });

  it('福祉課 accepts; 健康推進課 declines with a reason, and loses access', async () => {
    const accepted = await act('fukushi-counselor', toFukushi.id, 'accept', { version: toFukushi.version });
    expect(accepted.response.status).toBe(200);
    expect(accepted.data).toMatchObject({ state: 'accepted', version: 2, allowedActions: ['start'] });

    const noReason = await act('kenko-counselor', toKenko.id, 'decline', { version: 1 });
    expect(noReason.response.status).toBe(422);
    expect(noReason.error?.code).toBe('guard_failed');
    const declined = await act('kenko-counselor', toKenko.id, 'decline', {
      version: 1,
      reason: '当課の所管ではありません。地域共生推進課での多機関協働が適当と考えます。',
    });
    expect(declined.response.status).toBe(200);
    expect(declined.data?.state).toBe('declined');

    expect((await referral('kenko-counselor', toKenko.id)).response.status).toBe(404);
    expect((await queue('kenko-counselor', 'incoming')).data).toEqual({ items: [], next: null });
  });

  it('the 長寿課 counselor sees both answers in her case, re-refers, and gets 福祉課’s outcome back', async () => {
    const detail = await choju().get(`/api/v1/cases/${caseId}`);
    expect(detail.body.referrals).toEqual([
      expect.objectContaining({ id: toFukushi.id, state: 'accepted' }),
      expect.objectContaining({ id: toKenko.id, state: 'declined', declineReason: expect.stringContaining('多機関協働') }),
    ]);
    const outgoing = await queue('choju-counselor', 'outgoing');
    expect(outgoing.data?.items.find((r) => r.id === toKenko.id)).toMatchObject({ needsAttention: true });

    const again = await refer({
      toDepartmentId: dept('chiiki-kyosei'),
      purpose: '健康推進課から多機関協働が適当との回答。ご検討ください。',
      legalBasis: 'APPI_INTERNAL',
      legalBasisReason: '複数分野にまたがる課題のため庁内で支援調整する',
      share: { case: ['issues', 'summary'], persons: [{ personId: son, fields: ['name', 'birthDate'] }] },
    });
    expect(again.response.status).toBe(201);

    await act('fukushi-counselor', toFukushi.id, 'start', { version: 2 }).then((r) => expect(r.response.status).toBe(200));
    const done = await act('fukushi-counselor', toFukushi.id, 'complete', { version: 3, outcome: 'continuing', note: '生活困窮者自立支援の家計改善支援につないだ' });
    expect(done.response.status).toBe(200);
    expect(done.data).toMatchObject({ state: 'completed', outcome: 'continuing' });

    const closedLoop = await choju().get(`/api/v1/cases/${caseId}`);
    expect(closedLoop.body.referrals[0]).toMatchObject({ state: 'completed', outcome: 'continuing', outcomeNote: '生活困窮者自立支援の家計改善支援につないだ' });
    const timeline = await choju().get(`/api/v1/cases/${caseId}/timeline`);
    const steps = timeline.body.items;
    expect(steps.map((e: { type: string }) => e.type)).toEqual([
      'CaseOpened',
      'CaseAssessmentStarted',
      'ConsentRecorded',
      'ReferralProposed',
      'ReferralProposed',
      'ReferralAccepted',
      'ReferralDeclined',
      'ReferralProposed',
      'ReferralStarted',
      'ReferralCompleted',
    ]);
    expect(steps[6].text.ja).toBe('健康推進課がつなぎを辞退（理由: 当課の所管ではありません。地域共生推進課での多機関協働が適当と考えます。）');
    expect(steps[9].text.ja).toBe('福祉課が対応を完了: 支援継続（生活困窮者自立支援の家計改善支援につないだ）');
  });

  it('a 子ども家庭課 counselor with no part in the case cannot find it: not by id, not in any list', async () => {
    const outsider = api.as('kodomo-katei-counselor');
    expect((await outsider.get(`/api/v1/cases/${caseId}`)).status).toBe(404);
    expect((await outsider.get(`/api/v1/cases/${caseId}/timeline`)).status).toBe(404);
    expect((await outsider.get('/api/v1/cases')).body).toEqual({ items: [], next: null });
    expect((await queue('kodomo-katei-counselor', 'incoming')).data).toEqual({ items: [], next: null });
    expect((await referral('kodomo-katei-counselor', toFukushi.id)).response.status).toBe(404);
    const transition = await outsider.post(`/api/v1/cases/${caseId}/actions/close`, { version: 2, reason: 'x' });
    expect(transition.status).toBe(404);
    const denials = await t.sql(`select action, subject_id, outcome from audit_log where actor_id = $1 order by id`, [accountId('kodomo-katei-counselor')]);
    expect(denials).toEqual([
      { action: 'read', subject_id: caseId, outcome: 'denied' },
      { action: 'read', subject_id: caseId, outcome: 'denied' },
      { action: 'read', subject_id: toFukushi.id, outcome: 'denied' },
      { action: 'update', subject_id: caseId, outcome: 'denied' },
    ]);
  });

  it('records every read of personal data and every share with its legal basis', async () => {
    const shares = await t.sql(`select person_id, legal_basis, detail->>'toDepartmentId' as to from audit_log where action = 'referral.share' order by id`);
    expect(shares).toEqual([
      { person_id: mother, legal_basis: 'CONSENT', to: dept('fukushi') },
      { person_id: son, legal_basis: 'APPI_INTERNAL', to: dept('kenko') },
      { person_id: son, legal_basis: 'APPI_INTERNAL', to: dept('chiiki-kyosei') },
    ]);
    const receiverReads = await t.sql(`select actor_id, person_id, legal_basis from audit_log where action = 'referral.read' order by id`);
    expect(receiverReads).toEqual([{ actor_id: accountId('fukushi-counselor'), person_id: mother, legal_basis: 'CONSENT' }]);
    const caseReads = await t.sql(`select distinct person_id from audit_log where action = 'case.read' and actor_id = $1`, [accountId('choju-counselor')]);
    expect(caseReads.map((r) => r.person_id).sort()).toEqual([mother, son, daughter].sort());
  });

  it('never lets the DV-protected daughter’s address out: not to the manager, not in a referral', async () => {
    const asManager = await api.as('choju-manager').get(`/api/v1/cases/${caseId}`);
    expect(asManager.status).toBe(200);
    const seenDaughter = asManager.body.persons.find((p: { id: string }) => p.id === daughter);
    expect(seenDaughter).toMatchObject({ contactWithheld: true });
    expect(seenDaughter).not.toHaveProperty('address');
    expect(asManager.body.persons.find((p: { id: string }) => p.id === son)).not.toHaveProperty('medicalHistory');

    const share = await refer({
      toDepartmentId: dept('kodomo-katei'),
      purpose: '長女の状況確認',
      legalBasis: 'APPI_INTERNAL',
      legalBasisReason: '安全確認のため庁内で共有する',
      share: { persons: [{ personId: daughter, fields: ['name', 'address'] }] },
    });
    expect(share.response.status).toBe(403);
    const attempts = await t.sql(`select actor_id, action, outcome from audit_log where person_id = $1 and outcome = 'denied' order by id`, [daughter]);
    expect(attempts).toEqual([
      { actor_id: accountId('choju-manager'), action: 'person.read-contact', outcome: 'denied' },
      { actor_id: accountId('choju-counselor'), action: 'referral.share-contact', outcome: 'denied' },
    ]);

    // The opener is her protector; every other response of the whole story is scanned.
    for (const response of api.responses) {
      const leaks = response.body.includes(DV_ADDRESS) || response.body.includes(DV_PHONE);
      expect({ who: response.login, path: response.path, leaks }).toEqual({ who: response.login, path: response.path, leaks: response.login === 'choju-counselor' && response.path === `/api/v1/cases/${caseId}` && leaks });
    }
    const protector = await choju().get(`/api/v1/cases/${caseId}`);
    expect(protector.body.persons.find((p: { id: string }) => p.id === daughter)).toMatchObject({ address: DV_ADDRESS, phone: DV_PHONE, contactWithheld: false });
    expect(api.responses.some((r) => r.login !== 'choju-counselor' && r.body.includes('山田'))).toBe(true);
  });
});
