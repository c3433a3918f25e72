import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { todayInJapan } from '../../../platform/calendar/today';
import { Db } from '../../../platform/database/db';
import { Keyset } from '../../../platform/http/api-contract/paging';
import type { RequestAuth } from '../../access/request-auth';
import { AuditLog } from '../../audit/audit-log.service';
import { loadHeldPerson } from '../person-access';
import { PersonHoldings } from '../person-holdings';
import type { PersonListPage } from './consent.schemas';
import { PersonConsentSchema, type ConsentRecipient, type PersonConsent } from './person-consent.entity';

type Page = { items: Record<string, unknown>[]; next: string | null };

export class ListPersonConsentsQuery extends Query<Page> {
  constructor(
    readonly auth: RequestAuth,
    readonly personId: string,
    readonly page: PersonListPage,
  ) {
    super();
  }
}

/** Oldest first: a consent recorded while paging comes last. */
const CONSENT_ORDER = new Keyset<PersonConsent>('person-consents', { createdAt: 'created_at', id: 'id' });

export function consentView(c: PersonConsent) {
  const today = todayInJapan();
  return {
    id: c.id,
    personId: c.personId,
    recipients: c.recipients,
    fieldGroups: c.fieldGroups,
    purpose: c.purpose,
    givenOn: c.givenOn,
    endsOn: c.endsOn ?? null,
    method: c.method,
    contextCaseId: c.contextCaseId ?? null,
    recordedBy: c.recordedBy ?? null,
    withdrawnOn: c.withdrawnOn ?? null,
    withdrawalReason: c.withdrawalReason ?? null,
    status: c.withdrawnOn ? ('withdrawn' as const) : c.endsOn && c.endsOn < today ? ('ended' as const) : c.givenOn > today ? ('pending' as const) : ('live' as const),
    version: c.version,
    createdAt: c.createdAt,
  };
}

/** A person's consents, live and past, for the counselors of a department holding them; the read is audited. */
@QueryHandler(ListPersonConsentsQuery)
export class ListPersonConsentsHandler implements IQueryHandler<ListPersonConsentsQuery> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, personId, page }: ListPersonConsentsQuery) {
    const after = CONSENT_ORDER.decode(page.cursor);
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      await loadHeldPerson(em, auth, this.holdings, personId, 'read', 'PersonConsent');
      const rows = await em.find(PersonConsentSchema, { $and: [{ personId }, CONSENT_ORDER.after(after)] }, { orderBy: CONSENT_ORDER.orderBy, limit: page.limit + 1 });
      const shown = rows.slice(0, page.limit);
      await this.audit.append(em, auth.audit, { action: 'consent.list', subjectType: 'Person', subjectId: personId, personId, outcome: 'allowed', detail: { consentIds: shown.map((c) => c.id) } });
      return CONSENT_ORDER.page(rows, page.limit, consentView);
    });
  }
}

export class ListPersonDisclosuresQuery extends Query<Page> {
  constructor(
    readonly auth: RequestAuth,
    readonly personId: string,
    readonly page: PersonListPage,
  ) {
    super();
  }
}

/** Newest first. Receipt times may come from the database's clock (µs): the key keeps them as text, whole. */
const DISCLOSURE_ORDER = new Keyset<Record<string, unknown>>('person-disclosure-receipts', { created_key: 'created_at', id: 'id' }, { desc: true });
const iso = (value: unknown) => (value instanceof Date ? value : new Date(String(value))).toISOString();

/**
 * Every disclosure made of the person, from the receipts: to a department (referral, 情報照会), a meeting or a
 * 参加支援 host (disclosures), and to 避難支援等関係者 (roster provisions). To whom, when, which fields, on what basis, by whom.
 */
const RECEIPTS = `
  select d.id, d.created_at, d.created_at::text as created_key,
         case d.recipient_type when 'ParticipationResource' then 'participationHost' else lower(d.recipient_type) end as recipient_type, d.recipient_id,
         coalesce(k.name, m.title, h.name) as recipient_name, d.fields, d.legal_basis, coalesce(d.reason, r.purpose, q.purpose) as reason, d.disclosed_by,
         s.display_name as disclosed_by_name, d.referral_id, d.information_request_id, null::text as receipt_number
    from disclosures d
    left join departments k on d.recipient_type = 'Department' and k.id = d.recipient_id
    left join meetings m on d.recipient_type = 'Meeting' and m.id = d.recipient_id
    left join participation_resources h on d.recipient_type = 'ParticipationResource' and h.id = d.recipient_id
    left join referrals r on r.id = d.referral_id
    left join information_requests q on q.id = d.information_request_id
    left join staff s on s.id = d.disclosed_by
   where d.person_id = ?
  union all
  select v.id, v.created_at, v.created_at::text, 'supporters', v.supporter_id, p.display_name, v.fields, v.basis, null, v.supporter_id,
         p.display_name, null, null, v.receipt_number
    from provisions v join supporters p on p.id = v.supporter_id
   where ? = any(v.person_ids)`;

@QueryHandler(ListPersonDisclosuresQuery)
export class ListPersonDisclosuresHandler implements IQueryHandler<ListPersonDisclosuresQuery> {
  constructor(
    private readonly db: Db,
    private readonly holdings: PersonHoldings,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, personId, page }: ListPersonDisclosuresQuery) {
    const after = DISCLOSURE_ORDER.sql(DISCLOSURE_ORDER.decode(page.cursor));
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      await loadHeldPerson(em, auth, this.holdings, personId, 'read', 'PersonDisclosure');
      const rows = await em.execute<Record<string, unknown>[]>(
        `select * from (${RECEIPTS}) r where ${after.text} order by ${DISCLOSURE_ORDER.sqlOrder} limit ?`,
        [personId, personId, ...after.params, page.limit + 1],
      );
      const shown = rows.slice(0, page.limit);
      await this.audit.append(em, auth.audit, { action: 'person.disclosures', subjectType: 'Person', subjectId: personId, personId, outcome: 'allowed', detail: { receipts: shown.map((r) => r.id) } });
      return DISCLOSURE_ORDER.page(rows, page.limit, (r) => ({
        id: r.id as string,
        disclosedAt: iso(r.created_at),
        recipientType: r.recipient_type as ConsentRecipient['type'],
        recipientId: r.recipient_id as string,
        recipientName: (r.recipient_name as string | null) ?? null,
        fields: r.fields as string[],
        legalBasis: r.legal_basis as string,
        reason: (r.reason as string | null) ?? null,
        disclosedBy: r.disclosed_by as string,
        disclosedByName: (r.disclosed_by_name as string | null) ?? null,
        referralId: (r.referral_id as string | null) ?? null,
        informationRequestId: (r.information_request_id as string | null) ?? null,
        receiptNumber: (r.receipt_number as string | null) ?? null,
      }));
    });
  }
}
