import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CaseGrant, Principal, RoleInDepartment } from './domain/principal';
import { SupporterSchema } from './domain/supporter.entity';

interface StaffRow {
  id: string;
  tenant_id: string;
  display_name: string;
  roles: RoleInDepartment[];
  case_grants: CaseGrant[];
  grants_until: Date | string | null;
}

/** Resolves a verified token's subject to an active staff member or supporter of the tenant. */
@Injectable()
export class PrincipalLoader {
  async load(em: EntityManager, subject: string): Promise<Principal | null> {
    return (await this.loadWithExpiry(em, subject))?.principal ?? null;
  }

  /**
   * One statement for staff with their roles and live access grants, a second only for supporters; with
   * when the earliest of those grants ends (ms since the epoch), after which the principal is out of date.
   */
  async loadWithExpiry(em: EntityManager, subject: string): Promise<{ principal: Principal; grantsUntil: number | null } | null> {
    const [staff] = await em.execute<StaffRow[]>(
      `select s.id, s.tenant_id, s.display_name,
         coalesce(json_agg(json_build_object('role', r.role, 'departmentId', r.department_id, 'departmentCode', d.code, 'coordinating', coalesce(d.coordinating, false), 'responsibilities', coalesce(d.responsibilities, '{}'))
           order by r.role, d.code) filter (where r.id is not null), '[]') as roles,
         (select coalesce(json_agg(json_build_object('grantId', g.id, 'caseId', g.case_id, 'includeSensitive', g.include_sensitive) order by g.expires_at), '[]')
            from access_grants g where g.requested_by = s.id and g.state = 'granted' and g.expires_at > now()) as case_grants,
         (select min(g.expires_at) from access_grants g where g.requested_by = s.id and g.state = 'granted' and g.expires_at > now()) as grants_until
       from staff s
       left join role_assignments r on r.staff_id = s.id
       left join departments d on d.id = r.department_id
       where s.subject = ? and s.active
       group by s.id`,
      [subject],
    );
    if (staff) {
      const principal: Principal = { kind: 'staff', id: staff.id, tenantId: staff.tenant_id, displayName: staff.display_name, roles: staff.roles, caseGrants: staff.case_grants };
      return { principal, grantsUntil: staff.grants_until === null ? null : new Date(staff.grants_until).getTime() };
    }
    const supporter = await em.findOne(SupporterSchema, { subject, active: true });
    if (!supporter) return null;
    const principal: Principal = {
      kind: 'supporter',
      id: supporter.id,
      tenantId: supporter.tenantId,
      displayName: supporter.displayName,
      organizationType: supporter.organizationType,
      districtCodes: supporter.districtCodes,
    };
    return { principal, grantsUntil: null };
  }
}
