import { accountId, departmentId } from '../../seeds/demo-data';
import { Fixtures, roleChangeFixture, staffFixture } from '../support/fixtures';
import { expectStablePaging } from '../support/paging';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

type Headers = Record<string, string>;
const CITY = 'tsunagi-city';
const choju = departmentId(CITY, 'choju');
const fukushi = departmentId(CITY, 'fukushi');

/**
 * 権限付与申請: a role that opens personal data is never self-granted, and is held only once someone
 * other than the requester and the staff member approves: another administrator, or the manager of the
 * department the role is in. Every step and every refusal is audited and flagged for the auditors.
 */
describe('role changes that open personal data', () => {
  let t: TestApp;
  let admin: Headers;
  let admin2: Headers;
  let admin2Id: string;
  let chojuManager: Headers;
  let fukushiManager: Headers;
  let caseId: string;

  const staffOf = async (id: string) => (await t.api('admin').GET('/api/v1/staff/{id}', { params: { path: { id } } })).data!;
  const requests = async (login: string, query: { state?: 'requested' | 'approved' | 'declined' | 'withdrawn'; staffId?: string } = {}) =>
    (await t.api(login).GET('/api/v1/role-changes', { params: { query } })).data!.items;
  const rolesOf = async (id: string) =>
    (await t.sql<{ role: string; code: string | null }>(`select r.role, d.code from role_assignments r left join departments d on d.id = r.department_id where staff_id = $1 order by 1, 2`, [id])).map(
      (r) => (r.code ? `${r.role}@${r.code}` : r.role),
    );
  const patchRoles = async (as: Headers, id: string, roles: object[], reason?: string, language = 'ja') =>
    t
      .http()
      .patch(`/api/v1/staff/${id}`)
      .set(as)
      .set('Accept-Language', language)
      .send({ version: (await staffOf(id)).version, roles, ...(reason ? { reason } : {}) });
  const act = (id: string, action: string, body: object, as: Headers) => t.http().post(`/api/v1/role-changes/${id}/${action}`).set(as).send(body);
  const auditOf = (requestId: string) => t.sql(`select action, outcome, actor_id, subject_type, detail from audit_log where request_id = $1`, [requestId]);

  beforeAll(async () => {
    t = await startTestApp();
    admin = bearer(await t.token('admin'));
    admin2Id = await staffFixture(t, CITY, 'admin-2', [{ role: 'admin' }]);
    admin2 = bearer(await t.token('admin-2', { tenant: CITY }));
    chojuManager = bearer(await t.token('choju-manager'));
    fukushiManager = bearer(await t.token('fukushi-manager'));
    const opened = await new Fixtures(t).openCase('choju-counselor', {
      persons: [{ relation: '本人', familyName: '権限', givenName: '一郎', address: '本町2-2', phone: '090-3333-3333', sensitive: { disability: '身体障害1級' } }],
    });
    caseId = opened.id;
  });
  afterAll(() => t.close());

  it('refuses an administrator who gives itself a counselor role in 長寿課 (403, audited), and the case stays closed to it', async () => {
    const res = await patchRoles(admin, accountId('admin'), [{ role: 'admin' }, { role: 'counselor', departmentId: choju }], '自分で確認したい');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'forbidden', detail: expect.stringMatching(/自分自身に付与することはできません/) });
    expect(await auditOf(res.body.requestId)).toEqual([
      {
        action: 'role-change.request',
        outcome: 'denied',
        actor_id: accountId('admin'),
        subject_type: 'Staff',
        detail: { refused: 'self_grant', roles: [{ role: 'counselor', departmentId: choju }] },
      },
    ]);
    expect(await rolesOf(accountId('admin'))).toEqual(['admin']);
    expect(await t.sql(`select id from role_change_requests`)).toEqual([]);
    expect((await staffOf(accountId('admin'))).version).toBe(1);
    await t.http().get(`/api/v1/cases/${caseId}`).set(admin).expect(403);
  });

  it('says why in English too, and refuses it without a reason the same way', async () => {
    const res = await patchRoles(admin, accountId('admin'), [{ role: 'admin' }, { role: 'auditor' }], undefined, 'en');
    expect(res.status).toBe(403);
    expect(res.body.detail).toBe('You cannot give yourself a role that opens personal data: ask another administrator to request it.');
  });

  it('turns a role for someone else into a pending request (202): nothing is opened until someone else approves', async () => {
    expect((await patchRoles(admin, admin2Id, [{ role: 'admin' }, { role: 'counselor', departmentId: choju }])).status).toBe(400);
    const res = await patchRoles(admin, admin2Id, [{ role: 'admin' }, { role: 'counselor', departmentId: choju }], '長寿課との兼務のため');
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: admin2Id, version: 2, roles: [{ role: 'admin' }] });
    expect(res.body.pendingRoleChange).toMatchObject({
      staffId: admin2Id,
      requestedBy: accountId('admin'),
      roles: [{ role: 'counselor', departmentId: choju, departmentCode: 'choju' }],
      decidingDepartmentId: choju,
      reason: '長寿課との兼務のため',
      state: 'requested',
      version: 1,
      allowedActions: ['withdraw'],
    });
    expect(res.body.pendingRoleChange.opens).toEqual(expect.arrayContaining(['read Case', 'readSensitive Case', 'read Referral']));
    expect(await rolesOf(admin2Id)).toEqual(['admin']);
    await t.http().get(`/api/v1/cases/${caseId}`).set(admin2).expect(403);
    const again = await patchRoles(admin, admin2Id, [{ role: 'admin' }, { role: 'manager', departmentId: choju }], '別の申請');
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_exists');
  });

  it('is decided by neither the requester nor the staff member concerned (403, audited, refused by the database too)', async () => {
    const [{ id }] = await t.sql<{ id: string }>(`select id from role_change_requests where staff_id = $1`, [admin2Id]);
    for (const [who, as] of [
      ['admin', admin],
      ['admin-2', admin2],
    ] as const) {
      const res = await act(id, 'approve', { version: 1 }, as).expect(403);
      expect(res.body.detail).toMatch(/承認・却下できません/);
      expect(await auditOf(res.body.requestId)).toEqual([
        { action: 'decide', outcome: 'denied', actor_id: who === 'admin' ? accountId('admin') : admin2Id, subject_type: 'RoleChange', detail: { refused: 'four_eyes' } },
      ]);
      await act(id, 'decline', { version: 1, reason: '不要' }, as).expect(403);
    }
    // A manager of another department does not even see it.
    await act(id, 'approve', { version: 1 }, fukushiManager).expect(404);
    expect(await requests('fukushi-manager')).toEqual([]);
    await expect(t.sql(`update role_change_requests set state = 'approved', decided_by = requested_by, decided_at = now() where id = $1`, [id])).rejects.toThrow(/check constraint/);
    await expect(t.sql(`update role_change_requests set state = 'approved', decided_by = staff_id, decided_at = now() where id = $1`, [id])).rejects.toThrow(/check constraint/);
    expect(await rolesOf(admin2Id)).toEqual(['admin']);
  });

  it("is approved by the department's manager on the version read, and then the role works", async () => {
    const [listed] = await requests('choju-manager', { state: 'requested' });
    expect(await requests('choju-manager', { state: 'approved' })).toEqual([]);
    expect(await requests('choju-manager', { staffId: admin2Id })).toEqual([listed]);
    expect(listed).toMatchObject({ staffId: admin2Id, staffName: 'admin-2', requestedByName: '管理 太郎', allowedActions: ['approve', 'decline'] });
    const stale = await act(listed.id, 'approve', { version: 3 }, chojuManager).expect(409);
    expect(stale.body).toMatchObject({ code: 'version_conflict', currentVersion: 1 });
    const res = await act(listed.id, 'approve', { version: 1 }, chojuManager).expect(200);
    expect(res.body).toMatchObject({ state: 'approved', version: 2, decidedBy: accountId('choju-manager'), allowedActions: [] });
    expect(await rolesOf(admin2Id)).toEqual(['admin', 'counselor@choju']);
    expect((await staffOf(admin2Id)).version).toBe(3);
    const read = await t.http().get(`/api/v1/cases/${caseId}`).set(admin2).expect(200);
    expect(JSON.stringify(read.body)).toContain('本町2-2');
    const steps = await t.sql<{ action: string; outcome: string; actor_id: string }>(
      `select action, outcome, actor_id from audit_log where subject_type = 'RoleChange' and subject_id = $1 order by id`,
      [listed.id],
    );
    expect(steps.map((s) => `${s.action}:${s.outcome}:${s.actor_id}`)).toEqual([
      `role-change.request:allowed:${accountId('admin')}`,
      `decide:denied:${accountId('admin')}`,
      `decide:denied:${accountId('admin')}`,
      `decide:denied:${admin2Id}`,
      `decide:denied:${admin2Id}`,
      `decide:denied:${accountId('fukushi-manager')}`,
      `role-change.approve:denied:${accountId('choju-manager')}`,
      `role-change.approve:allowed:${accountId('choju-manager')}`,
    ]);
  });

  it('lets a second administrator approve what the first asked for someone else, even outside any one department', async () => {
    const res = await patchRoles(admin, accountId('choju-counselor'), [{ role: 'counselor', departmentId: choju }, { role: 'counselor', departmentId: fukushi }, { role: 'auditor' }], '福祉課との兼務と監査補助のため');
    expect(res.status).toBe(202);
    const change = res.body.pendingRoleChange;
    expect(change).toMatchObject({ decidingDepartmentId: null, roles: [{ role: 'counselor', departmentCode: 'fukushi' }, { role: 'auditor', departmentCode: null }] });
    // Roles in more than one department, or for the whole tenant: administrators only.
    await act(change.id, 'approve', { version: 1 }, fukushiManager).expect(404);
    await act(change.id, 'approve', { version: 1 }, admin2).expect(200);
    expect(await rolesOf(accountId('choju-counselor'))).toEqual(['auditor', 'counselor@choju', 'counselor@fukushi']);
  });

  it('applies changes that only take access away at once, with no request', async () => {
    const res = await patchRoles(admin, accountId('choju-counselor'), [{ role: 'counselor', departmentId: choju }]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ pendingRoleChange: null, roles: [{ role: 'counselor', departmentCode: 'choju' }] });
    expect(await rolesOf(accountId('choju-counselor'))).toEqual(['counselor@choju']);
  });

  it('declines only with a reason, and lets only the requester withdraw', async () => {
    const asked = await patchRoles(admin, accountId('kenko-counselor'), [{ role: 'counselor', departmentId: departmentId(CITY, 'kenko') }, { role: 'manager', departmentId: departmentId(CITY, 'kenko') }], '課長代理のため');
    const id = asked.body.pendingRoleChange.id;
    const blank = await act(id, 'decline', { version: 1 }, admin2).expect(422);
    expect(blank.body.code).toBe('guard_failed');
    expect(await auditOf(blank.body.requestId)).toEqual([
      { action: 'role-change.decline', outcome: 'denied', actor_id: admin2Id, subject_type: 'RoleChange', detail: { refused: 'guard_failed' } },
    ]);
    await act(id, 'withdraw', { version: 1 }, admin2).expect(403);
    const declined = await act(id, 'decline', { version: 1, reason: '課長代理は置かない' }, admin2).expect(200);
    expect(declined.body).toMatchObject({ state: 'declined', declineReason: '課長代理は置かない', decidedBy: admin2Id });
    await act(id, 'withdraw', { version: 2 }, admin).expect(409);
    const second = await patchRoles(admin, accountId('kenko-counselor'), [{ role: 'counselor', departmentId: departmentId(CITY, 'kenko') }, { role: 'manager', departmentId: departmentId(CITY, 'kenko') }], '再申請');
    const withdrawn = await act(second.body.pendingRoleChange.id, 'withdraw', { version: 1 }, admin).expect(200);
    expect(withdrawn.body).toMatchObject({ state: 'withdrawn', decidedBy: null });
    expect(await rolesOf(accountId('kenko-counselor'))).toEqual(['counselor@kenko']);
  });

  it('creates a staff member with data-opening roles as pending: the account exists, the roles wait for approval', async () => {
    const body = { login: 'choju-new', displayName: '長寿 新人', roles: [{ role: 'counselor' as const, departmentId: choju }] };
    const unexplained = await t.api('admin').POST('/api/v1/staff', { body });
    expect(unexplained.response.status).toBe(400);
    expect(unexplained.error?.errors?.[0].field).toBe('body.reason');
    expect(await t.sql(`select id from staff where login = 'choju-new'`)).toEqual([]);
    const created = await t.api('admin').POST('/api/v1/staff', { body: { ...body, reason: '4月採用' } });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({ login: 'choju-new', roles: [], pendingRoleChange: { state: 'requested', decidingDepartmentId: choju } });
    const newcomer = bearer(await t.token('choju-new', { tenant: CITY }));
    expect((await t.http().get('/api/v1/me').set(newcomer).expect(200)).body.roles).toEqual([]);
    await t.http().get(`/api/v1/cases/${caseId}`).set(newcomer).expect(403);
    const approved = await t.api('choju-manager').POST('/api/v1/role-changes/{id}/approve', { params: { path: { id: created.data!.pendingRoleChange!.id } }, body: { version: 1 } });
    expect(approved.data).toMatchObject({ state: 'approved', allowedActions: [] });
    await t.http().get(`/api/v1/cases/${caseId}`).set(newcomer).expect(200);
  });

  it('flags every role change that opened personal data, and every self-grant attempt, for the auditors', async () => {
    const res = await t.http().get('/api/v1/audit/anomalies?from=2026-01-01T00:00:00Z&to=2099-01-01T00:00:00Z').set(bearer(await t.token('auditor'))).expect(200);
    const flags = res.body.items
      .filter((a: { kind: string }) => ['personal_data_role_change', 'self_grant_attempt'].includes(a.kind))
      .map((a: { kind: string; actorId: string; count: number }) => `${a.kind}:${a.actorId}:${a.count}`)
      .sort();
    expect(flags).toEqual(
      [
        `personal_data_role_change:${accountId('admin')}:5`, // five requests
        `personal_data_role_change:${accountId('choju-manager')}:2`, // two approvals
        `personal_data_role_change:${admin2Id}:1`, // one approval
        `self_grant_attempt:${accountId('admin')}:4`, // two self-grants, deciding own request twice
        `self_grant_attempt:${admin2Id}:2`, // deciding a request about itself
      ].sort(),
    );
  });
});

