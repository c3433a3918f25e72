import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DepartmentSchema } from './domain/department.entity';
import type { Principal } from './domain/principal';
import { RoleAssignmentSchema, StaffSchema } from './domain/staff.entity';
import { SupporterSchema } from './domain/supporter.entity';

/** Resolves a verified token's subject to an active staff member or supporter of the tenant. */
@Injectable()
export class PrincipalLoader {
  async load(em: EntityManager, subject: string): Promise<Principal | null> {
    const staff = await em.findOne(StaffSchema, { subject, active: true });
    if (staff) {
      const assignments = await em.find(RoleAssignmentSchema, { staffId: staff.id }, { orderBy: { role: 'asc' } });
      const departmentIds = assignments.flatMap((a) => (a.departmentId ? [a.departmentId] : []));
      const departments = await em.find(DepartmentSchema, { id: { $in: departmentIds } });
      const codeOf = new Map(departments.map((d) => [d.id, d.code]));
      return {
        kind: 'staff',
        id: staff.id,
        tenantId: staff.tenantId,
        displayName: staff.displayName,
        roles: assignments.map((a) => ({
          role: a.role,
          departmentId: a.departmentId ?? null,
          departmentCode: a.departmentId ? (codeOf.get(a.departmentId) ?? null) : null,
        })),
      };
    }
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
