import { accountId, departmentId } from '../../seeds/demo-data';
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
    const asManager = await t.http().get(`/api/v1/staff/${accountId('fukushi-counselor')}`).set(bearer(await t.token('choju-manager'))).expect(200);
    expect(Object.keys(asManager.body).sort()).toEqual(['displayName', 'id', 'roles']);
    const asAdmin = await t.http().get(`/api/v1/staff/${accountId('fukushi-counselor')}`).set(bearer(admin)).expect(200);
    expect(asAdmin.body).toMatchObject({ login: 'fukushi-counselor', email: 'fukushi-counselor@tsunagi-city.example.jp', active: true, version: 1 });
  });

  it('creates a staff member who can then sign in; roles that open personal data wait for approval', async () => {
    const created = await t
      .http()
      .post('/api/v1/staff')
      .set(bearer(admin))
      .send({ login: 'choju-new', displayName: '長寿 新人', roles: [{ role: 'counselor', departmentId: choju }], reason: '4月採用' })
      .expect(201);
    expect(created.body).toMatchObject({ login: 'choju-new', version: 1, roles: [], pendingRoleChange: { roles: [{ role: 'counselor', departmentCode: 'choju' }], state: 'requested' } });
    const audit = await t.sql(`select action, subject_id, outcome, actor_roles from audit_log where action in ('staff.create', 'role-change.request') order by seq`);
    expect(audit).toEqual([
      { action: 'role-change.request', subject_id: created.body.pendingRoleChange.id, outcome: 'allowed', actor_roles: ['admin'] },
      { action: 'staff.create', subject_id: created.body.id, outcome: 'allowed', actor_roles: ['admin'] },
    ]);
    const me = await t.http().get('/api/v1/me').set(bearer(await t.token('choju-new', { tenant: 'tsunagi-city' }))).expect(200);
    expect(me.body).toMatchObject({ id: created.body.id, roles: [] });
    const duplicate = await t.http().post('/api/v1/staff').set(bearer(admin)).send({ login: 'choju-new', displayName: 'x', roles: [{ role: 'auditor' }], reason: '監査補助' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('already_exists');
  });

  it('updates with the version read, and refuses a stale version so no update is lost', async () => {
    const id = accountId('kenko-counselor');
    const updated = await t.http().patch(`/api/v1/staff/${id}`).set(bearer(admin)).send({ version: 1, displayName: '健康 保子（主任）' }).expect(200);
    expect(updated.body).toMatchObject({ displayName: '健康 保子（主任）', version: 2 });
    const stale = await t.http().patch(`/api/v1/staff/${id}`).set(bearer(admin)).send({ version: 1, active: false }).expect(409);
    expect(stale.body.code).toBe('version_conflict');
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
    const res = await t.http().patch(`/api/v1/staff/${accountId('admin')}`).set(bearer(admin)).send({ version: 1, active: false }).expect(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'body.active', code: 'self_lockout' });
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
