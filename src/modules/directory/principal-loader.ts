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
}

/** Resolves a verified token's subject to an active staff member or supporter of the tenant. */
@Injectable()
export class PrincipalLoader {
  /** Runs on every request: one statement for staff with their roles and live access grants, a second only for supporters. */
  async load(em: EntityManager, subject: string): Promise<Principal | null> {
    const [staff] = await em.execute<StaffRow[]>(
      `select s.id, s.tenant_id, s.display_name,
         coalesce(json_agg(json_build_object('role', r.role, 'departmentId', r.department_id, 'departmentCode', d.code, 'coordinating', coalesce(d.coordinating, false), 'responsibilities', coalesce(d.responsibilities, '{}'))
           order by r.role, d.code) filter (where r.id is not null), '[]') as roles,
         (select coalesce(json_agg(json_build_object('grantId', g.id, 'caseId', g.case_id, 'includeSensitive', g.include_sensitive) order by g.expires_at), '[]')
            from access_grants g where g.requested_by = s.id and g.state = 'granted' and g.expires_at > now()) as case_grants
       from staff s
       left join role_assignments r on r.staff_id = s.id
       left join departments d on d.id = r.department_id
       where s.subject = ? and s.active
       group by s.id`,
      [subject],
    );
    if (staff) return { kind: 'staff', id: staff.id, tenantId: staff.tenant_id, displayName: staff.display_name, roles: staff.roles, caseGrants: staff.case_grants };
    const supporter = await em.findOne(SupporterSchema, { subject, active: true });
    if (!supporter) return null;
    return {
      kind: 'supporter',
      id: supporter.id,
      tenantId: supporter.tenantId,
      displayName: supporter.displayName,
      organizationType: supporter.organizationType,
      districtCodes: supporter.districtCodes,
    };
  }
}
