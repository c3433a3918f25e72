import { accountId, departmentId } from '../../seeds/demo-data';
import { matrixRows, type MatrixRole, type MatrixRow, type Relation } from '../access-matrix';
import { Fixtures } from '../support/fixtures';
import { listRoutes } from '../support/routes';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

type Target = Exclude<Relation, 'none'>;
const CITY = 'tsunagi-city';
const TOWN = 'tonari-town';

/** Where each role works; tenant-wide roles and supporters are measured against 長寿課. */
const home = (role: MatrixRole) => (role === 'kyosei-coordinator' ? { dept: 'chiiki-kyosei', owner: 'kyosei-coordinator' } : { dept: 'choju', owner: 'choju-counselor' });
const CASE_OWNER: Record<Target, (role: MatrixRole) => { login: string; tenant: string }> = {
  'own-dept': (role) => ({ login: home(role).owner, tenant: CITY }),
  'other-dept': () => ({ login: 'fukushi-counselor', tenant: CITY }),
  'other-tenant': () => ({ login: 'other-city-counselor', tenant: TOWN }),
};
const STAFF_TARGET: Record<Target, (role: MatrixRole) => string> = {
  'own-dept': (role) => accountId(role === 'choju-counselor' ? 'choju-manager' : role === 'kyosei-coordinator' ? 'kyosei-manager' : 'choju-counselor'),
  'other-dept': () => accountId('fukushi-counselor'),
  'other-tenant': () => accountId('other-city-counselor'),
};

describe('access matrix', () => {
  let t: TestApp;
  let fixtures: Fixtures;
  const rows = matrixRows();

  beforeAll(async () => {
    t = await startTestApp();
    fixtures = new Fixtures(t);
  });
  afterAll(() => t.close());

  /** The concrete request for a row: fresh records for every call, so no row depends on another. */
  async function prepare(row: MatrixRow): Promise<{ path: string; body?: object }> {
    const [, template] = row.route.split(' ');
    const relation = row.relation as Target;
    if (template.startsWith('/api/v1/staff/:id')) {
      return { path: template.replace(':id', STAFF_TARGET[relation](row.role)), body: { version: 1, displayName: 'マトリクス確認' } };
    }
    if (template === '/api/v1/staff') return { path: template, body: { login: `matrix-${row.role}`, displayName: 'マトリクス', roles: [{ role: 'auditor' }] } };
    if (template === '/api/v1/workflows/:name') return { path: '/api/v1/workflows/case' };
    if (template === '/api/v1/referrals') return { path: '/api/v1/referrals?box=incoming' };
    if (template === '/api/v1/cases') return { path: template, body: { title: 'マトリクス', issues: ['care'], persons: [{ relation: '本人', familyName: '行', givenName: '列' }] } };
    if (template.startsWith('/api/v1/referrals/:id')) {
      const sender = relation === 'other-tenant' ? { login: 'other-city-counselor', tenant: TOWN } : { login: 'fukushi-counselor', tenant: CITY };
      const to = relation === 'own-dept' ? home(row.role).dept : relation === 'other-dept' ? 'kenko' : 'choju';
      const opened = await fixtures.openCase(sender.login);
      const referral = await fixtures.refer(sender.login, opened.id, sender.tenant, to);
      return { path: template.replace(':id', referral.id).replace(':action', 'accept'), body: { version: referral.version } };
    }
    if (template.startsWith('/api/v1/cases/:id')) {
      const owner = CASE_OWNER[relation](row.role);
      const opened = await fixtures.openCase(owner.login);
      const path = template.replace(':id', opened.id).replace(':action', 'start-assessment');
      const otherDepartment = departmentId(owner.tenant, owner.tenant === TOWN ? 'choju' : 'kenko');
      if (template.endsWith('/consents/:consentId/actions/withdraw')) {
        const consentId = await fixtures.consent(owner.login, opened.id, opened.persons[0].personId, owner.tenant, owner.tenant === TOWN ? 'choju' : 'kenko');
        return { path: path.replace(':consentId', consentId), body: { withdrawnOn: '2026-11-21', reason: '本人の申出' } };
      }
      const bodies: Record<string, object> = {
        '/actions/start-assessment': { version: opened.version },
        '/notes': { body: '訪問した。' },
        '/consents': { personId: opened.persons[0].personId, scope: ['basic'], recipientDepartmentIds: [otherDepartment], givenOn: '2026-11-20', method: 'oral' },
        '/referrals': { toDepartmentId: otherDepartment, purpose: '確認', legalBasis: 'APPI_INTERNAL', legalBasisReason: '庁内の支援調整', share: { case: ['issues'] } },
      };
      const suffix = Object.keys(bodies).find((s) => path.endsWith(s));
      return { path, body: suffix ? bodies[suffix] : undefined };
    }
    return { path: template };
  }

  it('has rows for every registered route, and no rows for routes that do not exist', () => {
    const covered = [...new Set(rows.map((r) => r.route))].sort();
    expect(covered).toEqual(listRoutes(t.app));
  });

  it('covers every route on a record with all three relations', () => {
    for (const route of new Set(rows.filter((r) => r.route.includes(':id')).map((r) => r.route))) {
      const relations = new Set(rows.filter((r) => r.route === route).map((r) => r.relation));
      expect([route, [...relations].sort()]).toEqual([route, ['other-dept', 'other-tenant', 'own-dept']]);
    }
  });

  it.each(rows.map((row) => [`${row.route} [${row.relation}] as ${row.role} → ${row.status}`, row] as const))('%s', async (_name, row: MatrixRow) => {
    const [method] = row.route.split(' ');
    const { path, body } = await prepare(row);
    let call = t.http()[method.toLowerCase() as 'get' | 'post' | 'patch'](path);
    if (row.role !== 'anonymous') call = call.set(bearer(await t.token(row.role)));
    const res = await (body ? call.send(body) : call);
    expect(res.status).toBe(row.status);
    if (row.status === 403 || (row.status === 404 && row.relation === 'other-dept')) {
      const [denial] = await t.sql(`select outcome, actor_id from audit_log where request_id = $1`, [res.body.requestId]);
      expect(denial).toEqual({ outcome: 'denied', actor_id: accountId(row.role) });
    }
  });
});
