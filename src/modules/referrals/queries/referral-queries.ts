import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { todayInJapan } from '../../../platform/calendar/today';
import { Db } from '../../../platform/database/db';
import { accessibleWhere } from '../../access/accessible-where';
import type { RequestAuth } from '../../access/request-auth';
import { AuditedPersonReader } from '../../people/audited-person-reader';
import type { LegalBasis } from '../../audit/domain/legal-basis';
import { ReferralSchema, type Referral } from '../domain/referral.entity';
import { loadReferral } from '../referral-access';
import { referralHeader } from '../referral-view';
import type { ReferralListQuery } from '../domain/referral.schemas';
import { Keyset } from '../../../platform/http/api-contract/paging';
import type { FilterQuery } from '@mikro-orm/core';

export class ListReferralsQuery extends Query<{ items: ReturnType<typeof referralHeader>[]; next: string | null }> {
  constructor(
    readonly auth: RequestAuth,
    readonly query: ReferralListQuery,
  ) {
    super();
  }
}

/** The queue's order: soonest deadline first, then oldest; the id makes it total. */
const QUEUE_ORDER = new Keyset<Referral>('referrals', { dueOn: 'due_on', createdAt: 'created_at', id: 'id' });

@QueryHandler(ListReferralsQuery)
export class ListReferralsHandler implements IQueryHandler<ListReferralsQuery> {
  constructor(private readonly db: Db) {}

  /**
   * A department's queue, a page at a time: what others asked of it (incoming), what it asked of others
   * (outgoing), or the special shares its manager is to approve (awaiting-approval).
   */
  execute({ auth, query }: ListReferralsQuery) {
    const after = QUEUE_ORDER.decode(query.cursor);
    const awaiting = query.box === 'awaiting-approval';
    // The approval box lists what the caller may decide (shareSpecial), not merely read; their own preparations are not theirs to approve.
    const visible = accessibleWhere<Referral>(auth.ability, awaiting ? 'shareSpecial' : 'read', 'Referral');
    const mine = auth.principal.kind === 'staff' ? auth.principal.roles.flatMap((r) => (r.departmentId ? [r.departmentId] : [])) : [];
    if (!visible || mine.length === 0) return Promise.resolve({ items: [], next: null });
    const side: FilterQuery<Referral> = awaiting
      ? { fromDepartmentId: { $in: mine }, state: 'awaiting_approval', createdBy: { $ne: auth.principal.id }, $not: { preparerIds: { $overlap: [auth.principal.id] } } }
      : query.box === 'incoming'
        ? { toDepartmentId: { $in: mine } }
        : { fromDepartmentId: { $in: mine } };
    const today = todayInJapan();
    const filters: FilterQuery<Referral>[] = [visible, side, QUEUE_ORDER.after(after) as FilterQuery<Referral>];
    if (query.state) filters.push({ state: query.state });
    if (query.overdue !== undefined) filters.push(query.overdue ? overdueOn(today) : { $not: overdueOn(today) });
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const rows = await em.find(ReferralSchema, { $and: filters }, { orderBy: QUEUE_ORDER.orderBy, limit: query.limit + 1 });
      return QUEUE_ORDER.page(rows, query.limit, (r) => referralHeader(auth, r, today));
    });
  }
}

/** The SQL of referralHeader's `overdue`: still unanswered, and marked by the sweep or past its day. */
const overdueOn = (today: string): FilterQuery<Referral> => ({ state: 'proposed', $or: [{ overdueAt: { $ne: null } }, { dueOn: { $lt: today } }] });

export class GetReferralQuery extends Query<Record<string, unknown>> {
  constructor(
    readonly auth: RequestAuth,
    readonly referralId: string,
  ) {
    super();
  }
}

@QueryHandler(GetReferralQuery)
export class GetReferralHandler implements IQueryHandler<GetReferralQuery> {
  constructor(
    private readonly db: Db,
    private readonly reader: AuditedPersonReader,
  ) {}

  /** Exactly what was shared, as it was when shared; every person read is audited with the referral's basis. */
  execute({ auth, referralId }: GetReferralQuery) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const referral = await loadReferral(em, auth, referralId, 'read');
      const persons = await this.reader.readShared(em, auth, referral.shared.persons, {
        action: 'referral.read',
        subjectType: 'Referral',
        subjectId: referral.id,
        legalBasis: referral.legalBasis as LegalBasis,
      });
      return {
        ...referralHeader(auth, referral, todayInJapan()),
        legalBasisReason: referral.legalBasisReason ?? null,
        withdrawReason: referral.withdrawReason ?? null,
        holdReason: referral.holdReason ?? null,
        shared: { case: referral.shared.case.values, persons },
      };
    });
  }
}

export const REFERRAL_QUERY_HANDLERS = [ListReferralsHandler, GetReferralHandler];
