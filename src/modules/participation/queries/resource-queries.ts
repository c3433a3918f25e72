import type { FilterQuery } from '@mikro-orm/core';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { z } from 'zod';
import { todayInJapan } from '../../../platform/calendar/today';
import { Db } from '../../../platform/database/db';
import { decodeCheckedKey, Keyset } from '../../../platform/http/api-contract/paging';
import { accessibleWhere } from '../../access/accessible-where';
import type { RequestAuth } from '../../access/request-auth';
import { districtNeighbours } from '../../directory/district-neighbours';
import { ParticipationResourceSchema, staleBefore, type ParticipationResource } from '../domain/resource.entity';
import type { ResourceListQuery } from '../domain/participation.schemas';
import { loadResource, resourceView, type ResourceView } from '../resource-view';

export class ListResourcesQuery extends Query<{ items: ResourceView[]; next: string | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly query: ResourceListQuery,
  ) {
    super();
  }
}

/** By name, as a directory reads; the id makes it total. */
const DIRECTORY_ORDER = new Keyset<ParticipationResource>('participation-resources', { name: 'name', id: 'id' });
const DIRECTORY_KEY = z.tuple([z.string(), z.uuid()]);

const likeEscaped = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The directory a page at a time: text, tag, kind, 地区 (with `near`, its neighbouring 地区 too), day,
 * staleness; closed entries only when asked. By name, so paging holds; matching is what ranks by distance.
 */
@QueryHandler(ListResourcesQuery)
export class ListResourcesHandler implements IQueryHandler<ListResourcesQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth, query }: ListResourcesQuery) {
    const after = decodeCheckedKey(DIRECTORY_ORDER, query.cursor, DIRECTORY_KEY);
    const visible = accessibleWhere<ParticipationResource>(auth.ability, 'read', 'ParticipationResource');
    if (!visible) return Promise.resolve({ items: [], next: null });
    const filters: FilterQuery<ParticipationResource>[] = [visible, DIRECTORY_ORDER.after(after) as FilterQuery<ParticipationResource>];
    if (!query.includeClosed) filters.push({ state: 'open' });
    if (query.q) {
      const like = likeEscaped(query.q);
      filters.push({ $or: [{ name: { $ilike: like } }, { runBy: { $ilike: like } }, { address: { $ilike: like } }, { conditions: { $ilike: like } }] });
    }
    if (query.tag) filters.push({ tags: { $contains: [query.tag] } });
    if (query.day) filters.push({ days: { $contains: [query.day] } });
    if (query.kind) filters.push({ kind: query.kind });
    const today = todayInJapan();
    if (query.stale !== undefined) filters.push({ asOf: query.stale ? { $lt: staleBefore(today) } : { $gte: staleBefore(today) } });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      if (query.districtCode) {
        const near = query.near ? await districtNeighbours(em, query.districtCode) : [];
        filters.push({ districtCode: { $in: [query.districtCode, ...near] } });
      }
      const rows = await em.find(ParticipationResourceSchema, { $and: filters }, { orderBy: DIRECTORY_ORDER.orderBy, limit: query.limit + 1 });
      return DIRECTORY_ORDER.page(rows, query.limit, (r) => resourceView(auth, r, today));
    });
  }
}

export class GetResourceQuery extends Query<ResourceView> {
  constructor(
    readonly auth: RequestAuth,
    readonly resourceId: string,
  ) {
    super();
  }
}

@QueryHandler(GetResourceQuery)
export class GetResourceHandler implements IQueryHandler<GetResourceQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth, resourceId }: GetResourceQuery) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => resourceView(auth, await loadResource(em, auth, resourceId, 'read')));
  }
}