describe('the role change queue, paged', () => {
  let t: TestApp;
  let added = 0;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A pending request, from the administrator, for a new staff member: created now, so it joins the end of the queue. */
  const request = async () => {
    const staffId = await staffFixture(t, CITY, `queue-${++added}`, []);
    return roleChangeFixture(t, CITY, accountId('admin'), staffId, 'counselor', 'choju');
  };

  it('walks the requests oldest first, every one once, while requests are added', async () => {
    for (let i = 0; i < 5; i++) await request();
    const page = async (cursor?: string) => (await t.api('admin').GET('/api/v1/role-changes', { params: { query: { limit: 2, cursor } } })).data;
    const seen = await expectStablePaging({ page, limit: 2, insert: request });
    const created = await t.sql<{ id: string }>(`select id from role_change_requests order by created_at, id`);
    expect(seen).toEqual(created.map((r) => r.id));
  });

  it('shows a manager the requests of their department only, and refuses a cursor of another list', async () => {
    expect((await t.api('fukushi-manager').GET('/api/v1/role-changes')).data).toEqual({ items: [], next: null });
    const staffCursor = (await t.api('admin').GET('/api/v1/staff', { params: { query: { limit: 1 } } })).data!.next!;
    const foreign = await t.api('admin').GET('/api/v1/role-changes', { params: { query: { cursor: staffCursor } } });
    expect(foreign.response.status).toBe(400);
    expect(foreign.error?.errors?.[0]).toMatchObject({ field: 'query.cursor', code: 'invalid_cursor' });
  });
});
