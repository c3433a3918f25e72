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

export class ListReferralsQuery extends Query<ReturnType<typeof referralHeader>[]> {
  constructor(
    readonly auth: RequestAuth,
    readonly box: 'incoming' | 'outgoing',
  ) {
    super();
  }
}

@QueryHandler(ListReferralsQuery)
export class ListReferralsHandler implements IQueryHandler<ListReferralsQuery> {
  constructor(private readonly db: Db) {}

  /** A department's queue: what others asked of it (incoming) or what it asked of others (outgoing). */
  execute({ auth, box }: ListReferralsQuery) {
    const visible = accessibleWhere<Referral>(auth.ability, 'read', 'Referral');
    const mine = auth.principal.kind === 'staff' ? auth.principal.roles.flatMap((r) => (r.departmentId ? [r.departmentId] : [])) : [];
    if (!visible || mine.length === 0) return Promise.resolve([]);
    const side = box === 'incoming' ? { toDepartmentId: { $in: mine } } : { fromDepartmentId: { $in: mine } };
    const today = todayInJapan();
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const referrals = await em.find(ReferralSchema, { $and: [visible, side] }, { orderBy: { dueOn: 'asc', createdAt: 'asc' }, limit: 500 });
      return referrals.map((r) => referralHeader(auth, r, today));
    });
  }
}

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
