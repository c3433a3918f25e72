import type { FilterQuery } from '@mikro-orm/core';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Db } from '../../../platform/database/db';
import { Keyset } from '../../../platform/http/api-contract/paging';
import { accessibleWhere } from '../../access/accessible-where';
import type { RequestAuth } from '../../access/request-auth';
import { staffDepartments } from '../../directory/domain/principal';
import { InformationRequestSchema, type InformationRequest } from '../domain/information-request.entity';
import type { InformationRequestListQuery } from '../domain/information-request.schemas';
import { informationRequestView, loadInformationRequest } from '../information-request-view';

type View = ReturnType<typeof informationRequestView>;

export class ListInformationRequestsQuery extends Query<{ items: View[]; next: string | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly query: InformationRequestListQuery,
  ) {
    super();
  }
}

/** Oldest first: the longest waiting comes first; the id makes it total. */
const BOX_ORDER = new Keyset<InformationRequest>('information-requests', { createdAt: 'created_at', id: 'id' });

/** A department's box, a page at a time: asked of it (incoming) or asked by it (outgoing), cut by the ability in SQL. */
@QueryHandler(ListInformationRequestsQuery)
export class ListInformationRequestsHandler implements IQueryHandler<ListInformationRequestsQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth, query }: ListInformationRequestsQuery) {
    const after = BOX_ORDER.decode(query.cursor);
    const visible = accessibleWhere<InformationRequest>(auth.ability, 'read', 'InformationRequest');
    const mine = staffDepartments(auth.principal);
    if (!visible || !mine.length) return Promise.resolve({ items: [], next: null });
    const side = query.box === 'incoming' ? { toDepartmentId: { $in: mine } } : { fromDepartmentId: { $in: mine } };
    const filters: FilterQuery<InformationRequest>[] = [visible, side, BOX_ORDER.after(after) as FilterQuery<InformationRequest>];
    if (query.state) filters.push({ state: query.state });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const rows = await em.find(InformationRequestSchema, { $and: filters }, { orderBy: BOX_ORDER.orderBy, limit: query.limit + 1 });
      return BOX_ORDER.page(rows, query.limit, (r) => informationRequestView(auth, r));
    });
  }
}

export class GetInformationRequestQuery extends Query<View> {
  constructor(
    readonly auth: RequestAuth,
    readonly requestId: string,
  ) {
    super();
  }
}

@QueryHandler(GetInformationRequestQuery)
export class GetInformationRequestHandler implements IQueryHandler<GetInformationRequestQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth, requestId }: GetInformationRequestQuery) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => informationRequestView(auth, await loadInformationRequest(em, auth, requestId, 'read')));
  }
}

export const INFORMATION_REQUEST_QUERY_HANDLERS = [ListInformationRequestsHandler, GetInformationRequestHandler];
