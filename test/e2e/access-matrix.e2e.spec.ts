import { accountId, departmentId, tenantId } from '../../seeds/demo-data';
import { matrixRows, type MatrixRole, type MatrixRow, type Relation } from '../access-matrix';
import { accessGrantFixture, CoordinationFixtures, Fixtures, registerFixture, returnTaskFixture, roleChangeFixture, staffFixture } from '../support/fixtures';
import { listRoutes } from '../support/routes';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

type Target = Exclude<Relation, 'none'>;
const CITY = 'tsunagi-city';
const TOWN = 'tonari-town';
const CSV_HEADER = '宛名番号,氏名,氏名カナ,生年月日,性別,住所,電話番号,地区,要介護度,身体障害者手帳,療育手帳,精神障害者保健福祉手帳,難病,独居,世帯状況';

/**
 * Where each role works: its department, a counselor there who opens its cases, and a colleague.
 * Tenant-wide roles and supporters are measured against 長寿課; 安心安全課's colleague is made in beforeAll.
 */
const HOMES: Partial<Record<MatrixRole, { dept: string; owner: string; colleague: string }>> = {
  'kyosei-coordinator': { dept: 'chiiki-kyosei', owner: 'kyosei-coordinator', colleague: 'kyosei-manager' },
  'choju-counselor': { dept: 'choju', owner: 'choju-counselor', colleague: 'choju-manager' },
  'fukushi-counselor': { dept: 'fukushi', owner: 'fukushi-counselor', colleague: 'fukushi-manager' },
  'fukushi-manager': { dept: 'fukushi', owner: 'fukushi-counselor', colleague: 'fukushi-counselor' },
  'anshin-counselor': { dept: 'anshin-anzen', owner: 'anshin-counselor', colleague: 'anshin-colleague' },
};
const home = (role: MatrixRole) => HOMES[role] ?? { dept: 'choju', owner: 'choju-counselor', colleague: 'choju-counselor' };
/** A counselor of another department than the caller's, who opens cases and sends referrals there. */
const stranger = (role: MatrixRole) => (home(role).dept === 'fukushi' ? 'choju-counselor' : 'fukushi-counselor');
const CASE_OWNER: Record<Exclude<Target, 'self'>, (role: MatrixRole) => { login: string; tenant: string }> = {
  'own-dept': (role) => ({ login: home(role).owner, tenant: CITY }),
  'other-dept': (role) => ({ login: stranger(role), tenant: CITY }),
  'other-tenant': () => ({ login: 'other-city-counselor', tenant: TOWN }),
};

