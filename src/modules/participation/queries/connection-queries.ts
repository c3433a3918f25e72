import type { FilterQuery } from '@mikro-orm/core';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { z } from 'zod';
import { todayInJapan } from '../../../platform/calendar/today';
import { Db } from '../../../platform/database/db';
import { decodeCheckedKey, Keyset } from '../../../platform/http/api-contract/paging';
import { accessibleWhere } from '../../access/accessible-where';
import type { RequestAuth } from '../../access/request-auth';
import { connectionView, loadConnection, type ConnectionView } from '../connection-view';
import { ParticipationConnectionSchema, type ParticipationConnection } from '../domain/connection.entity';
import type { ConnectionListQuery } from '../domain/participation.schemas';

export class ListConnectionsQuery extends Query<{ items: ConnectionView[]; next: string | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly query: ConnectionListQuery,
  ) {
    super();
  }
}

/** Oldest first; the id makes it total. */
const CONNECTION_ORDER = new Keyset<ParticipationConnection>('participation-connections', { createdAt: 'created_at', id: 'id' });
const CONNECTION_KEY = z.tuple([z.iso.datetime(), z.uuid()]);

/** My departments' connections; `followUpDue=true` lists the follow-ups that are late (the tasks). */
@QueryHandler(ListConnectionsQuery)
export class ListConnectionsHandler implements IQueryHandler<ListConnectionsQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth, query }: ListConnectionsQuery) {
    const after = decodeCheckedKey(CONNECTION_ORDER, query.cursor, CONNECTION_KEY);
    const visible = accessibleWhere<ParticipationConnection>(auth.ability, 'read', 'ParticipationConnection');
    if (!visible) return Promise.resolve({ items: [], next: null });
    const today = todayInJapan();
    const filters: FilterQuery<ParticipationConnection>[] = [visible, CONNECTION_ORDER.after(after) as FilterQuery<ParticipationConnection>];
    if (query.state) filters.push({ state: query.state });
    if (query.resourceId) filters.push({ resourceId: query.resourceId });
    if (query.personId) filters.push({ personId: query.personId });
    if (query.followUpDue === true) filters.push({ state: { $ne: 'ended' }, followUpOn: { $lt: today } });
    if (query.followUpDue === false) filters.push({ $or: [{ state: 'ended' }, { followUpOn: null }, { followUpOn: { $gte: today } }] });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const rows = await em.find(ParticipationConnectionSchema, { $and: filters }, { orderBy: CONNECTION_ORDER.orderBy, limit: query.limit + 1 });
      return CONNECTION_ORDER.page(rows, query.limit, (c) => connectionView(auth, c, today));
    });
  }
}

export class GetConnectionQuery extends Query<ConnectionView> {
  constructor(
    readonly auth: RequestAuth,
    readonly connectionId: string,
  ) {
    super();
  }
}

@QueryHandler(GetConnectionQuery)
export class GetConnectionHandler implements IQueryHandler<GetConnectionQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth, connectionId }: GetConnectionQuery) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => connectionView(auth, await loadConnection(em, auth, connectionId, 'read')));
  }
}
