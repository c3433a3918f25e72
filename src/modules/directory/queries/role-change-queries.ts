import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { FilterQuery } from '@mikro-orm/core';
import { Db } from '../../../platform/database/db';
import { Keyset } from '../../../platform/http/api-contract/paging';
import { accessibleWhere } from '../../access/accessible-where';
import type { RequestAuth } from '../../access/request-auth';
import { RoleChangeSchema, type RoleChange } from '../domain/role-change.entity';
import type { RoleChangeListQuery } from '../domain/role-change.schemas';
import { roleChangeViews, type RoleChangeView } from '../role-change-view';
import { RoleChanges } from '../role-changes';

/** Oldest first, as a queue is worked: the request waiting longest comes first, new ones join at the end. */
const REQUEST_ORDER = new Keyset<RoleChange>('role-changes', { createdAt: 'created_at', id: 'id' });

export class ListRoleChangesQuery extends Query<{ items: RoleChangeView[]; next: string | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly query: RoleChangeListQuery,
  ) {
    super();
  }
}

@QueryHandler(ListRoleChangesQuery)
export class ListRoleChangesHandler implements IQueryHandler<ListRoleChangesQuery> {
  constructor(private readonly db: Db) {}

  /** Administrators see the tenant's requests; a manager, those about roles in their department. */
  execute({ auth, query }: ListRoleChangesQuery) {
    const visible = accessibleWhere<RoleChange>(auth.ability, 'read', 'RoleChange') ?? { id: null };
    const after = REQUEST_ORDER.after(REQUEST_ORDER.decode(query.cursor)) as FilterQuery<RoleChange>;
    const filters: FilterQuery<RoleChange>[] = [visible, after];
    if (query.state) filters.push({ state: query.state });
    if (query.staffId) filters.push({ staffId: query.staffId });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const rows = await em.find(RoleChangeSchema, { $and: filters }, { orderBy: REQUEST_ORDER.orderBy, limit: query.limit + 1 });
      const page = REQUEST_ORDER.page(rows, query.limit, (row) => row);
      return { items: await roleChangeViews(em, auth, page.items), next: page.next };
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
