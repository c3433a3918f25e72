import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { todayInJapan } from '../../../platform/calendar/today';
import { Db } from '../../../platform/database/db';
import type { Localized } from '../../../platform/http/app-error';
import { accessibleWhere } from '../../access/accessible-where';
import type { RequestAuth } from '../../access/request-auth';
import { CaseSchema } from '../../cases/domain/case.entity';
import { CoordinationCaseSchema } from '../../coordination/domain/coordination.entity';
import { districtNeighbours } from '../../directory/district-neighbours';
import { loadParticipationTask } from '../commands/connect';
import { match, type Wish } from '../domain/matching';
import { ParticipationResourceSchema, type ParticipationResource } from '../domain/resource.entity';
import type { ProposalQuery } from '../domain/participation.schemas';
import { resourceView, type ResourceView } from '../resource-view';

export interface Proposal {
  resource: ResourceView;
  score: number;
  reasons: Localized[];
}

export class ProposeResourcesQuery extends Query<{ items: Proposal[]; wish: Wish }> {
  constructor(
    readonly auth: RequestAuth,
    readonly query: ProposalQuery,
  ) {
    super();
  }
}

/**
 * Resources that fit a wish, best first, each with why. A 参加支援 task adds its case's issues to the
 * needs (the same tags). Only open resources with a free place are considered at all. Near a 地区 means
 * that 地区 first, then its neighbours (隣接地区), then the rest.
 */
@QueryHandler(ProposeResourcesQuery)
export class ProposeResourcesHandler implements IQueryHandler<ProposeResourcesQuery> {
  constructor(private readonly db: Db) {}

  execute({ auth, query }: ProposeResourcesQuery) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const tags = new Set<string>(query.tags);
      if (query.planTaskId) {
        const task = await loadParticipationTask(em, auth, query.planTaskId, 'query.planTaskId');
        const coordination = await em.findOneOrFail(CoordinationCaseSchema, { id: task.coordinationCaseId });
        const found = await em.findOneOrFail(CaseSchema, { id: coordination.caseId });
        for (const issue of found.issues) tags.add(issue);
      }
      const neighbourDistrictCodes = query.districtCode ? await districtNeighbours(em, query.districtCode) : [];
      const wish: Wish = { wish: query.wish ?? (query.planTaskId ? 'place' : undefined), districtCode: query.districtCode, neighbourDistrictCodes, tags: [...tags], days: query.days };
      const visible = accessibleWhere<ParticipationResource>(auth.ability, 'read', 'ParticipationResource');
      if (!visible) return { items: [], wish };
      const open = await em.find(ParticipationResourceSchema, { $and: [visible, { state: 'open' }, { $or: [{ freePlaces: null }, { freePlaces: { $gt: 0 } }] }] }, { orderBy: { name: 'asc', id: 'asc' } });
      const today = todayInJapan();
      const items = open
        .flatMap((r) => {
          const found = match(r, wish);
          return found ? [{ resource: resourceView(auth, r, today), ...found }] : [];
        })
        .sort((a, b) => b.score - a.score || a.resource.name.localeCompare(b.resource.name))
        .slice(0, query.limit);
      return { items, wish };
    });
  }
}
