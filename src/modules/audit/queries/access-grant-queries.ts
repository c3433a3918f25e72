import type { FilterQuery } from '@mikro-orm/core';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Db } from '../../../platform/database/db';
import { accessibleWhere } from '../../access/accessible-where';
import type { RequestAuth } from '../../access/request-auth';
import { loadAccessGrant } from '../access-grant-access';
import { accessGrantViews, type AccessGrantView } from '../access-grant-view';
import { AuditLog } from '../audit-log.service';
import { AccessGrantSchema, type AccessGrant } from '../domain/access-grant.entity';
import type { AccessGrantState } from '../domain/access-grant.machine';
import type { AccessGrantListQuery } from '../domain/access-grant.schemas';
import { Keyset } from '../../../platform/http/api-contract/paging';

/** The stored rows that read as `state` at `now`: a granted row past its time is expired. */
function inState(state: AccessGrantState, now: Date): FilterQuery<AccessGrant> {
  if (state === 'granted') return { state, expiresAt: { $gt: now } };
  if (state === 'expired') return { $or: [{ state }, { state: 'granted', expiresAt: { $lte: now } }] };
  return { state };
}

/** Newest request first; request times are the application's (ms), so they round-trip through the cursor. */
const ACCESS_GRANT_ORDER = new Keyset<AccessGrant>('access-grants', { createdAt: 'created_at', id: 'id' }, { desc: true });

export class ListAccessGrantsQuery extends Query<{ items: AccessGrantView[]; next: string | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly query: AccessGrantListQuery,
  ) {
    super();
  }
}

@QueryHandler(ListAccessGrantsQuery)
export class ListAccessGrantsHandler implements IQueryHandler<ListAccessGrantsQuery> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  /** The tenant's grants, newest first; oversight reads are audited like the log's own. */
  execute({ auth, query }: ListAccessGrantsQuery) {
    const { state, cursor, limit } = query;
    const after = ACCESS_GRANT_ORDER.decode(cursor);
    const where = accessibleWhere<AccessGrant>(auth.ability, 'read', 'AccessGrant');
    if (!where) return Promise.resolve({ items: [], next: null });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const now = new Date();
      const rows = await em.find(AccessGrantSchema, { $and: [where, state ? inState(state, now) : {}, ACCESS_GRANT_ORDER.after(after)] }, { orderBy: ACCESS_GRANT_ORDER.orderBy, limit: limit + 1 });
      const page = ACCESS_GRANT_ORDER.page(rows, limit, (grant) => grant);
      await this.audit.append(em, auth.audit, { action: 'access-grant.list', subjectType: 'AccessGrant', outcome: 'allowed', detail: { state: state ?? null, count: page.items.length } });
      return { items: await accessGrantViews(em, auth, page.items, now), next: page.next };
    });
  }
}

export class GetAccessGrantQuery extends Query<AccessGrantView> {
  constructor(
    readonly auth: RequestAuth,
    readonly grantId: string,
  ) {
    super();
  }
}

@QueryHandler(GetAccessGrantQuery)
export class GetAccessGrantHandler implements IQueryHandler<GetAccessGrantQuery> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, grantId }: GetAccessGrantQuery) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const grant = await loadAccessGrant(em, auth, grantId, 'read');
      const [view] = await accessGrantViews(em, auth, [grant]);
      await this.audit.append(em, auth.audit, { action: 'access-grant.read', subjectType: 'AccessGrant', subjectId: grant.id, outcome: 'allowed' });
      return view;
    });
  }
}

export const ACCESS_GRANT_QUERY_HANDLERS = [ListAccessGrantsHandler, GetAccessGrantHandler];
