import { accountId, departmentId, tenantId } from '../../seeds/demo-data';
import { bearer, type TestApp } from './test-app';

/** Cases and referrals made through the API, as a counselor would. */
export class Fixtures {
  constructor(private readonly t: TestApp) {}

  async openCase(login: string, overrides: Record<string, unknown> = {}): Promise<{ id: string; version: number; persons: { personId: string }[] }> {
    const res = await this.t
      .http()
      .post('/api/v1/cases')
      .set(bearer(await this.t.token(login)))
      .send({
        title: 'テストケース',
        issues: ['care'],
        persons: [{ relation: '本人', familyName: '試験', givenName: '花子', address: '試験町1-1', phone: '000-0000-0000' }],
        ...overrides,
      });
    if (res.status !== 201) throw new Error(`openCase as ${login}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async refer(login: string, caseId: string, tenant: string, toDepartment: string): Promise<{ id: string; version: number }> {
    const res = await this.t
      .http()
      .post(`/api/v1/cases/${caseId}/referrals`)
      .set(bearer(await this.t.token(login)))
      .send({
        toDepartmentId: departmentId(tenant, toDepartment),
        purpose: '対応をお願いします',
        legalBasis: 'APPI_INTERNAL',
        legalBasisReason: '庁内での支援調整のため',
        share: { case: ['issues'] },
      });
    if (res.status !== 201) throw new Error(`refer as ${login}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async consent(login: string, caseId: string, personId: string, tenant: string, toDepartment: string): Promise<string> {
    const res = await this.t
      .http()
      .post(`/api/v1/cases/${caseId}/consents`)
      .set(bearer(await this.t.token(login)))
      .send({ personId, scope: ['basic', 'case'], recipientDepartmentIds: [departmentId(tenant, toDepartment)], givenOn: '2026-11-20', method: 'written' });
    if (res.status !== 201) throw new Error(`consent as ${login}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }
}

const CITY_COORDINATOR = 'kyosei-coordinator';

/** 多機関協働 records. The second tenant has no coordinator, so its records are written in SQL. */
export class CoordinationFixtures {
  private readonly cases: Fixtures;

  constructor(private readonly t: TestApp) {
    this.cases = new Fixtures(t);
  }

  private async as(login: string) {
    return bearer(await this.t.token(login));
  }

  /** A coordination case of a case led by `owner`'s department, moved to `state`. */
  async coordination(owner: string, tenant: string, state = 'screening'): Promise<{ id: string; version: number; caseId: string; personId: string }> {
    const opened = await this.cases.openCase(owner);
    const personId = opened.persons[0].personId;
    if (tenant !== 'tsunagi-city') {
      const [row] = await this.t.sql<{ id: string }>(
        `insert into coordination_cases (id, tenant_id, case_id, lead_department_id, state, machine, coordinator_id) select gen_random_uuid(), tenant_id, id, lead_department_id, $2, 'coordination.v1', gen_random_uuid() from cases where id = $1 returning id`,
        [opened.id, state],
      );
      return { id: row.id, version: 1, caseId: opened.id, personId };
    }
    await this.t.sql(`update cases set coordination_status = 'candidate' where id = $1`, [opened.id]);
    const taken = await this.t.http().post('/api/v1/coordination/cases').set(await this.as(CITY_COORDINATOR)).send({ caseId: opened.id, reason: 'テスト' });
    if (taken.status !== 201) throw new Error(`take up: ${taken.status} ${JSON.stringify(taken.body)}`);
    if (state !== 'screening') await this.t.sql(`update coordination_cases set state = $2 where id = $1`, [taken.body.id, state]);
    return { id: taken.body.id, version: taken.body.version, caseId: opened.id, personId };
  }

  async escalation(owner: string, tenant: string): Promise<{ id: string; version: number }> {
    const opened = await this.cases.openCase(owner);
    if (tenant !== 'tsunagi-city') {
      const [row] = await this.t.sql<{ id: string }>(
        `insert into escalations (id, tenant_id, case_id, source, reason, state) select gen_random_uuid(), tenant_id, id, 'manual', 'テスト', 'pending' from cases where id = $1 returning id`,
        [opened.id],
      );
      return { id: row.id, version: 1 };
    }
    const res = await this.t.http().post('/api/v1/coordination/escalations').set(await this.as(owner)).send({ caseId: opened.id, reason: 'テスト' });
    if (res.status !== 201) throw new Error(`escalate: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.id, version: 1 };
  }

  /** A 支援会議 with `member` on it (if given), and a coordination case shared with it. */
  async meeting(tenant: string, member?: string): Promise<{ id: string; version: number; caseId: string; coordinationId: string }> {
    if (tenant !== 'tsunagi-city') {
      const coordination = await this.coordination('other-city-counselor', tenant);
      const [row] = await this.t.sql<{ id: string }>(
        `insert into meetings (id, tenant_id, kind, title, held_on, access_until, created_by) select gen_random_uuid(), tenant_id, 'shien_kaigi', 'テスト', current_date, current_date + 30, gen_random_uuid() from cases where id = $1 returning id`,
        [coordination.caseId],
      );
      return { id: row.id, version: 1, caseId: coordination.caseId, coordinationId: coordination.id };
    }
    const coordinator = await this.as(CITY_COORDINATOR);
    const meeting = await this.t.http().post('/api/v1/meetings').set(coordinator).send({ kind: 'shien_kaigi', title: 'テスト会議', heldOn: new Date().toISOString().slice(0, 10) });
    // Members must be staff; a meeting needs at least one before anything is shared (one outside the access matrix's columns).
    const members = new Set(['kodomo-katei-counselor', ...(member && member !== 'minsei-a' && member !== 'admin' ? [member] : [])]);
    for (const login of members) {
      await this.t.http().post(`/api/v1/meetings/${meeting.body.id}/members`).set(coordinator).send({ staffId: accountId(login), confidentialityAcknowledged: true });
    }
    const coordination = await this.coordination('choju-counselor', tenant);
    const shared = await this.t.http().post(`/api/v1/meetings/${meeting.body.id}/cases`).set(coordinator).send({ coordinationCaseId: coordination.id, share: { case: ['issues'] } });
    if (shared.status !== 201) throw new Error(`share: ${shared.status} ${JSON.stringify(shared.body)}`);
    return { id: meeting.body.id, version: meeting.body.version, caseId: coordination.caseId, coordinationId: coordination.id };
  }

  /** A task of `department` in a plan. */
  async task(department: string, tenant: string): Promise<{ id: string; version: number }> {
    const coordination = await this.coordination(tenant === 'tsunagi-city' ? 'choju-counselor' : 'other-city-counselor', tenant, 'planning');
    if (tenant !== 'tsunagi-city') {
      const [row] = await this.t.sql<{ id: string }>(
        `insert into plan_tasks (id, tenant_id, coordination_case_id, plan_version, department_id, title, kind, due_on, status)
         values (gen_random_uuid(), (select tenant_id from coordination_cases where id = $1), $1, 1, $2, 'テスト', 'standard', current_date + 7, 'open') returning id`,
        [coordination.id, departmentId(tenant, department)],
      );
      return { id: row.id, version: 1 };
    }
    const saved = await this.t
      .http()
      .put(`/api/v1/coordination/cases/${coordination.id}/plan`)
      .set(await this.as(CITY_COORDINATOR))
      .send({ version: coordination.version, goals: [{ id: 'g1', text: '目標' }], tasks: [{ goalId: 'g1', departmentId: departmentId(tenant, department), title: 'テスト', dueOn: '2099-01-01' }] });
    if (saved.status !== 200) throw new Error(`plan: ${saved.status} ${JSON.stringify(saved.body)}`);
    const [row] = await this.t.sql<{ id: string }>(`select id from plan_tasks where coordination_case_id = $1`, [coordination.id]);
    return { id: row.id, version: 1 };
  }
}


/** Register records written in SQL (as the database owner): matrix rows need them in any tenant. */
export async function registerFixture(t: TestApp, tenant: string, district: string): Promise<{ entryId: string; personId: string }> {
  const [row] = await t.sql<{ entry_id: string; person_id: string }>(
    `with person as (
       insert into persons (id, tenant_id, family_name, given_name, address, birth_date) values (gen_random_uuid(), $1, '名簿', '太郎', '本町1-1', '1940-01-01') returning id, tenant_id
     )
     insert into register_entries (id, tenant_id, person_id, district_code, state, machine, source, eligible, eligibility, provision, registered_on)
     select gen_random_uuid(), tenant_id, id, $2, 'registered', 'register.v1', 'application', true, '[]', 'consent', current_date from person
     returning id as entry_id, person_id`,
    [tenantId(tenant), district],
  );
  return { entryId: row.entry_id, personId: row.person_id };
}

export async function returnTaskFixture(t: TestApp, tenant: string, supporter: string | null): Promise<string> {
  const { entryId, personId } = await registerFixture(t, tenant, 'A');
  const [row] = await t.sql<{ id: string }>(
    `insert into return_tasks (id, tenant_id, supporter_id, entry_id, person_id, reason, state) values (gen_random_uuid(), $1, coalesce($2::uuid, gen_random_uuid()), $3, $4, 'death', 'open') returning id`,
    [tenantId(tenant), supporter, entryId, personId],
  );
  return row.id;
}

/** A pending 監査のための閲覧特例 on a fresh case of the tenant, requested by `requester` (written in SQL). */
export async function accessGrantFixture(t: TestApp, tenant: string, requester: string, caseId: string): Promise<string> {
  const [row] = await t.sql<{ id: string }>(
    `insert into access_grants (id, tenant_id, case_id, requested_by, reason, hours, include_sensitive, state, machine)
     values (gen_random_uuid(), $1, $2, $3, '不適切な閲覧の疑いの調査のため', 8, false, 'requested', 'access-grant.v1') returning id`,
    [tenantId(tenant), caseId, accountId(requester)],
  );
  return row.id;
}

/** A staff member provisioned by the database owner (as at setup), e.g. a second administrator; signs in as `login`. */
export async function staffFixture(t: TestApp, tenant: string, login: string, roles: { role: string; department?: string }[]): Promise<string> {
  const [row] = await t.sql<{ id: string }>(
    `insert into staff (id, tenant_id, subject, login, display_name) values (gen_random_uuid(), $1, $2, $2, $2) returning id`,
    [tenantId(tenant), login],
  );
  for (const r of roles) {
    await t.sql(`insert into role_assignments (id, tenant_id, staff_id, role, department_id) values (gen_random_uuid(), $1, $2, $3, $4)`, [
      tenantId(tenant),
      row.id,
      r.role,
      r.department ? departmentId(tenant, r.department) : null,
    ]);
  }
  return row.id;
}

/** A pending 権限付与申請 (written in SQL): `requesterId` asks for `role` in `department` for `staffId`. */
export async function roleChangeFixture(t: TestApp, tenant: string, requesterId: string, staffId: string, role: string, department: string): Promise<string> {
  const departmentIdOf = departmentId(tenant, department);
  const [row] = await t.sql<{ id: string }>(
    // Millisecond timestamps, as the application writes them: the queue's cursor holds created_at.
    `insert into role_change_requests (id, tenant_id, staff_id, requested_by, reason, roles, opens, deciding_department_id, state, machine, created_at, updated_at)
     values (gen_random_uuid(), $1, $2, $3, '異動のため', $4, '{read Case}', $5, 'requested', 'role-change.v1', date_trunc('milliseconds', now()), date_trunc('milliseconds', now())) returning id`,
    [tenantId(tenant), staffId, requesterId, JSON.stringify([{ role, departmentId: departmentIdOf }]), departmentIdOf],
  );
  return row.id;
}

/**
 * A DV等支援措置 in force on a person, written in SQL for tests about what it withholds (the lifecycle over
 * HTTP is dv-measures.e2e.spec.ts): active for a year from today, held by `department`, protectors named.
 */
export async function dvMeasureFixture(t: TestApp, personId: string, protectorIds: string[], options: { department?: string; coversHousehold?: boolean } = {}): Promise<string> {
  const [{ id }] = await t.sql<{ id: string }>(
    `insert into dv_measures (id, tenant_id, person_id, department_id, state, machine, starts_on, ends_on, covers_household, protector_ids, reason, requested_by, created_at, updated_at)
     select gen_random_uuid(), p.tenant_id, p.id, coalesce($4::uuid, p.collected_by_department_id), 'active', 'dv-measure.v1', jp_today(), jp_today() + 364, $3, $2::uuid[], 'テスト', $2[1], now(), now()
       from persons p where p.id = $1 returning id`,
    [personId, protectorIds, options.coversHousehold ?? false, options.department ?? null],
  );
  return id;
}
