import type { FilterQuery } from '@mikro-orm/core';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Db } from '../../../platform/database/db';
import { Keyset } from '../../../platform/http/api-contract/paging';
import { accessibleWhere } from '../../access/accessible-where';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { staffDepartments } from '../../directory/domain/principal';
import { DvMeasureSchema, type DvMeasure } from '../domain/dv-measure.entity';
import type { DvMeasureListQuery } from '../domain/dv-measure.schemas';
import { dvMeasureView, type DvMeasureView } from '../dv-measure-view';
import { loadHeldPerson } from '../person-access';
import { PersonHoldings } from '../person-holdings';

type Page = { items: DvMeasureView[]; next: string | null };

/** Oldest first: a person's measures in the order they were asked for. */
const PERSON_ORDER = new Keyset<DvMeasure>('dv-measures', { createdAt: 'created_at', id: 'id' });
/** Soonest end first: the most urgent renewal leads. */
const RENEWAL_ORDER = new Keyset<DvMeasure>('dv-renewals', { endsOn: 'ends_on', id: 'id' });

export class ListDvMeasuresQuery extends Query<Page> {
  constructor(
    readonly auth: RequestAuth,
    readonly personId: string,
    readonly page: DvMeasureListQuery,
  ) {
    super();
  }
}

/**
 * A person's measures, for the departments holding the person, cut to the measures the caller's departments
 * asked for (the ability, in SQL). That a person is protected is 要配慮個人情報: each read is audited.
 */
@QueryHandler(ListDvMeasuresQuery)
export class ListDvMeasuresHandler implements IQueryHandler<ListDvMeasuresQuery> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, personId, page }: ListDvMeasuresQuery) {
    const after = PERSON_ORDER.decode(page.cursor);
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      await loadHeldPerson(em, auth, this.holdings, personId, 'read');
      const visible = accessibleWhere<DvMeasure>(auth.ability, 'read', 'DvMeasure');
      const filters: FilterQuery<DvMeasure>[] = [visible ?? { id: null }, { personId }, PERSON_ORDER.after(after) as FilterQuery<DvMeasure>];
      const rows = await em.find(DvMeasureSchema, { $and: filters }, { orderBy: PERSON_ORDER.orderBy, limit: page.limit + 1 });
      const result = PERSON_ORDER.page(rows, page.limit, (m) => dvMeasureView(auth, m));
      await this.audit.append(em, auth.audit, { action: 'dv-measure.list', subjectType: 'Person', subjectId: personId, personId, outcome: 'allowed', detail: { measures: result.items.map((m) => m.id) } });
      return result;
    });
  }
}

export class ListDvRenewalsDueQuery extends Query<Page> {
  constructor(
    readonly auth: RequestAuth,
    readonly page: DvMeasureListQuery,
  ) {
    super();
  }
}

/** The renewal tasks of the caller's departments: active measures whose end is near (raised by the sweep), not yet extended. */
@QueryHandler(ListDvRenewalsDueQuery)
export class ListDvRenewalsDueHandler implements IQueryHandler<ListDvRenewalsDueQuery> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, page }: ListDvRenewalsDueQuery) {
    const after = RENEWAL_ORDER.decode(page.cursor);
    const visible = accessibleWhere<DvMeasure>(auth.ability, 'read', 'DvMeasure');
    const mine = staffDepartments(auth.principal);
    if (!visible || !mine.length) return Promise.resolve({ items: [], next: null });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const filters: FilterQuery<DvMeasure>[] = [visible, { departmentId: { $in: mine }, state: 'active', renewalDueOn: { $ne: null } }, RENEWAL_ORDER.after(after) as FilterQuery<DvMeasure>];
      const rows = await em.find(DvMeasureSchema, { $and: filters }, { orderBy: RENEWAL_ORDER.orderBy, limit: page.limit + 1 });
      const result = RENEWAL_ORDER.page(rows, page.limit, (m) => dvMeasureView(auth, m));
      await this.audit.append(em, auth.audit, { action: 'dv-measure.renewals', subjectType: 'DvMeasure', outcome: 'allowed', detail: { measures: result.items.map((m) => m.id) } });
      return result;
    });
  }
}

export const DV_MEASURE_QUERY_HANDLERS = [ListDvMeasuresHandler, ListDvRenewalsDueHandler];
