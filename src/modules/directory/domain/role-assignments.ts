import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../../platform/http/app-error';
import { DepartmentSchema } from './department.entity';
import { RoleAssignmentSchema, type Role } from './staff.entity';

/** Replaces a staff member's roles, refusing departments that are not the tenant's. */
export async function replaceRoleAssignments(
  em: EntityManager,
  staff: { id: string; tenantId: string },
  roles: { role: Role; departmentId?: string | null }[],
): Promise<void> {
  const wanted = [...new Set(roles.flatMap((r) => (r.departmentId ? [r.departmentId] : [])))];
  const known = new Set((await em.find(DepartmentSchema, { id: { $in: wanted } })).map((d) => d.id));
  const unknown = roles.findIndex((r) => r.departmentId && !known.has(r.departmentId));
  if (unknown >= 0) {
    throw new AppError('validation_failed', {
      errors: [
        {
          field: `body.roles.${unknown}.departmentId`,
          code: 'unknown_department',
          message: { ja: 'この自治体にその課はありません。', en: 'No such department in this municipality.' },
        },
      ],
    });
  }
  await em.nativeDelete(RoleAssignmentSchema, { staffId: staff.id });
  const unique = new Map(roles.map((r) => [`${r.role}:${r.departmentId ?? ''}`, r]));
  for (const r of unique.values()) {
    em.create(RoleAssignmentSchema, { tenantId: staff.tenantId, staffId: staff.id, role: r.role, departmentId: r.departmentId ?? null });
  }
}
