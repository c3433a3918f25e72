import { Injectable } from '@nestjs/common';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DepartmentSchema } from './domain/department.entity';
import { staffView, type StaffView } from './domain/staff-view';
import { RoleAssignmentSchema, StaffSchema, type Staff } from './domain/staff.entity';

/** Loads staff with their roles in one round trip per table. */
@Injectable()
export class StaffDirectory {
  /** `order` and `limit` for a page of the list (see STAFF_ORDER); by login otherwise. */
  async find(em: EntityManager, where: FilterQuery<Staff>, { orderBy = { login: 'asc' }, limit }: { orderBy?: Record<string, 'asc' | 'desc'>; limit?: number } = {}): Promise<StaffView[]> {
    const staff = await em.find(StaffSchema, where, { orderBy, limit });
    if (staff.length === 0) return [];
    const assignments = await em.find(RoleAssignmentSchema, { staffId: { $in: staff.map((s) => s.id) } }, { orderBy: { role: 'asc' } });
    const departments = await em.find(DepartmentSchema, {});
    const codeOf = new Map(departments.map((d) => [d.id, d.code]));
    return staff.map((s) =>
      staffView(
        s,
        assignments
          .filter((a) => a.staffId === s.id)
          .map((a) => ({ role: a.role, departmentId: a.departmentId ?? null, departmentCode: a.departmentId ? (codeOf.get(a.departmentId) ?? null) : null })),
      ),
    );
  }
}
