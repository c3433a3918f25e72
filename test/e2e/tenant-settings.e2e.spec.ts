import { departmentId, tenantId } from '../../seeds/demo-data';
import { addBusinessDays } from '../../src/platform/calendar/business-days';
import { todayInJapan } from '../../src/platform/calendar/today';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

describe("the tenant's settings (administrators)", () => {
  let t: TestApp;
  let admin: string;
  const city = tenantId('tsunagi-city');
  const get = async (login = 'admin') => t.http().get('/api/v1/tenant/settings').set(bearer(await t.token(login)));
  const patch = async (body: object, headers: Record<string, string> = {}, login = 'admin') => t.http().patch('/api/v1/tenant/settings').set(bearer(await t.token(login))).set(headers).send(body);
  const stored = () => t.sql(`select s.referral_response_business_days, s.referral_expiry_grace_business_days, s.version, t.name from tenants t left join tenant_settings s on s.tenant_id = t.id where t.id = $1`, [city]);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token('admin');
  });
  afterAll(() => t.close());

  it('shows every setting with its version, and where the settings other modules own live', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      tenantId: city,
      code: 'tsunagi-city',
      name: expect.any(String),
      referralResponseBusinessDays: 5,
      referralExpiryGraceBusinessDays: 3,
      version: 1,
      settingsElsewhere: { escalationCriteria: '/api/v1/coordination/criteria', evacuationRegister: '/api/v1/evacuation-support/settings' },
    });
    for (const path of Object.values(res.body.settingsElsewhere as Record<string, string>)) expect((await t.http().get(path).set(bearer(admin))).status).not.toBe(404);
  });

  it('changes them with the version read, audits old → new, and refuses a stale version with 409', async () => {
    const before = (await get()).body;
    const changed = await patch({ version: 1, referralResponseBusinessDays: 7, name: 'つなぎ市（テスト）' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ referralResponseBusinessDays: 7, referralExpiryGraceBusinessDays: 3, name: 'つなぎ市（テスト）', version: 2 });
    expect((await get()).body).toEqual(changed.body);
    const [audit] = await t.sql(`select action, subject_type, subject_id, outcome, detail from audit_log where action = 'tenant-settings.update'`);
    expect(audit).toEqual({
      action: 'tenant-settings.update',
      subject_type: 'TenantSettings',
      subject_id: city,
      outcome: 'allowed',
      detail: { fromVersion: 1, toVersion: 2, changes: { name: { from: before.name, to: 'つなぎ市（テスト）' }, referralResponseBusinessDays: { from: 5, to: 7 } } },
    });

    const stale = await patch({ version: 1, referralExpiryGraceBusinessDays: 10 });
    expect([stale.status, stale.body.code, stale.body.currentVersion]).toEqual([409, 'version_conflict', 2]);
    // If-Match works as the body's version does.
    const viaHeader = await patch({ referralExpiryGraceBusinessDays: 10 }, { 'If-Match': '"2"' });
    expect([viaHeader.status, viaHeader.body.version, viaHeader.body.referralExpiryGraceBusinessDays]).toEqual([200, 3, 10]);
    // Only the name: the version still moves, so a concurrent edit of anything is refused.
    expect((await patch({ version: 3, name: 'つなぎ市' })).body.version).toBe(4);
    expect(await stored()).toEqual([{ referral_response_business_days: 7, referral_expiry_grace_business_days: 10, version: 4, name: 'つなぎ市' }]);
  });

  it('gives the next referral its deadline and expiry from the new days', async () => {
    const counselor = await t.token('choju-counselor');
    const opened = await t.http().post('/api/v1/cases').set(bearer(counselor)).send({ title: '設定の確認', issues: ['care'], persons: [{ relation: '本人', familyName: '設', givenName: '定' }] });
    const referral = await t
      .http()
      .post(`/api/v1/cases/${opened.body.id}/referrals`)
      .set(bearer(counselor))
      .send({ toDepartmentId: departmentId('tsunagi-city', 'kenko'), purpose: '訪問', legalBasis: 'APPI_INTERNAL', legalBasisReason: '健康状態の確認', share: { case: ['issues'] } });
    expect(referral.status).toBe(201);
    const dueOn = addBusinessDays(todayInJapan(), 7);
    const [row] = await t.sql(`select due_on::text as due_on, expires_on::text as expires_on from referrals where id = $1`, [referral.body.id]);
    expect(row).toEqual({ due_on: dueOn, expires_on: addBusinessDays(dueOn, 10) });
  });

  it.each([
    [{ version: 4, referralResponseBusinessDays: 0 }, 'body.referralResponseBusinessDays'],
    [{ version: 4, referralResponseBusinessDays: 61 }, 'body.referralResponseBusinessDays'],
    [{ version: 4, referralExpiryGraceBusinessDays: -1 }, 'body.referralExpiryGraceBusinessDays'],
    [{ version: 4, referralResponseBusinessDays: '7' }, 'body.referralResponseBusinessDays'],
    [{ version: 4, name: '  ' }, 'body.name'],
    [{ version: 4, timezone: 'UTC' }, 'body'],
    [{ version: 4 }, 'body'],
  ])('refuses %j with 400 naming %s, in Japanese or English, and changes nothing', async (body, field) => {
    const before = await stored();
    const ja = await patch(body);
    expect([ja.status, ja.body.code]).toEqual([400, 'validation_failed']);
    expect(ja.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    const en = await patch(body, { 'Accept-Language': 'en' });
    expect(en.body.title).toBe('The request is invalid.');
    expect(await stored()).toEqual(before);
  });

  it('refuses everyone but administrators with 403 and a denied audit row, and changes nothing', async () => {
    const before = await stored();
    for (const login of ['choju-manager', 'auditor', 'kyosei-coordinator']) {
      for (const res of [await get(login), await patch({ version: 4, referralResponseBusinessDays: 9 }, {}, login)]) {
        expect(res.status).toBe(403);
        const [denial] = await t.sql(`select outcome, subject_type from audit_log where request_id = $1`, [res.body.requestId]);
        expect(denial).toEqual({ outcome: 'denied', subject_type: 'TenantSettings' });
      }
    }
    expect(await stored()).toEqual(before);
  });
});
