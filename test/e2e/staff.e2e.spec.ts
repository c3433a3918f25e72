import { accountId, departmentId, tenantId } from '../../seeds/demo-data';
import { PAGE_LIMIT } from '../../src/platform/http/api-contract/paging';
import { expectStablePaging } from '../support/paging';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

describe('staff directory', () => {
  let t: TestApp;
  let admin: string;
  const choju = departmentId('tsunagi-city', 'choju');
  const kyosei = departmentId('tsunagi-city', 'chiiki-kyosei');

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token('admin');
  });
  afterAll(() => t.close());

  it('shows managers names and roles only, administrators the account details too', async () => {
    const staffMember = { params: { path: { id: accountId('fukushi-counselor') } } };
    const asManager = await t.api('choju-manager').GET('/api/v1/staff/{id}', staffMember);
    expect(Object.keys(asManager.data!).sort()).toEqual(['displayName', 'id', 'roles']);
    const asAdmin = await t.api('admin').GET('/api/v1/staff/{id}', staffMember);
    expect(asAdmin.data).toMatchObject({ login: 'fukushi-counselor', email: 'fukushi-counselor@tsunagi-city.example.jp', active: true, version: 1 });
  });

  it('creates a staff member who can then sign in; roles that open personal data wait for approval', async () => {
    const created = await t.api('admin').POST('/api/v1/staff', { body: { login: 'choju-new', displayName: '長寿 新人', roles: [{ role: 'counselor', departmentId: choju }], reason: '4月採用' } });
    expect(created.response.status).toBe(201);
    const staff = created.data!;
    expect(staff).toMatchObject({ login: 'choju-new', version: 1, roles: [], pendingRoleChange: { roles: [{ role: 'counselor', departmentCode: 'choju' }], state: 'requested' } });
    const audit = await t.sql(`select action, subject_id, outcome, actor_roles from audit_log where action in ('staff.create', 'role-change.request') order by id`);
    expect(audit).toEqual([
      { action: 'role-change.request', subject_id: staff.pendingRoleChange!.id, outcome: 'allowed', actor_roles: ['admin'] },
      { action: 'staff.create', subject_id: staff.id, outcome: 'allowed', actor_roles: ['admin'] },
    ]);
    const me = await t.http().get('/api/v1/me').set(bearer(await t.token('choju-new', { tenant: 'tsunagi-city' }))).expect(200);
    expect(me.body).toMatchObject({ kind: 'staff', id: staff.id, roles: [], tenant: { code: 'tsunagi-city' } });
    const duplicate = await t.api('admin').POST('/api/v1/staff', { body: { login: 'choju-new', displayName: 'x', roles: [{ role: 'auditor' }], reason: '監査補助' } });
    expect(duplicate.response.status).toBe(409);
    expect(duplicate.error?.code).toBe('already_exists');
  });

  it('updates with the version read, and refuses a stale version so no update is lost', async () => {
    const id = accountId('kenko-counselor');
    const patch = (body: { version: number; displayName?: string; active?: boolean }) => t.api('admin').PATCH('/api/v1/staff/{id}', { params: { path: { id } }, body });
    const updated = await patch({ version: 1, displayName: '健康 保子（主任）' });
    expect(updated.response.status).toBe(200);
    expect(updated.data).toMatchObject({ displayName: '健康 保子（主任）', version: 2, pendingRoleChange: null });
    const stale = await patch({ version: 1, active: false });
    expect(stale.response.status).toBe(409);
    expect(stale.error?.code).toBe('version_conflict');
    const [row] = await t.sql(`select display_name, active, version from staff where id = $1`, [id]);
    expect(row).toEqual({ display_name: '健康 保子（主任）', active: true, version: 2 });
  });

  it('lets exactly one of two concurrent edits of the same version win', async () => {
    const id = accountId('kyosei-coordinator');
    const results = await Promise.all([
      t.http().patch(`/api/v1/staff/${id}`).set(bearer(admin)).send({ version: 1, roles: [{ role: 'coordinator', departmentId: kyosei }] }),
      t.http().patch(`/api/v1/staff/${id}`).set(bearer(admin)).send({ version: 1, displayName: '共生 調整（兼務）' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!;
    const [row] = await t.sql<{ version: number; display_name: string }>(`select version, display_name from staff where id = $1`, [id]);
    expect(row.version).toBe(2);
    const roles = await t.sql<{ role: string }>(`select role from role_assignments where staff_id = $1 order by role`, [id]);
    if (winner.body.displayName === '共生 調整（兼務）') expect(roles.map((r) => r.role)).toEqual(['coordinator', 'counselor']);
    else expect(roles.map((r) => r.role)).toEqual(['coordinator']);
  });

  it('does not let administrators remove their own access', async () => {
    const res = await t.api('admin').PATCH('/api/v1/staff/{id}', { params: { path: { id: accountId('admin') } }, body: { version: 1, active: false } });
    expect(res.response.status).toBe(400);
    expect(res.error?.errors?.[0]).toMatchObject({ field: 'body.active', code: 'self_lockout' });
  });
});

describe('the staff list and the departments, paged', () => {
  let t: TestApp;
  let added = 0;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const staffPage = (login: string, query: { limit?: number; cursor?: string; departmentId?: string; active?: 'true' | 'false' } = {}) =>
    t.api(login).GET('/api/v1/staff', { params: { query } });
  const addStaff = async () => {
    const login = `paging-${++added}`;
    const created = await t.api('admin').POST('/api/v1/staff', { body: { login, displayName: `名簿 ${added}`, roles: [{ role: 'auditor' }], reason: '名簿の確認' } });
    return created.data!.id;
  };

  it('walks the staff by display name, every one once, while staff are added', async () => {
    await expectStablePaging({
      page: async (cursor) => (await staffPage('admin', { limit: 4, cursor })).data,
      limit: 4,
      insert: addStaff,
      // A name may sort anywhere among the others: only those there were must all be seen.
      addedSortLast: false,
    });
  });

  it("pages a manager's view without the fields a manager may not see, not even in the cursor", async () => {
    const first = await staffPage('choju-manager', { limit: 2 });
    expect(first.data!.items.map((s) => Object.keys(s).sort())).toEqual([['displayName', 'id', 'roles'], ['displayName', 'id', 'roles']]);
    const cursor = Buffer.from(first.data!.next!, 'base64url').toString('utf8');
    expect(cursor).not.toMatch(/counselor|manager|admin|auditor|coordinator/);
  });

  it('filters by department and by whether the account is active', async () => {
    const kenko = departmentId('tsunagi-city', 'kenko');
    const inKenko = (await staffPage('admin', { departmentId: kenko, limit: PAGE_LIMIT.max })).data!.items;
    expect(inKenko.length).toBeGreaterThan(0);
    expect(inKenko.every((s) => s.roles.some((r) => r.departmentId === kenko))).toBe(true);
    const leaver = accountId('kenko-counselor');
    await t.sql(`update staff set active = false where id = $1`, [leaver]);
    const inactive = (await staffPage('admin', { active: 'false', limit: PAGE_LIMIT.max })).data!.items;
    expect(inactive.map((s) => s.id)).toEqual([leaver]);
    expect((await staffPage('admin', { active: 'true', limit: PAGE_LIMIT.max })).data!.items.map((s) => s.id)).not.toContain(leaver);
  });

  it('walks the departments in the municipality’s order, every one once, while departments are added', async () => {
    const tenant = tenantId('tsunagi-city');
    let order = 1000;
    const addDepartment = async () => {
      order += 1;
      const [row] = await t.sql<{ id: string }>(
        `insert into departments (id, tenant_id, code, name, sort_order) values (gen_random_uuid(), $1, $2, $3, $4) returning id`,
        [tenant, `paging-${order}`, `ページ課${order}`, order],
      );
      return row.id;
    };
    const seen = await expectStablePaging({ page: async (cursor) => (await t.api('choju-counselor').GET('/api/v1/departments', { params: { query: { limit: 3, cursor } } })).data, limit: 3, insert: addDepartment });
    const sortOrders = (await t.sql<{ id: string; sort_order: number }>(`select id, sort_order from departments where tenant_id = $1`, [tenant])).reduce((m, d) => m.set(d.id, d.sort_order), new Map<string, number>());
    const orders = seen.map((id) => sortOrders.get(id)!);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
  });
});

describe('forbidden calls', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answer 403 problem+json and leave a denied audit row naming who, what and the request', async () => {
    const res = await t.http().post('/api/v1/staff').set(bearer(await t.token('choju-counselor'))).set('X-Request-Id', 'req-403-check').send({}).expect(403);
    expect(res.body).toMatchObject({ status: 403, code: 'forbidden', requestId: 'req-403-check', title: 'この操作を行う権限がありません。' });
    const rows = await t.sql(`select actor_type, actor_id, actor_roles, action, subject_type, outcome, request_id, detail from audit_log`);
    expect(rows).toEqual([
      {
        actor_type: 'staff',
        actor_id: accountId('choju-counselor'),
        actor_roles: ['counselor@choju'],
        action: 'create',
        subject_type: 'Staff',
        outcome: 'denied',
        request_id: 'req-403-check',
        detail: { route: 'POST /api/v1/staff' },
      },
    ]);
  });

  it('refuses an administrator of one tenant on the other tenant by id: 404, nothing revealed', async () => {
    const res = await t.http().patch(`/api/v1/staff/${accountId('choju-counselor')}`).set(bearer(await t.token('other-city-admin'))).send({ version: 1, active: false });
    expect(res.status).toBe(404);
    const [row] = await t.sql(`select active from staff where id = $1`, [accountId('choju-counselor')]);
    expect(row).toEqual({ active: true });
  });
});
