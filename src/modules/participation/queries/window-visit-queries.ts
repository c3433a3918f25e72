import type { FilterQuery } from '@mikro-orm/core';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { z } from 'zod';
import { Db } from '../../../platform/database/db';
import { decodeCheckedKey, Keyset } from '../../../platform/http/api-contract/paging';
import { accessibleWhere } from '../../access/accessible-where';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { WindowVisitSchema, type WindowVisit } from '../domain/window-visit.entity';
import type { WindowVisitListQuery } from '../domain/window-visit.schemas';
import { auditedWindowVisitViews, loadWindowVisit, type WindowVisitView } from '../window-visit-view';

export class ListWindowVisitsQuery extends Query<{ items: WindowVisitView[]; next: string | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly query: WindowVisitListQuery,
  ) {
    super();
  }
}

/** By the day of the visit, oldest first; the id makes it total. */
const VISIT_ORDER = new Keyset<WindowVisit>('participation-window-visits', { visitedOn: 'visited_on', id: 'id' });
const VISIT_KEY = z.tuple([z.iso.date(), z.uuid()]);

/** My departments' window visits, by period, 地区, resident and outcome; the named ones read are audited. */
@QueryHandler(ListWindowVisitsQuery)
export class ListWindowVisitsHandler implements IQueryHandler<ListWindowVisitsQuery> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, query }: ListWindowVisitsQuery) {
    const after = decodeCheckedKey(VISIT_ORDER, query.cursor, VISIT_KEY);
    const visible = accessibleWhere<WindowVisit>(auth.ability, 'read', 'WindowVisit');
    if (!visible) return Promise.resolve({ items: [], next: null });
    const filters: FilterQuery<WindowVisit>[] = [visible, VISIT_ORDER.after(after) as FilterQuery<WindowVisit>];
    if (query.from) filters.push({ visitedOn: { $gte: query.from } });
    if (query.to) filters.push({ visitedOn: { $lte: query.to } });
    if (query.districtCode) filters.push({ districtCode: query.districtCode });
    if (query.personId) filters.push({ personId: query.personId });
    if (query.outcome) filters.push({ outcome: query.outcome });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const rows = await em.find(WindowVisitSchema, { $and: filters }, { orderBy: VISIT_ORDER.orderBy, limit: query.limit + 1 });
      const page = VISIT_ORDER.page(rows, query.limit, (v) => v);
      return { items: await auditedWindowVisitViews(em, auth, this.audit, page.items, 'list'), next: page.next };
    });
  }
}

export class GetWindowVisitQuery extends Query<WindowVisitView> {
  constructor(
    readonly auth: RequestAuth,
    readonly visitId: string,
  ) {
    super();
  }
}

@QueryHandler(GetWindowVisitQuery)
export class GetWindowVisitHandler implements IQueryHandler<GetWindowVisitQuery> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, visitId }: GetWindowVisitQuery) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const [view] = await auditedWindowVisitViews(em, auth, this.audit, [await loadWindowVisit(em, auth, visitId)], 'read');
      return view;
    });
  }
}
