import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Db } from '../../../platform/database/db';
import { notFound } from '../../../platform/http/app-error';
import { accessibleWhere } from '../../access/accessible-where';
import { pickPermitted } from '../../access/permitted-fields';
import type { RequestAuth } from '../../access/request-auth';
import { assertCan } from '../../access/assert-can';
import { DepartmentSchema, type Department } from '../domain/department.entity';
import type { StaffView } from '../domain/staff-view';
import type { Staff } from '../domain/staff.entity';
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

export class ListDepartmentsQuery extends Query<Department[]> {
  constructor(readonly auth: RequestAuth) {
    super();
  }
}

@QueryHandler(ListDepartmentsQuery)
export class ListDepartmentsHandler implements IQueryHandler<ListDepartmentsQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth }: ListDepartmentsQuery) {
    const where = accessibleWhere<Department>(auth.ability, 'read', 'Department') ?? { id: null };
    return this.db.inTenant(auth.principal.tenantId, (em) => em.find(DepartmentSchema, where, { orderBy: { sortOrder: 'asc' } }));
  }
}

export class ListStaffQuery extends Query<Partial<StaffView>[]> {
  constructor(readonly auth: RequestAuth) {
    super();
  }
}

@QueryHandler(ListStaffQuery)
export class ListStaffHandler implements IQueryHandler<ListStaffQuery> {
  constructor(
    private readonly db: Db,
    private readonly directory: StaffDirectory,
  ) {}

  async execute({ auth }: ListStaffQuery) {
    const where = accessibleWhere<Staff>(auth.ability, 'read', 'Staff') ?? { id: null };
    const staff = await this.db.inTenant(auth.principal.tenantId, (em) => this.directory.find(em, where));
    return staff.map((s) => pickPermitted(auth.ability, 'read', 'Staff', s));
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
