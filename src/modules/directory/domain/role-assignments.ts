import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../../platform/http/app-error';
import { DepartmentSchema, type Department } from './department.entity';
import type { RoleInDepartment } from './principal';
import type { RoleRef } from './role-change.entity';
import { RoleAssignmentSchema, type Role } from './staff.entity';

export const roleKey = (r: RoleRef) => `${r.role}:${r.departmentId ?? ''}`;

/** The roles asked for, each once, with the departments they name; a department not the tenant's is refused. */
export async function resolveRoles(
  em: EntityManager,
  roles: { role: Role; departmentId?: string | null }[],
): Promise<{ refs: RoleRef[]; departments: Map<string, Department> }> {
  const wanted = [...new Set(roles.flatMap((r) => (r.departmentId ? [r.departmentId] : [])))];
  const departments = new Map((await em.find(DepartmentSchema, { id: { $in: wanted } })).map((d) => [d.id, d]));
  const unknown = roles.findIndex((r) => r.departmentId && !departments.has(r.departmentId));
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
  const refs = new Map(roles.map((r) => [roleKey({ role: r.role, departmentId: r.departmentId ?? null }), { role: r.role, departmentId: r.departmentId ?? null }]));
  return { refs: [...refs.values()], departments };
}

/** A role as the ability factory reads it: with what its department is responsible for. */
export function inDepartment(ref: RoleRef, departments: Map<string, Department>): RoleInDepartment {
  const department = ref.departmentId ? departments.get(ref.departmentId) : undefined;
  return {
    role: ref.role,
    departmentId: ref.departmentId,
    departmentCode: department?.code ?? null,
    coordinating: department?.coordinating ?? false,
    responsibilities: department?.responsibilities ?? [],
  };
}

export async function heldRoles(em: EntityManager, staffId: string): Promise<RoleRef[]> {
  return (await em.find(RoleAssignmentSchema, { staffId })).map((a) => ({ role: a.role, departmentId: a.departmentId ?? null }));
}

/** Gives a staff member exactly `roles`: removes what is no longer wanted, adds what is missing. */
export async function setRoleAssignments(em: EntityManager, staff: { id: string; tenantId: string }, roles: RoleRef[]): Promise<void> {
  const held = await em.find(RoleAssignmentSchema, { staffId: staff.id });
  const wanted = new Set(roles.map(roleKey));
  const removed = held.filter((a) => !wanted.has(roleKey({ role: a.role, departmentId: a.departmentId ?? null })));
  if (removed.length) await em.nativeDelete(RoleAssignmentSchema, { id: { $in: removed.map((a) => a.id) } });
  createMissing(em, staff, roles, held.map((a) => ({ role: a.role, departmentId: a.departmentId ?? null })));
}

/** Adds the roles a staff member does not hold yet; those held already stay as they are. */
export async function addRoleAssignments(em: EntityManager, staff: { id: string; tenantId: string }, roles: RoleRef[]): Promise<void> {
  createMissing(em, staff, roles, await heldRoles(em, staff.id));
}

function createMissing(em: EntityManager, staff: { id: string; tenantId: string }, roles: RoleRef[], held: RoleRef[]): void {
  const holding = new Set(held.map(roleKey));
  for (const r of roles.filter((role) => !holding.has(roleKey(role)))) {
    em.create(RoleAssignmentSchema, { tenantId: staff.tenantId, staffId: staff.id, role: r.role, departmentId: r.departmentId });
  }
}
