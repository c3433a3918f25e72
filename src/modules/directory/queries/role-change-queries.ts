import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Db } from '../../../platform/database/db';
import { accessibleWhere } from '../../access/accessible-where';
import type { RequestAuth } from '../../access/request-auth';
import { RoleChangeSchema, type RoleChange } from '../domain/role-change.entity';
import type { RoleChangeState } from '../domain/role-change.machine';
import { roleChangeViews, type RoleChangeView } from '../role-change-view';
import { RoleChanges } from '../role-changes';

export class ListRoleChangesQuery extends Query<RoleChangeView[]> {
  constructor(
    readonly auth: RequestAuth,
    readonly state?: RoleChangeState,
  ) {
    super();
  }
}

@QueryHandler(ListRoleChangesQuery)
export class ListRoleChangesHandler implements IQueryHandler<ListRoleChangesQuery> {
  constructor(private readonly db: Db) {}

  /** Administrators see the tenant's requests; a manager, those about roles in their department. Newest first. */
  execute({ auth, state }: ListRoleChangesQuery) {
    const where = accessibleWhere<RoleChange>(auth.ability, 'read', 'RoleChange');
    if (!where) return Promise.resolve([]);
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const changes = await em.find(RoleChangeSchema, { $and: [where, state ? { state } : {}] }, { orderBy: { createdAt: 'desc' }, limit: 200 });
      return roleChangeViews(em, auth, changes);
    });
  }
}

export class GetRoleChangeQuery extends Query<RoleChangeView> {
  constructor(
    readonly auth: RequestAuth,
    readonly roleChangeId: string,
  ) {
    super();
  }
}

@QueryHandler(GetRoleChangeQuery)
export class GetRoleChangeHandler implements IQueryHandler<GetRoleChangeQuery> {
  constructor(
    private readonly db: Db,
    private readonly roleChanges: RoleChanges,
  ) {}

  execute({ auth, roleChangeId }: GetRoleChangeQuery) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const [view] = await roleChangeViews(em, auth, [await this.roleChanges.load(em, auth, roleChangeId, 'read')]);
      return view;
    });
  }
}

export const ROLE_CHANGE_QUERY_HANDLERS = [ListRoleChangesHandler, GetRoleChangeHandler];
