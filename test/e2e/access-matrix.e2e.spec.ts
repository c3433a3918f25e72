import { accountId } from '../../seeds/demo-data';
import { matrixRows, type MatrixRole, type MatrixRow, type Relation } from '../access-matrix';
import { listRoutes } from '../support/routes';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

/** The record each relation points at, seen from each role's home department. */
const TARGETS: Record<Exclude<Relation, 'none'>, (role: MatrixRole) => string> = {
  'own-dept': (role) => accountId(role === 'choju-counselor' ? 'choju-manager' : role === 'kyosei-coordinator' ? 'kyosei-manager' : 'choju-counselor'),
  'other-dept': () => accountId('fukushi-counselor'),
  'other-tenant': () => accountId('other-city-counselor'),
};

const BODIES: Record<string, (role: MatrixRole) => object> = {
  'POST /api/v1/staff': (role) => ({ login: `matrix-${role}`, displayName: 'マトリクス', roles: [{ role: 'auditor' }] }),
  'PATCH /api/v1/staff/:id': () => ({ version: 1, displayName: 'マトリクス確認' }),
};

describe('access matrix', () => {
  let t: TestApp;
  const rows = matrixRows();

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('has rows for every registered route, and no rows for routes that do not exist', () => {
    const registered = listRoutes(t.app);
    const covered = [...new Set(rows.map((r) => r.route))].sort();
    expect(covered).toEqual(registered);
  });

  it('covers every route with a target record for all three relations', () => {
    for (const route of new Set(rows.filter((r) => r.route.includes(':')).map((r) => r.route))) {
      const relations = new Set(rows.filter((r) => r.route === route).map((r) => r.relation));
      expect([route, [...relations].sort()]).toEqual([route, ['other-dept', 'other-tenant', 'own-dept']]);
    }
  });

  it.each(rows.map((row) => [`${row.route} [${row.relation}] as ${row.role} → ${row.status}`, row] as const))('%s', async (_name, row: MatrixRow) => {
    const [method, template] = row.route.split(' ');
    const path = row.relation === 'none' ? template : template.replace(':id', TARGETS[row.relation](row.role));
    let call = t.http()[method.toLowerCase() as 'get' | 'post' | 'patch'](path);
    if (row.role !== 'anonymous') call = call.set(bearer(await t.token(row.role)));
    const body = BODIES[row.route];
    const res = await (body ? call.send(body(row.role)) : call);
    expect(res.status).toBe(row.status);
    if (row.status === 403) {
      const [denial] = await t.sql(`select outcome, actor_id from audit_log where request_id = $1`, [res.body.requestId]);
      expect(denial).toEqual({ outcome: 'denied', actor_id: accountId(row.role) });
    }
  });
});