describe('access matrix', () => {
  let t: TestApp;
  let fixtures: Fixtures;
  let coordination: CoordinationFixtures;
  const rows = matrixRows();

  const accounts: Record<string, string> = {};
  let serial = 0;
  /** Each renewal campaign needs a year of its own. */
  let year = 2000;
  const idOf = (login: string) => accounts[login] ?? accountId(login);

  beforeAll(async () => {
    // Hundreds of fixtures per login within a minute: the rate limit has its own test (rate-limit.e2e.spec.ts).
    t = await startTestApp();
    fixtures = new Fixtures(t);
    coordination = new CoordinationFixtures(t);
    accounts['anshin-colleague'] = await staffFixture(t, CITY, 'anshin-colleague', [{ role: 'counselor', department: 'anshin-anzen' }]);
    // A second administrator: the first one's requests need someone else to decide them.
    accounts['admin-2'] = await staffFixture(t, CITY, 'admin-2', [{ role: 'admin' }]);
  });
  afterAll(() => t.close());

  const STAFF_TARGET: Record<Target, (role: MatrixRole) => string> = {
    'own-dept': (role) => idOf(home(role).colleague),
    'other-dept': (role) => accountId(stranger(role)),
    'other-tenant': () => accountId('other-city-counselor'),
    self: (role) => accountId(role),
  };

  /** The concrete request for a row: fresh records for every call, so no row depends on another. */
  async function prepare(row: MatrixRow): Promise<{ path: string; body?: object }> {
    const [, template] = row.route.split(' ');
    const relation = row.relation as Target;
    if (template.startsWith('/api/v1/staff/:id')) {
      const path = template.replace(':id', STAFF_TARGET[relation](row.role));
      if (relation !== 'self') return { path, body: { version: 1, displayName: 'マトリクス確認' } };
      // Self-grant: one's own roles plus a counselor role in 長寿課.
      const [{ version }] = await t.sql<{ version: number }>(`select coalesce(max(version), 1) as version from staff where id = $1`, [accountId(row.role)]);
      return { path, body: { version, roles: [{ role: 'admin' }, { role: 'counselor', departmentId: departmentId(CITY, 'choju') }], reason: '自分で確認するため' } };
    }
    if (template === '/api/v1/demo/sign-in') return { path: template, body: { login: 'choju-counselor' } };
    if (template === '/api/v1/staff') return { path: template, body: { login: `matrix-${row.role}`, displayName: 'マトリクス', roles: [{ role: 'auditor' }], reason: 'マトリクス確認' } };
    if (template.startsWith('/api/v1/role-changes')) return prepareRoleChange(row, template);
    if (template === '/api/v1/tenant/settings') {
      const [current] = await t.sql<{ version: number }>(`select version from tenant_settings where tenant_id = $1`, [tenantId(CITY)]);
      return { path: template, body: row.route.startsWith('PATCH') ? { version: current?.version ?? 1, referralResponseBusinessDays: 5 } : undefined };
    }
    if (template === '/api/v1/workflows/:name') return { path: '/api/v1/workflows/case' };
    if (template === '/api/v1/reporting/overview/:section.csv') return { path: '/api/v1/reporting/overview/criteria.csv' };
    if (template === '/api/v1/referrals') return { path: '/api/v1/referrals?box=incoming' };
    if (template === '/api/v1/cases' && row.relation === 'none') return { path: template, body: { title: 'マトリクス', issues: ['care'], persons: [{ relation: '本人', familyName: '行', givenName: '列' }] } };
    if (template === '/api/v1/cases') {
      const known = await fixtures.openCase(CASE_OWNER[relation as keyof typeof CASE_OWNER](row.role).login);
      return { path: template, body: { title: 'マトリクス', issues: ['care'], persons: [{ relation: '本人', personId: known.persons[0].personId }] } };
    }
    if (template.startsWith('/api/v1/coordination') || template.startsWith('/api/v1/meetings')) return prepareCollaboration(row, template);
    if (template.startsWith('/api/v1/evacuation-support')) return prepareRegister(row, template);
    if (template === '/api/v1/audit/persons/:personId') {
      const opened = await fixtures.openCase(relation === 'other-tenant' ? 'other-city-counselor' : relation === 'own-dept' ? 'choju-counselor' : 'fukushi-counselor');
      return { path: `/api/v1/audit/persons/${opened.persons[0].personId}` };
    }
    if (template === '/api/v1/audit/verifications/:id') {
      const [{ id }] = await t.sql<{ id: string }>(
        `insert into audit_verifications (id, tenant_id, requested_by, from_seq, to_seq, next_seq, state, started_at) values (gen_random_uuid(), $1, $2, 1, 0, 1, 'ok', now()) returning id`,
        [tenantId(relation === 'other-tenant' ? TOWN : CITY), accountId(relation === 'own-dept' ? row.role : 'admin')],
      );
      return { path: `/api/v1/audit/verifications/${id}` };
    }
    if (template.startsWith('/api/v1/audit/access-grants')) return prepareAccessGrant(row, template);
    if (template === '/api/v1/audit/checkpoints/verify') return { path: template, body: { checkpoint: 'not-a-checkpoint-at-all' } };
    if (template === '/api/v1/audit/checkpoints') await t.http().get('/api/v1/staff').set(bearer(await t.token('choju-counselor')));
    if (template.startsWith('/api/v1/people')) return preparePeople(row, template);
    if (template.startsWith('/api/v1/information-requests')) return prepareInformationRequest(row, template);
    if (template.startsWith('/api/v1/participation')) return prepareParticipation(row, template);
    if (template.startsWith('/api/v1/cases/:id/persons') || template === '/api/v1/cases/:id/issues') {
      const owner = CASE_OWNER[relation as keyof typeof CASE_OWNER](row.role);
      const opened = await fixtures.openCase(owner.login, {
        persons: [{ relation: '本人', familyName: '試験', givenName: '花子' }, { relation: '長男', familyName: '試験', givenName: '一郎' }],
      });
      const path = template.replace(':id', opened.id).replace(':personId', opened.persons[1].personId);
      if (template.endsWith('/issues')) return { path, body: { version: opened.version, issues: ['care', 'poverty'] } };
      if (template.endsWith('/remove')) return { path, body: { version: opened.version, reason: '別世帯と判明' } };
      return { path, body: { version: opened.version, person: { relation: '孫', familyName: '試験', givenName: '次郎' } } };
    }
    if (template.startsWith('/api/v1/referrals/:id') && row.action === 'approve') return prepareSpecialShare(row, template);
    if (template.startsWith('/api/v1/referrals/:id')) {
      const sender = relation === 'other-tenant' ? { login: 'other-city-counselor', tenant: TOWN } : { login: stranger(row.role), tenant: CITY };
      const to = relation === 'own-dept' ? home(row.role).dept : relation === 'other-dept' ? 'kenko' : 'choju';
      const opened = await fixtures.openCase(sender.login);
      const referral = await fixtures.refer(sender.login, opened.id, sender.tenant, to);
      return { path: template.replace(':id', referral.id).replace(':action', 'accept'), body: { version: referral.version } };
    }
    if (template.startsWith('/api/v1/cases/:id')) {
      const owner = CASE_OWNER[relation as keyof typeof CASE_OWNER](row.role);
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

  /** The person record: relations as the matrix header explains. */
  async function preparePeople(row: MatrixRow, template: string): Promise<{ path: string; body?: object }> {
    if (template === '/api/v1/people') return { path: template };
    if (template === '/api/v1/people/intake-checks') return { path: template, body: { residentNumber: '999999', reason: 'マトリクス確認' } };
    if (template === '/api/v1/people/dv-measures/renewals-due') return { path: template };
    const owner = CASE_OWNER[row.relation as keyof typeof CASE_OWNER](row.role);
    if (template.includes('merges')) return prepareMerge(row, owner, template);
    const opened = await fixtures.openCase(owner.login);
    if (template.includes('/dv-measures')) return prepareDvMeasure(row, template, opened.persons[0].personId);
    const personId = opened.persons[0].personId;
    const path = template.replace(':id', personId);
    if (template.endsWith('/consents/:consentId/actions/withdraw')) {
      const [{ id }] = await t.sql<{ id: string }>(
        `insert into person_consents (id, tenant_id, person_id, recipients, field_groups, purpose, given_on, method) values (gen_random_uuid(), $1, $2, '[]', '{basic}', 'マトリクス確認', '2026-11-20', 'oral') returning id`,
        [tenantId(owner.tenant), personId],
      );
      return { path: path.replace(':consentId', id), body: { version: 1, withdrawnOn: '2026-11-21', reason: '本人の申出' } };
    }
    if (row.route === 'POST /api/v1/people/:id/consents') {
      const recipients = [{ type: 'department', departmentId: departmentId(owner.tenant, 'kenko') }, { type: 'meeting', meetingKind: 'juso_kaigi' }];
      return { path, body: { recipients, fieldGroups: ['basic'], purpose: 'マトリクス確認', givenOn: '2026-11-20', method: 'oral' } };
    }
    return { path, body: row.route.startsWith('PATCH') ? { version: 1, reason: 'マトリクス確認', phone: '000-1111-2222' } : undefined };
  }

  /** DV等支援措置: relations as the matrix header explains; actions approve a set request made by someone else. */
  async function prepareDvMeasure(row: MatrixRow, template: string, personId: string): Promise<{ path: string; body?: object }> {
    const path = template.replace(':id', personId);
    if (!template.includes(':dvMeasureId')) return { path, body: row.route.startsWith('POST') ? { reason: 'マトリクス確認' } : undefined };
    const [{ id }] = await t.sql<{ id: string }>(
      `insert into dv_measures (id, tenant_id, person_id, department_id, state, machine, starts_on, ends_on, protector_ids, reason, requested_by, pending_request, pending_requested_by, created_at, updated_at)
       select gen_random_uuid(), tenant_id, id, collected_by_department_id, 'requested', 'dv-measure.v1', jp_today(), jp_today() + 364, array[$2::uuid], 'マトリクス確認', $2, 'set', $2, now(), now()
         from persons where id = $1 returning id`,
      [personId, accountId('kenko-counselor')],
    );
    return { path: path.replace(':dvMeasureId', id).replace(':action', 'approve'), body: { version: 1 } };
  }

  /** 名寄せ: two records of one person, of the owner's department; to list and undo, already merged. */
  async function prepareMerge(row: MatrixRow, owner: { login: string }, template: string): Promise<{ path: string; body?: object }> {
    if (row.route.startsWith('POST /api/v1/people/:id/merges')) {
      const { survivor, duplicate } = await fixtures.duplicatePair(owner.login);
      return { path: template.replace(':id', survivor), body: { duplicateId: duplicate, version: 1, duplicateVersion: 1, reason: 'マトリクス確認' } };
    }
    const { mergeId, survivor } = await fixtures.personMerge(owner.login);
    if (template.endsWith('/:id/merges')) return { path: template.replace(':id', survivor) };
    return { path: template.replace(':mergeId', mergeId), body: { version: 1, reason: 'マトリクス確認' } };
  }

  /** 情報照会: relations as the matrix header explains. */
  async function prepareInformationRequest(row: MatrixRow, template: string): Promise<{ path: string; body?: object }> {
    const ask = (personId: string, toDepartment: string) => ({
      personId,
      toDepartmentId: departmentId(CITY, toDepartment),
      groups: ['basic'],
      purpose: 'マトリクス確認',
      legalBasis: 'APPI_INTERNAL',
      legalBasisReason: '庁内での支援調整のため',
    });
    if (template === '/api/v1/information-requests') {
      if (row.route.startsWith('GET')) return { path: '/api/v1/information-requests?box=incoming' };
      const holder = stranger(row.role);
      const opened = await fixtures.openCase(holder);
      return { path: template, body: ask(opened.persons[0].personId, home(holder as MatrixRole).dept) };
    }
    let requestId: string;
    if (row.relation === 'other-tenant') {
      const opened = await fixtures.openCase('other-city-counselor');
      const [{ id }] = await t.sql<{ id: string }>(
        `insert into information_requests (id, tenant_id, person_id, from_department_id, to_department_id, requested_by, requested_groups, purpose, legal_basis, legal_basis_reason, state, machine, expires_on, created_at, updated_at)
         values (gen_random_uuid(), $1, $2, $3, $4, $5, '{basic}', 'マトリクス確認', 'APPI_INTERNAL', '庁内', 'requested', 'information-request.v1', '2099-01-01', now(), now()) returning id`,
        [tenantId(TOWN), opened.persons[0].personId, departmentId(TOWN, 'kenko'), departmentId(TOWN, 'choju'), accountId('other-city-counselor')],
      );
      requestId = id;
    } else {
      // own-dept: a stranger asks the caller's department about a person it collected; other-dept: the stranger asks 健康課.
      const holder = row.relation === 'own-dept' ? { login: home(row.role).owner, dept: home(row.role).dept } : { login: 'kenko-counselor', dept: 'kenko' };
      const opened = await fixtures.openCase(holder.login);
      const res = await t.http().post('/api/v1/information-requests').set(bearer(await t.token(stranger(row.role)))).send(ask(opened.persons[0].personId, holder.dept));
      if (res.status !== 201) throw new Error(`information request: ${res.status} ${JSON.stringify(res.body)}`);
      requestId = res.body.id;
    }
    return { path: template.replace(':id', requestId).replace(':action', 'approve'), body: { version: 1, groups: ['basic'] } };
  }

  /** 参加支援: relations as the matrix header explains. */
  async function prepareParticipation(row: MatrixRow, template: string): Promise<{ path: string; body?: object }> {
    const relation = row.relation as Target | 'none';
    const tenant = relation === 'other-tenant' ? TOWN : CITY;
    const ownerDept = relation === 'other-dept' ? home(stranger(row.role) as MatrixRole).dept : home(row.role).dept;
    const resourceIn = async (inTenant: string, dept: string) => {
      const [{ id }] = await t.sql<{ id: string }>(
        `insert into participation_resources (id, tenant_id, name, kind, owner_department_id, district_code, state, as_of, created_by, created_at, updated_at)
         values (gen_random_uuid(), $1, 'マトリクスの通いの場', 'kayoi_no_ba', $2, 'A', 'open', current_date, $3, now(), now()) returning id`,
        [tenantId(inTenant), departmentId(inTenant, dept), accountId(inTenant === TOWN ? 'other-city-counselor' : 'choju-counselor')],
      );
      return id;
    };
    const consent = { givenOn: '2026-11-20', method: 'oral', fields: ['name'] };
    switch (template) {
      case '/api/v1/participation/resources':
        if (row.route.startsWith('GET')) return { path: template };
        return { path: template, body: { name: 'マトリクスのサロン', kind: 'salon', ownerDepartmentId: departmentId(CITY, home(row.role).dept), districtCode: 'A' } };
      case '/api/v1/participation/resources/imports':
        return { path: template, body: Buffer.from(`名称,種別,担当課,地区\r\nマトリクスの集い,サロン,${home(row.role).dept},A\r\n`) };
      case '/api/v1/participation/volunteers':
        if (row.route.startsWith('GET')) return { path: template };
        return { path: template, body: { name: 'マトリクス 奉仕', kind: 'volunteer', ownerDepartmentId: departmentId(CITY, home(row.role).dept), listingConsent: { givenOn: '2026-11-20', method: 'oral' } } };
      case '/api/v1/participation/volunteers/:id': {
        const [{ id }] = await t.sql<{ id: string }>(
          `insert into participation_volunteers (id, tenant_id, name, kind, owner_department_id, listing_consent, contact_consent, state, created_by, created_at, updated_at)
           values (gen_random_uuid(), $1, 'マトリクス 奉仕', 'volunteer', $2, '{"givenOn":"2026-11-20","method":"oral"}', true, 'listed', $3, now(), now()) returning id`,
          [tenantId(tenant), departmentId(tenant, relation === 'other-tenant' ? 'choju' : ownerDept), accountId(tenant === TOWN ? 'other-city-counselor' : 'choju-counselor')],
        );
        return { path: template.replace(':id', id), body: row.route.startsWith('PATCH') ? { version: 1, availability: '平日午前' } : undefined };
      }
      case '/api/v1/participation/proposals':
        return { path: `${template}?wish=place` };
      case '/api/v1/participation/connections': {
        if (row.route.startsWith('GET')) return { path: template };
        const opened = await fixtures.openCase(home(row.role).owner);
        return { path: template, body: { resourceId: await resourceIn(CITY, 'choju'), personId: opened.persons[0].personId, caseId: opened.id, share: ['name'], consent } };
      }
      case '/api/v1/participation/connections/:id':
      case '/api/v1/participation/connections/:id/actions/:action': {
        const maker = relation === 'other-tenant' ? 'other-city-counselor' : relation === 'own-dept' ? home(row.role).owner : stranger(row.role);
        const dept = relation === 'other-tenant' ? 'choju' : relation === 'own-dept' ? home(row.role).dept : home(stranger(row.role) as MatrixRole).dept;
        const opened = await fixtures.openCase(maker);
        const [{ id }] = await t.sql<{ id: string }>(
          `with consent as (
             insert into person_consents (id, tenant_id, person_id, recipients, field_groups, purpose, given_on, method, created_at)
             values (gen_random_uuid(), $1, $3, jsonb_build_array(jsonb_build_object('type', 'participationHost', 'resourceId', $2::uuid)), '{basic}', '紹介のため', current_date, 'written', now())
             returning id)
           insert into participation_connections (id, tenant_id, resource_id, person_id, case_id, department_id, wish, shared_fields, person_consent_id, state, machine, follow_up_on, created_by, created_at, updated_at)
           select gen_random_uuid(), $1, $2::uuid, $3::uuid, $4, $5, 'place', '{name}', consent.id, 'proposed', 'participation-connection.v1', current_date + 30, $6, now(), now() from consent returning id`,
          [tenantId(tenant), await resourceIn(tenant, 'choju'), opened.persons[0].personId, opened.id, departmentId(tenant, dept), accountId(maker)],
        );
        return { path: template.replace(':id', id).replace(':action', 'introduce'), body: template.endsWith(':id') ? undefined : { version: 1 } };
      }
      case '/api/v1/participation/window-visits':
        if (row.route.startsWith('GET')) return { path: template };
        return { path: template, body: { departmentId: departmentId(CITY, home(row.role).dept), districtCode: 'A', visitors: 2, wishes: ['work'], outcome: 'information_only' } };
      case '/api/v1/participation/window-visits/:id': {
        const maker = relation === 'other-tenant' ? 'other-city-counselor' : relation === 'own-dept' ? home(row.role).owner : stranger(row.role);
        const dept = relation === 'other-tenant' ? 'choju' : relation === 'own-dept' ? home(row.role).dept : home(stranger(row.role) as MatrixRole).dept;
        const opened = await fixtures.openCase(maker);
        const [{ id }] = await t.sql<{ id: string }>(
          `insert into participation_window_visits (id, tenant_id, department_id, visited_on, district_code, person_id, case_id, wishes, outcome, created_by, created_at, updated_at)
           values (gen_random_uuid(), $1, $2, current_date, 'A', $3, $4, '{work}', 'proposed', $5, now(), now()) returning id`,
          [tenantId(tenant), departmentId(tenant, dept), opened.persons[0].personId, opened.id, accountId(maker)],
        );
        return { path: template.replace(':id', id) };
      }
      default: {
        const id = await resourceIn(tenant, relation === 'other-tenant' ? 'choju' : ownerDept);
        const path = template.replace(':id', id);
        return { path, body: row.route.startsWith('PATCH') ? { version: 1, freePlaces: 3 } : template.endsWith('/close') ? { version: 1, reason: 'マトリクス確認' } : undefined };
      }
    }
  }

  /** 監査のための閲覧特例: relations as the matrix header explains. */
  async function prepareAccessGrant(row: MatrixRow, template: string): Promise<{ path: string; body?: object }> {
    const relation = row.relation as Target;
    const reason = '不適切な閲覧の疑いの調査のため';
    if (template === '/api/v1/audit/access-grants') {
      const opened = await fixtures.openCase('choju-counselor');
      return { path: template, body: row.route.startsWith('POST') ? { caseId: opened.id, reason } : undefined };
    }
    const staff = row.role !== 'anonymous' && row.role !== 'minsei-a';
    const requester =
      relation === 'other-tenant' ? 'other-city-counselor' : relation === 'own-dept' ? (staff ? row.role : 'auditor') : row.role === 'auditor' ? 'admin' : 'auditor';
    const tenant = relation === 'other-tenant' ? TOWN : CITY;
    const opened = await fixtures.openCase(relation === 'other-tenant' ? 'other-city-counselor' : 'choju-counselor');
    const id = await accessGrantFixture(t, tenant, requester, opened.id);
    return { path: template.replace(':id', id), body: template.endsWith(':id') ? undefined : { version: 1, reason: '調査の範囲外のため' } };
  }

  /** 避難行動要支援者 routes: relations as the matrix header explains. */
  async function prepareRegister(row: MatrixRow, template: string): Promise<{ path: string; body?: object }> {
    const relation = row.relation as Target;
    const tenant = relation === 'other-tenant' ? TOWN : CITY;
    const district = relation === 'other-dept' ? 'B' : 'A';
    const keeper = accountId(relation === 'other-tenant' ? 'other-city-counselor' : 'fukushi-counselor');
    switch (template) {
      case '/api/v1/evacuation-support/entries':
        return { path: template, body: { source: 'survey', person: { familyName: '調査', givenName: '花子', address: '本町9-9', birthDate: '1940-01-01' }, districtCode: 'A', facts: { livingAlone: true } } };
      case '/api/v1/evacuation-support/entries/:id':
      case '/api/v1/evacuation-support/entries/:id/actions/:action':
      case '/api/v1/evacuation-support/entries/:id/plan': {
        const { entryId } = await registerFixture(t, tenant, district);
        const path = template.replace(':id', entryId).replace(':action', 'send-renewal');
        if (template.endsWith('/plan')) return { path, body: { version: 0, personConsent: true, helperConsent: true, helper: { name: '隣 助', address: '本町', phone: '090-0000-0000' }, shelter: '小学校', route: '北へ' } };
        return { path, body: template.endsWith(':id') ? undefined : { version: 1 } };
      }
      case '/api/v1/evacuation-support/roster/:personId': {
        const { personId } = await registerFixture(t, tenant, district);
        return { path: `/api/v1/evacuation-support/roster/${personId}` };
      }
      case '/api/v1/evacuation-support/return-tasks/:id/actions/done': {
        const supporter = relation === 'own-dept' ? accountId('minsei-a') : relation === 'other-dept' ? accountId('minsei-b') : null;
        return { path: `/api/v1/evacuation-support/return-tasks/${await returnTaskFixture(t, tenant, supporter)}/actions/done` };
      }
      case '/api/v1/evacuation-support/settings': {
        const [{ version }] = await t.sql<{ version: number }>(`select coalesce((select version from evacuation_settings where tenant_id = $1), 0) as version`, [tenantId(CITY)]);
        return { path: template, body: { version, provisionModel: 'opt_in', eligibilityRules: { rules: [{ code: 'care', kind: 'care_level_at_least', min: 3, label: { ja: '要介護3以上', en: 'care 3+' } }] } } };
      }
      case '/api/v1/evacuation-support/imports':
        return { path: template, body: Buffer.from(`${CSV_HEADER}\r\n${++serial},列 花子,レツ ハナコ,1940-01-01,女,つなぎ市本町1-1,,A,要介護4,,,,無,有,独居`) };
      case '/api/v1/evacuation-support/imports/:id':
      case '/api/v1/evacuation-support/imports/:id/actions/:action': {
        const [{ id }] = await t.sql<{ id: string }>(
          `insert into register_imports (id, tenant_id, encoding, total_rows, rows, rejected, state, created_by) values (gen_random_uuid(), $1, 'utf-8', 0, '[]', '[]', 'parsed', $2) returning id`,
          [tenantId(tenant), keeper],
        );
        return { path: template.replace(':id', id).replace(':action', 'cancel') };
      }
      case '/api/v1/evacuation-support/renewal-campaigns':
        return { path: template, body: { year: ++year } };
      case '/api/v1/evacuation-support/renewal-campaigns/:id': {
        const [{ id }] = await t.sql<{ id: string }>(
          `insert into renewal_campaigns (id, tenant_id, year, state, total, started_by) values (gen_random_uuid(), $1, $2, 'completed', 0, $3) returning id`,
          [tenantId(tenant), ++year, keeper],
        );
        return { path: template.replace(':id', id) };
      }
      case '/api/v1/evacuation-support/disasters':
        return { path: template, body: row.route.startsWith('POST') ? { kind: 'flood', title: '大雨', districtCodes: ['A'] } : undefined };
      case '/api/v1/evacuation-support/disasters/:id/actions/close': {
        const [{ id }] = await t.sql<{ id: string }>(
          `insert into disasters (id, tenant_id, kind, title, district_codes, declared_by) values (gen_random_uuid(), $1, 'flood', '大雨', $2, $3) returning id`,
          [tenantId(tenant), [district], accountId(relation === 'other-tenant' ? 'other-city-counselor' : 'anshin-counselor')],
        );
        return { path: template.replace(':id', id), body: { version: 1 } };
      }
      case '/api/v1/evacuation-support/notices':
        return { path: template, body: {} };
      case '/api/v1/evacuation-support/notices/actions/mark-mailed':
        return { path: template, body: {} };
    }
    return { path: template };
  }

  /**
   * 権限付与申請: relations as the matrix header explains. The staff member concerned is a fresh one for
   * each row (self: the caller, its earlier open request withdrawn), so no row depends on another.
   */
  async function prepareRoleChange(row: MatrixRow, template: string): Promise<{ path: string; body?: object }> {
    if (template === '/api/v1/role-changes') return { path: template };
    const relation = row.relation as Target;
    const isStaff = row.role !== 'anonymous' && row.role !== 'minsei-a';
    const another = idOf(row.role === 'admin' ? 'admin-2' : 'admin');
    let id: string;
    if (relation === 'other-tenant') {
      id = await roleChangeFixture(t, TOWN, accountId('other-city-admin'), await staffFixture(t, TOWN, `matrix-rc-${++serial}`, []), 'counselor', 'choju');
    } else if (relation === 'self' && isStaff) {
      await t.sql(`update role_change_requests set state = 'withdrawn' where staff_id = $1 and state = 'requested'`, [accountId(row.role)]);
      id = await roleChangeFixture(t, CITY, another, accountId(row.role), 'manager', home(row.role).dept);
    } else {
      const requester = relation === 'own-dept' && isStaff ? accountId(row.role) : another;
      id = await roleChangeFixture(t, CITY, requester, await staffFixture(t, CITY, `matrix-rc-${++serial}`, []), 'counselor', home(row.role).dept);
    }
    const path = template.replace(':id', id);
    return { path, body: template.endsWith(':id') ? undefined : { version: 1, reason: '兼務の予定がなくなったため' } };
  }

  /** A 要配慮 share awaiting approval (APPI_SPECIAL): relations as the matrix header explains. */
  async function prepareSpecialShare(row: MatrixRow, template: string): Promise<{ path: string; body?: object }> {
    const relation = row.relation as Target;
    const [sender, tenant, to] =
      relation === 'other-tenant' ? ['other-city-counselor', TOWN, 'choju'] : relation === 'own-dept' ? [home(row.role).owner, CITY, 'kenko'] : [stranger(row.role), CITY, home(row.role).dept];
    const opened = await fixtures.openCase(sender);
    const share = await fixtures.refer(sender, opened.id, tenant, to, 'APPI_SPECIAL');
    return { path: template.replace(':id', share.id).replace(':action', 'approve'), body: { version: share.version } };
  }

  /** 多機関協働 routes: relations as the matrix header explains. */
  async function prepareCollaboration(row: MatrixRow, template: string): Promise<{ path: string; body?: object }> {
    const relation = row.relation as Target;
    const tenant = relation === 'other-tenant' ? TOWN : CITY;
    const owner = relation === 'other-tenant' ? 'other-city-counselor' : relation === 'own-dept' ? home(row.role).owner : stranger(row.role);
    const today = new Date().toISOString().slice(0, 10);
    switch (template) {
      case '/api/v1/coordination/criteria':
        return { path: template, body: { rules: [{ code: 'multi_sector', kind: 'sectors_at_least', min: 2, label: { ja: '2分野以上', en: 'two sectors or more' } }] } };
      case '/api/v1/coordination/escalations': {
        if (row.route.startsWith('GET')) return { path: template };
        const opened = await fixtures.openCase(home(row.role).owner);
        return { path: template, body: { caseId: opened.id, reason: '複合課題のため' } };
      }
      case '/api/v1/coordination/escalations/:id/actions/:action': {
        const escalation = await coordination.escalation(owner, tenant);
        return { path: `/api/v1/coordination/escalations/${escalation.id}/actions/accept`, body: { version: escalation.version } };
      }
      case '/api/v1/coordination/cases': {
        if (row.route.startsWith('GET')) return { path: template };
        const opened = await fixtures.openCase('choju-counselor');
        await t.sql(`update cases set coordination_status = 'candidate' where id = $1`, [opened.id]);
        return { path: template, body: { caseId: opened.id, reason: '候補のため' } };
      }
      case '/api/v1/meetings':
        return { path: template, body: row.route.startsWith('POST') ? { kind: 'juso_kaigi', title: '会議', heldOn: today } : undefined };
      case '/api/v1/coordination/tasks/:id/actions/report': {
        const task = await coordination.task(relation === 'own-dept' ? home(row.role).dept : relation === 'other-dept' ? 'kenko' : 'fukushi', tenant);
        return { path: `/api/v1/coordination/tasks/${task.id}/actions/report`, body: { version: task.version, report: '報告' } };
      }
    }
    if (template.startsWith('/api/v1/coordination/cases/:id')) {
      const stateFor: Record<string, string> = { '/plan': 'planning', '/reviews': 'monitoring', '/evaluations': 'evaluation' };
      const suffix = Object.keys(stateFor).find((k) => template.endsWith(k));
      const found = await coordination.coordination(owner, tenant, suffix ? stateFor[suffix] : 'screening');
      const path = template.replace(':id', found.id).replace(':action', 'start-shien-kaigi-track');
      if (suffix === '/evaluations') {
        await t.sql(`insert into support_plans (id, tenant_id, coordination_case_id, version, goals, state, created_by) select gen_random_uuid(), tenant_id, id, 1, '[{"id":"g1","text":"目標"}]', 'approved', coordinator_id from coordination_cases where id = $1`, [found.id]);
      }
      const bodies: Record<string, object> = {
        '/plan': { version: found.version, goals: [{ id: 'g1', text: '目標' }], tasks: [] },
        '/reviews': { heldOn: today, notes: '順調' },
        '/evaluations': { results: [{ goalId: 'g1', attainment: 'achieved' }] },
      };
      return { path, body: suffix ? bodies[suffix] : template.includes('/actions/') ? { version: found.version } : undefined };
    }
    const staffRoles: MatrixRole[] = ['kyosei-coordinator', 'choju-manager', 'choju-counselor', 'fukushi-counselor', 'fukushi-manager', 'anshin-counselor'];
    const meeting = await coordination.meeting(tenant, relation === 'own-dept' && staffRoles.includes(row.role) ? row.role : undefined);
    const path = template.replace(':id', meeting.id).replace(':caseId', meeting.caseId);
    const second = await fixtures.openCase('choju-counselor');
    const bodies: Record<string, object> = {
      '/members': { staffId: accountId('kenko-counselor'), confidentialityAcknowledged: true },
      '/cases': { coordinationCaseId: (await coordination.coordination('choju-counselor', CITY)).id, share: { case: ['issues'] } },
      '/decisions': { text: '見守りを続ける', caseId: second.id },
      '/minutes': { version: meeting.version, minutes: '議事録' },
    };
    const suffix = Object.keys(bodies).find((k) => template.endsWith(k));
    return { path, body: suffix ? bodies[suffix] : undefined };
  }

  it('has rows for every registered route, and no rows for routes that do not exist', () => {
    const covered = [...new Set(rows.map((r) => r.route))].sort();
    expect(covered).toEqual(listRoutes(t.app));
  });

  it('covers every route on a record with all three relations, and self where one could act on oneself', () => {
    const selfRoutes = ['PATCH /api/v1/staff/:id', ...new Set(rows.filter((r) => r.route.includes('/role-changes/')).map((r) => r.route))];
    for (const route of new Set(rows.filter((r) => r.route.includes(':id')).map((r) => r.route))) {
      const relations = new Set(rows.filter((r) => r.route === route).map((r) => r.relation));
      const expected = ['other-dept', 'other-tenant', 'own-dept', ...(selfRoutes.includes(route) ? ['self'] : [])];
      expect([route, [...relations].sort()]).toEqual([route, expected]);
    }
  });

  it.each(rows.map((row) => [`${row.route} [${row.relation}] as ${row.role} → ${row.status}`, row] as const))('%s', async (_name, row: MatrixRow) => {
    const [method] = row.route.split(' ');
    const { path, body } = await prepare(row);
    let call = t.http()[method.toLowerCase() as 'get' | 'post' | 'patch' | 'put'](path);
    if (path.endsWith('/imports') && method === 'POST') call = call.set('Content-Type', 'text/csv');
    if (row.role !== 'anonymous') call = call.set(bearer(await t.token(row.role)));
    const res = await (body ? call.send(body) : call);
    expect(res.status).toBe(row.status);
    if (row.status === 403 || (row.status === 404 && row.relation === 'other-dept')) {
      const [denial] = await t.sql(`select outcome, actor_id from audit_log where request_id = $1`, [res.body.requestId]);
      expect(denial).toEqual({ outcome: 'denied', actor_id: accountId(row.role) });
    }
  });
});
