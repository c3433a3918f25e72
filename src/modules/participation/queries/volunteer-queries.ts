import type { FilterQuery } from '@mikro-orm/core';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { z } from 'zod';
import { Db } from '../../../platform/database/db';
import { decodeCheckedKey, Keyset } from '../../../platform/http/api-contract/paging';
import { accessibleWhere } from '../../access/accessible-where';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import type { VolunteerListQuery } from '../domain/participation.schemas';
import { VolunteerSchema, type Volunteer } from '../domain/volunteer.entity';
import { auditedVolunteerViews, loadVolunteer, type VolunteerView } from '../volunteer-view';

export class ListVolunteersQuery extends Query<{ items: VolunteerView[]; next: string | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly query: VolunteerListQuery,
  ) {
    super();
  }
}

const VOLUNTEER_ORDER = new Keyset<Volunteer>('participation-volunteers', { name: 'name', id: 'id' });
const VOLUNTEER_KEY = z.tuple([z.string(), z.uuid()]);

/** 人財の見える化: who offers which skill, when and where; listed people only. */
@QueryHandler(ListVolunteersQuery)
export class ListVolunteersHandler implements IQueryHandler<ListVolunteersQuery> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, query }: ListVolunteersQuery) {
    const after = decodeCheckedKey(VOLUNTEER_ORDER, query.cursor, VOLUNTEER_KEY);
    const visible = accessibleWhere<Volunteer>(auth.ability, 'read', 'Volunteer');
    if (!visible) return Promise.resolve({ items: [], next: null });
    const filters: FilterQuery<Volunteer>[] = [visible, { state: 'listed' }, VOLUNTEER_ORDER.after(after) as FilterQuery<Volunteer>];
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      filters.push({ $or: [{ name: { $ilike: like } }, { skills: { $overlap: [query.q] } }] });
    }
    if (query.districtCode) filters.push({ districtCodes: { $contains: [query.districtCode] } });
    if (query.day) filters.push({ days: { $contains: [query.day] } });
    if (query.kind) filters.push({ kind: query.kind });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const rows = await em.find(VolunteerSchema, { $and: filters }, { orderBy: VOLUNTEER_ORDER.orderBy, limit: query.limit + 1 });
      const page = VOLUNTEER_ORDER.page(rows, query.limit, (v) => v);
      return { items: await auditedVolunteerViews(em, auth, this.audit, page.items, 'list'), next: page.next };
    });
  }
}

export class GetVolunteerQuery extends Query<VolunteerView> {
  constructor(
    readonly auth: RequestAuth,
    readonly volunteerId: string,
  ) {
    super();
  }
}

@QueryHandler(GetVolunteerQuery)
export class GetVolunteerHandler implements IQueryHandler<GetVolunteerQuery> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, volunteerId }: GetVolunteerQuery) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const [view] = await auditedVolunteerViews(em, auth, this.audit, [await loadVolunteer(em, auth, volunteerId, 'read')], 'read');
      return view;
    });
  }
}
