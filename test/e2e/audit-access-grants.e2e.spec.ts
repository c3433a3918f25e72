import { accountId } from '../../seeds/demo-data';
import { Fixtures, staffFixture } from '../support/fixtures';
import { expectStablePaging } from '../support/paging';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

type Headers = Record<string, string>;
const REASON = '個人情報保護審査会への報告に向けた、不適切な閲覧の疑いの調査';

/**
 * 監査のための閲覧特例: an auditor reads one case only through a grant someone else approved, read-only,
 * until it is revoked or expires, and every step and every read under it is in the audit log.
 */
describe('audit access grants', () => {
  let t: TestApp;
  let auditor: Headers;
  let admin: Headers;
  let counselor: Headers;
  let caseId: string;
  let otherCaseId: string;
  let grantId: string;

  const grantsOf = (id: string) => t.sql<{ action: string; outcome: string; actor_id: string; detail: Record<string, unknown> }>(
    `select action, outcome, actor_id, detail from audit_log where subject_id = $1 or detail->>'grantId' = $1 order by id`,
    [id],
  );
  const request = (body: object, as: Headers = auditor) => t.http().post('/api/v1/audit/access-grants').set(as).send(body);
  const act = (id: string, action: string, body: object, as: Headers = admin) => t.http().post(`/api/v1/audit/access-grants/${id}/${action}`).set(as).send(body);
  const readCase = (id = caseId) => t.http().get(`/api/v1/cases/${id}`).set(auditor);

  beforeAll(async () => {
    t = await startTestApp();
    auditor = bearer(await t.token('auditor'));
    admin = bearer(await t.token('admin'));
    counselor = bearer(await t.token('choju-counselor'));
    const fixtures = new Fixtures(t);
    const opened = await fixtures.openCase('choju-counselor', {
      persons: [
        { relation: '本人', familyName: '監査', givenName: '一郎', address: '本町1-1', phone: '090-1111-1111', sensitive: { disability: '身体障害2級' } },
        { relation: '長女（別居）', familyName: '保護', givenName: '花子', address: '秘匿の住所', phone: '090-2222-2222', dvProtected: true },
      ],
    });
    caseId = opened.id;
    otherCaseId = (await fixtures.openCase('choju-counselor')).id;
  });
  afterAll(() => t.close());

  it('shows an auditor without a grant no case at all (404, audited as denied)', async () => {
    const res = await readCase().expect(404);
    await t.http().get(`/api/v1/cases/${caseId}/timeline`).set(auditor).expect(404);
    expect((await t.http().get('/api/v1/cases').set(auditor).expect(200)).body).toEqual({ items: [], next: null });
    const [denial] = await t.sql(`select outcome, actor_id, subject_id from audit_log where request_id = $1`, [res.body.requestId]);
    expect(denial).toEqual({ outcome: 'denied', actor_id: accountId('auditor'), subject_id: caseId });
  });

  it('refuses bad requests in Japanese and English, and writes nothing', async () => {
    const short = await request({ caseId, reason: '確認' }).expect(400);
    expect(short.body).toMatchObject({ code: 'validation_failed', title: '入力内容に誤りがあります。' });
    expect(short.body.errors).toEqual([{ field: 'body.reason', code: 'too_small', message: expect.stringMatching(/10/) }]);
    const english = await request({ caseId, reason: REASON, hours: 73 }).set('Accept-Language', 'en').expect(400);
    expect(english.body.title).toBe('The request is invalid.');
    expect(english.body.errors).toEqual([{ field: 'body.hours', code: 'too_big', message: expect.stringMatching(/72/) }]);
    await request({ caseId }).expect(400);
    await request({ caseId, reason: REASON, scope: 'all' }).expect(400);
    const missing = await request({ caseId: '00000000-0000-4000-8000-000000000000', reason: REASON }).set('Accept-Language', 'en').expect(404);
    expect(missing.body.detail).toBe('No such case.');
    expect(await t.sql(`select id from access_grants`)).toEqual([]);
  });

  it('lets only an auditor request; the request is evented, versioned and audited', async () => {
    await request({ caseId, reason: REASON }, counselor).expect(403);
    await request({ caseId, reason: REASON }, admin).expect(403);
    const res = await request({ caseId, reason: REASON }).expect(201);
    expect(res.body).toMatchObject({ caseId, state: 'requested', hours: 8, includeSensitive: false, requestedBy: accountId('auditor'), version: 1, expiresAt: null, allowedActions: ['revoke'] });
    expect(res.body.caseNumber).toEqual(expect.any(String));
    grantId = res.body.id;
    const [event] = await t.sql(`select type, aggregate_version, case_id, payload from domain_events where aggregate_id = $1`, [grantId]);
    expect(event).toMatchObject({ type: 'AccessGrantRequested', aggregate_version: 1, case_id: null, payload: { caseId, reason: REASON, hours: 8 } });
    expect((await grantsOf(grantId)).map((r) => r.action)).toEqual(['access-grant.request']);
    const again = await request({ caseId, reason: REASON }).expect(409);
    expect(again.body.code).toBe('already_exists');
  });

  it('never lets the requester approve their own request (403, audited), nor the database', async () => {
    const own = await act(grantId, 'approve', { version: 1 }, auditor).expect(403);
    const [denial] = await t.sql(`select outcome, actor_id from audit_log where request_id = $1`, [own.body.requestId]);
    expect(denial).toEqual({ outcome: 'denied', actor_id: accountId('auditor') });

    // Someone who is both administrator and auditor still needs a second person.
    await staffFixture(t, 'tsunagi-city', 'audit-admin', [{ role: 'admin' }, { role: 'auditor' }]);
    const both = bearer(await t.token('audit-admin', { tenant: 'tsunagi-city' }));
    const mine = await request({ caseId: otherCaseId, reason: REASON }, both).expect(201);
    expect(mine.body.allowedActions).toEqual(['revoke']);
    const refused = await act(mine.body.id, 'approve', { version: 1 }, both).expect(403);
    const [record] = await t.sql(`select outcome, subject_type, subject_id from audit_log where request_id = $1`, [refused.body.requestId]);
    expect(record).toEqual({ outcome: 'denied', subject_type: 'AccessGrant', subject_id: mine.body.id });
    await expect(t.sql(`update access_grants set decided_by = requested_by where id = $1`, [mine.body.id])).rejects.toThrow(/check constraint/);
    await act(mine.body.id, 'revoke', { version: 1 }, both).expect(200);
  });

  it('is approved by an administrator, for its hours from now, on the version read', async () => {
    expect((await t.http().get(`/api/v1/audit/access-grants/${grantId}`).set(admin).expect(200)).body.allowedActions).toEqual(['approve', 'decline']);
    // Turning a pending request down takes a decline with its reason, not a bare revoke.
    await act(grantId, 'revoke', { version: 1 }, admin).expect(403);
    const stale = await act(grantId, 'approve', { version: 7 }).expect(409);
    expect(stale.body).toMatchObject({ code: 'version_conflict', currentVersion: 1 });
    const before = Date.now();
    const res = await t.http().post(`/api/v1/audit/access-grants/${grantId}/approve`).set(admin).set('If-Match', '"1"').send({}).expect(200);
    expect(res.body).toMatchObject({ state: 'granted', version: 2, decidedBy: accountId('admin') });
    const hours = (Date.parse(res.body.expiresAt) - before) / 3_600_000;
    expect(hours).toBeGreaterThan(7.99);
    expect(hours).toBeLessThan(8.01);
    await act(grantId, 'approve', { version: 2 }).expect(409);
  });

  it('lets the auditor read that case, read-only, without sensitive fields or DV-protected contacts', async () => {
    const res = await readCase().expect(200);
    const [person, protectedPerson] = res.body.persons;
    expect(person).toMatchObject({ name: { family: '監査', given: '一郎' }, address: '本町1-1', phone: '090-1111-1111', contactWithheld: false });
    expect(person).not.toHaveProperty('disability');
    expect(protectedPerson).toMatchObject({ name: { family: '保護', given: '花子' }, contactWithheld: true });
    expect(protectedPerson).not.toHaveProperty('address');
    expect(protectedPerson).not.toHaveProperty('phone');
    expect(JSON.stringify(res.body)).not.toContain('秘匿の住所');
    expect(res.body.allowedActions).toEqual([]);
    await t.http().get(`/api/v1/cases/${caseId}/timeline`).set(auditor).expect(200);
    expect((await t.http().get('/api/v1/cases').set(auditor).expect(200)).body.items.map((c: { id: string }) => c.id)).toEqual([caseId]);

    await readCase(otherCaseId).expect(404);
    await t.http().post(`/api/v1/cases/${caseId}/notes`).set(auditor).send({ body: '監査メモ' }).expect(403);
    await t.http().post(`/api/v1/cases/${caseId}/actions/start-assessment`).set(auditor).send({ version: 1 }).expect(403);
    await t.http().post(`/api/v1/cases/${caseId}/referrals`).set(auditor).send({}).expect(403);
    const [{ notes }] = await t.sql<{ notes: number }>(`select count(*)::int notes from case_notes where case_id = $1`, [caseId]);
    expect(notes).toBe(0);
  });

  it('names the grant in the audit log for every step and every read under it, and the chain still verifies', async () => {
    const rows = await grantsOf(grantId);
    expect(rows.filter((r) => r.outcome === 'allowed' && r.action !== 'case.read').map((r) => [r.action, r.detail.via ?? null])).toEqual([
      ['access-grant.request', null],
      ['access-grant.read', null],
      ['access-grant.approve', null],
      ['access-grant.use', 'case.read'],
      ['access-grant.use', 'case.timeline'],
      ['access-grant.use', 'case.list'],
    ]);
    const personReads = rows.filter((r) => r.action === 'case.read');
    expect(personReads).toHaveLength(2);
    expect(personReads.every((r) => r.actor_id === accountId('auditor') && r.detail.grantId === grantId)).toBe(true);
    const approval = rows.find((r) => r.action === 'access-grant.approve' && r.outcome === 'allowed')!;
    expect(approval).toMatchObject({ actor_id: accountId('admin'), detail: { caseId, from: 'requested', to: 'granted', version: 2 } });
    const [dv] = await t.sql(`select outcome, detail from audit_log where action = 'person.read-contact' and actor_id = $1`, [accountId('auditor')]);
    expect(dv).toEqual({ outcome: 'denied', detail: { reason: 'dv_protection', grantId, via: 'case.read', heldOn: ['collected'] } });
    expect((await t.http().get('/api/v1/audit/verify').set(auditor).expect(200)).body).toMatchObject({ ok: true });
  });

  it('ends when the auditor revokes it: the case is 404 again', async () => {
    const res = await act(grantId, 'revoke', { version: 2, reason: '調査終了' }, auditor).expect(200);
    expect(res.body).toMatchObject({ state: 'revoked', revokedBy: accountId('auditor'), revokeReason: '調査終了', version: 3, allowedActions: [] });
    await readCase().expect(404);
    await act(grantId, 'revoke', { version: 3 }, auditor).expect(409);
    const [event] = await t.sql(`select type, aggregate_version from domain_events where aggregate_id = $1 order by id desc limit 1`, [grantId]);
    expect(event).toEqual({ type: 'AccessGrantRevoked', aggregate_version: 3 });
  });

  it('shows sensitive fields only when approved with them, and nothing once expired', async () => {
    const requested = await request({ caseId, reason: REASON, hours: 1, includeSensitive: true }).expect(201);
    const id = requested.body.id;
    await act(id, 'approve', { version: 1 }).expect(200);
    const res = await readCase().expect(200);
    expect(res.body.persons[0]).toMatchObject({ disability: '身体障害2級' });
    expect(res.body.persons[1]).not.toHaveProperty('address');

    await t.sql(`update access_grants set expires_at = now() - interval '1 minute' where id = $1`, [id]);
    await readCase().expect(404);
    expect((await t.http().get(`/api/v1/audit/access-grants/${id}`).set(admin).expect(200)).body).toMatchObject({ state: 'expired', allowedActions: [] });
    const expired = await t.http().get('/api/v1/audit/access-grants?state=expired').set(auditor).expect(200);
    expect(expired.body.items.map((g: { id: string }) => g.id)).toEqual([id]);
    expect((await t.http().get('/api/v1/audit/access-grants?state=granted').set(auditor).expect(200)).body).toEqual({ items: [], next: null });
    const late = await act(id, 'revoke', { version: 2 }, admin).expect(409);
    expect(late.body.code).toBe('transition_not_allowed');
  });

  it('can be declined, with a reason only', async () => {
    const requested = await request({ caseId, reason: REASON }).expect(201);
    const id = requested.body.id;
    const blank = await act(id, 'decline', { version: 1 }).set('Accept-Language', 'en').expect(422);
    expect(blank.body).toMatchObject({ code: 'guard_failed', detail: 'Conditions not met: A reason is required' });
    const res = await act(id, 'decline', { version: 1, reason: '調査の範囲を超えるため' }).expect(200);
    expect(res.body).toMatchObject({ state: 'declined', declineReason: '調査の範囲を超えるため', decidedBy: accountId('admin'), expiresAt: null });
    await readCase().expect(404);
    await act(id, 'approve', { version: 2 }).expect(409);
    // The refused attempts are on the record too, with what refused them.
    expect((await grantsOf(id)).map((r) => [r.action, r.outcome, r.detail.refused ?? null])).toEqual([
      ['access-grant.request', 'allowed', null],
      ['access-grant.decline', 'denied', 'guard_failed'],
      ['access-grant.decline', 'allowed', null],
      ['access-grant.approve', 'denied', 'transition_not_allowed'],
    ]);
  });

  it('lists grants to auditors and administrators of the tenant only, as metadata', async () => {
    const list = await t.http().get('/api/v1/audit/access-grants').set(admin).expect(200);
    expect(list.body.items.length).toBeGreaterThanOrEqual(4);
    // Metadata only: no title, no summary, no persons of the case.
    for (const grant of list.body.items) expect(Object.keys(grant)).not.toEqual(expect.arrayContaining(['title']));
    expect(JSON.stringify(list.body)).not.toContain('テストケース');
    expect(JSON.stringify(list.body)).not.toContain('persons');
    await t.http().get('/api/v1/audit/access-grants').set(counselor).expect(403);
    await t.http().get('/api/v1/audit/access-grants?state=everything').set(admin).expect(400);
  });

  it('pages the grants newest first, none twice or missed while more are requested', async () => {
    const fixtures = new Fixtures(t);
    await expectStablePaging({
      limit: 2,
      page: async (cursor) => {
        const { data, response } = await t.api('admin').GET('/api/v1/audit/access-grants', { params: { query: { limit: 2, cursor } } });
        expect(response.status).toBe(200);
        return data!;
      },
      key: (grant) => grant.id,
      // Newest first: a request made now sorts before the pages already read.
      insert: async () => {
        const opened = await fixtures.openCase('choju-counselor');
        await request({ caseId: opened.id, reason: REASON }).expect(201);
        return undefined;
      },
    });
  });

  it('keeps tenants apart', async () => {
    const town = bearer(await t.token('other-city-admin'));
    expect((await t.http().get('/api/v1/audit/access-grants').set(town).expect(200)).body).toEqual({ items: [], next: null });
    await t.http().get(`/api/v1/audit/access-grants/${grantId}`).set(town).expect(404);
    const pending = await request({ caseId: otherCaseId, reason: REASON }).expect(201);
    await act(pending.body.id, 'approve', { version: 1 }, town).expect(404);
    const townCase = await new Fixtures(t).openCase('other-city-counselor');
    await request({ caseId: townCase.id, reason: REASON }).expect(404);
    await readCase(townCase.id).expect(404);
  });
});
