import type { FilterQuery } from '@mikro-orm/core';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Db } from '../../../platform/database/db';
import { Keyset } from '../../../platform/http/api-contract/paging';
import { notFound } from '../../../platform/http/app-error';
import { accessibleWhere } from '../../access/accessible-where';
import { pickPermitted } from '../../access/permitted-fields';
import type { RequestAuth } from '../../access/request-auth';
import { assertCan } from '../../access/assert-can';
import { DepartmentSchema, type Department } from '../domain/department.entity';
import type { StaffView } from '../domain/staff-view';
import { RoleAssignmentSchema, type Staff } from '../domain/staff.entity';
import type { DepartmentListQuery, StaffListQuery } from '../domain/staff.schemas';
import { TenantSchema } from '../domain/tenant.entity';
import { StaffDirectory } from '../staff-directory';

export class GetMeQuery extends Query<Record<string, unknown>> {
  constructor(readonly auth: RequestAuth) {
    super();
  }
}

@QueryHandler(GetMeQuery)
export class GetMeHandler implements IQueryHandler<GetMeQuery> {
  constructor(private readonly db: Db) {}

  async execute({ auth }: GetMeQuery) {
    const tenant = await this.db.inTenant(auth.principal.tenantId, (em) => em.findOneOrFail(TenantSchema, { id: auth.principal.tenantId }));
    return { ...auth.principal, tenant: { id: tenant.id, code: tenant.code, name: tenant.name } };
  }
}

/** The municipality's order; the id breaks ties. */
const DEPARTMENT_ORDER = new Keyset<Department>('departments', { sortOrder: 'sort_order', id: 'id' });

export class ListDepartmentsQuery extends Query<{ items: Department[]; next: string | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly query: DepartmentListQuery,
  ) {
    super();
  }
}

@QueryHandler(ListDepartmentsQuery)
export class ListDepartmentsHandler implements IQueryHandler<ListDepartmentsQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth, query }: ListDepartmentsQuery) {
    const where = accessibleWhere<Department>(auth.ability, 'read', 'Department') ?? { id: null };
    const after = DEPARTMENT_ORDER.after(DEPARTMENT_ORDER.decode(query.cursor)) as FilterQuery<Department>;
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const rows = await em.find(DepartmentSchema, { $and: [where, after] }, { orderBy: DEPARTMENT_ORDER.orderBy, limit: query.limit + 1 });
      return DEPARTMENT_ORDER.page(rows, query.limit, (row) => row);
    });
  }
}

/**
 * By display name, then id: both are fields a manager may see, so the cursor tells them nothing the
 * page does not (the login, which only administrators see, would leak through it).
 */
const STAFF_ORDER = new Keyset<StaffView>('staff', { displayName: 'display_name', id: 'id' });

export class ListStaffQuery extends Query<{ items: Partial<StaffView>[]; next: string | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly query: StaffListQuery,
  ) {
    super();
  }
}

@QueryHandler(ListStaffQuery)
export class ListStaffHandler implements IQueryHandler<ListStaffQuery> {
  constructor(
    private readonly db: Db,
    private readonly directory: StaffDirectory,
  ) {}

  async execute({ auth, query }: ListStaffQuery) {
    const visible = accessibleWhere<Staff>(auth.ability, 'read', 'Staff') ?? { id: null };
    const after = STAFF_ORDER.after(STAFF_ORDER.decode(query.cursor)) as FilterQuery<Staff>;
    const rows = await this.db.inTenant(auth.principal.tenantId, async (em) => {
      const filters: FilterQuery<Staff>[] = [visible, after];
      if (query.active !== undefined) filters.push({ active: query.active });
      if (query.departmentId) {
        // A department holds a few dozen people: their ids fit in one parameter list.
        const holders = await em.find(RoleAssignmentSchema, { departmentId: query.departmentId });
        filters.push({ id: { $in: [...new Set(holders.map((h) => h.staffId))] } });
      }
      return this.directory.find(em, { $and: filters }, { orderBy: STAFF_ORDER.orderBy, limit: query.limit + 1 });
    });
    return STAFF_ORDER.page(rows, query.limit, (s) => pickPermitted(auth.ability, 'read', 'Staff', s));
  }
}

export class GetStaffQuery extends Query<Partial<StaffView>> {
  constructor(
    readonly auth: RequestAuth,
    readonly staffId: string,
  ) {
    super();
  }
}

@QueryHandler(GetStaffQuery)
export class GetStaffHandler implements IQueryHandler<GetStaffQuery> {
  constructor(
    private readonly db: Db,
    private readonly directory: StaffDirectory,
  ) {}

  async execute({ auth, staffId }: GetStaffQuery) {
    const [staff] = await this.db.inTenant(auth.principal.tenantId, (em) => this.directory.find(em, { id: staffId }));
    if (!staff) throw notFound({ ja: '職員が見つかりません。', en: 'No such staff member.' });
    assertCan(auth, 'read', 'Staff', staff);
    return pickPermitted(auth.ability, 'read', 'Staff', staff);
  }
}

export const DIRECTORY_QUERY_HANDLERS = [GetMeHandler, ListDepartmentsHandler, ListStaffHandler, GetStaffHandler];
