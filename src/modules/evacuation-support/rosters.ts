import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessDeniedError } from '../access/access-denied.error';
import type { RequestAuth } from '../access/request-auth';
import { departmentsResponsibleFor } from '../directory/domain/principal';
import { AuditedPersonReader } from '../people/audited-person-reader';
import { PersonHoldings, REGISTER_PERSON_FIELDS } from '../people/person-holdings';
import type { LegalBasis } from '../audit/domain/legal-basis';
import { todayInJapan } from '../../platform/calendar/today';
import { liveConsents } from '../people/consents/consent-book';
import { covers } from '../people/consents/consent-rule';
import { PersonSchema } from '../people/domain/person.entity';
import { personValues } from '../people/person-presenter';
import { DisasterSchema, EvacuationPlanSchema, ProvisionSchema, RegisterEntrySchema, type Provision, type RegisterEntry } from './domain/register.entity';
import { REGISTER_CONSENT_GROUPS, RegisterBook } from './register-book';
import { Keyset, type PageParams } from '../../platform/http/api-contract/paging';

/** The register's person items as a roster row carries them; null where empty or withheld (see withheldFields). */
export interface RosterPersonValues {
  name: { family: string; given: string } | null;
  kana: { family: string | null; given: string | null } | null;
  birthDate: string | null;
  sex: string | null;
  address: string | null;
  phone: string | null;
}

export const ROSTER_FIELDS = ['name', 'kana', 'birthDate', 'sex', 'address', 'phone', 'districtCode', 'needsHelpReason', 'householdSituation'];
const LISTED = ['registered', 'renewal_notice_sent'];

export const ROSTER_BASES = ['DMA_ROSTER_INTERNAL', 'DMA_ROSTER_NORMAL', 'DMA_ROSTER_DISASTER', 'DMA_PLAN_NORMAL', 'DMA_PLAN_DISASTER'] as const satisfies readonly LegalBasis[];
type Basis = (typeof ROSTER_BASES)[number];
/** Rosters and plans list people by 地区, then as they entered the register; one cursor kind each. */
const ORDERS = {
  roster: new Keyset<RegisterEntry>('roster', { districtCode: 'district_code', createdAt: 'created_at', id: 'id' }),
  plans: new Keyset<RegisterEntry>('evacuation-plans', { districtCode: 'district_code', createdAt: 'created_at', id: 'id' }),
};
interface Shareable {
  entry: RegisterEntry;
  basis: Basis;
  disasterId: string | null;
}

/**
 * Who appears in a supporter's roster, on which basis: in normal times only people whose own consent
 * names the supporters (or, under an ordinance, who did not refuse); in a declared disaster everyone listed in its districts. People
 * under DV protection never go to community groups. Every provision is recorded with a receipt.
 */
@Injectable()
export class Rosters {
  constructor(
    private readonly book: RegisterBook,
    private readonly reader: AuditedPersonReader,
    private readonly holdings: PersonHoldings,
  ) {}

  /**
   * The rows of one provision: the whole roster (CSV), one person, or a page (`page`): each page
   * viewed is its own provision of the people on it.
   */
  async provide(em: EntityManager, auth: RequestAuth, request: { kind: Provision['kind']; districtCode?: string; personId?: string; page?: PageParams }) {
    const order = ORDERS[request.kind === 'plans' ? 'plans' : 'roster'];
    const after = request.page && order.decode(request.page.cursor);
    const shareable = await this.shareable(em, auth, request.districtCode, request.kind === 'plans', order.after(after));
    if (request.personId && !shareable.some((s) => s.entry.personId === request.personId)) {
      throw new AccessDeniedError(auth.audit, { action: 'roster.read-person', subjectType: 'Roster', personId: request.personId, subjectId: request.personId });
    }
    const limit = request.page?.limit ?? Infinity;
    const chosen = (request.personId ? shareable.filter((s) => s.entry.personId === request.personId) : shareable).slice(0, limit);
    const next = shareable.length > limit ? order.encode(chosen[chosen.length - 1].entry) : null;
    const persons = new Map((await em.find(PersonSchema, { id: { $in: chosen.map((s) => s.entry.personId) } })).map((p) => [p.id, p]));
    const plans = request.kind === 'plans' ? new Map((await em.find(EvacuationPlanSchema, { entryId: { $in: chosen.map((s) => s.entry.id) } })).map((p) => [p.entryId, p])) : null;
    const receipts = await this.record(em, auth, request, chosen);
    // Staff read the register as its keepers hold it; a supporter's provision is itself the disclosure.
    const held = auth.principal.kind === 'staff' ? await this.holdings.of(em, departmentsResponsibleFor(auth.principal, 'register'), [...persons.keys()], 'register') : null;
    // The page's people read in one go: one audit statement for the provision, not one per person.
    const read = await this.reader.readMany(
      em,
      auth,
      chosen.map(({ entry, basis, disasterId }) => {
        const person = persons.get(entry.personId)!;
        return {
          person,
          values: personValues(person),
          fields: held ? REGISTER_PERSON_FIELDS.filter((f) => held.get(person.id)!.has(f)) : REGISTER_PERSON_FIELDS,
          entry: { action: `roster.${request.kind}`, subjectType: 'RegisterEntry', subjectId: entry.id, legalBasis: basis, detail: { receiptNumber: receipts.get(basis), disasterId, districtCode: entry.districtCode } },
        };
      }),
    );
    const rows = chosen.map(({ entry, basis, disasterId }, i) => {
      const { contactWithheld, withheldFields: _, ...values } = read[i];
      const plan = plans?.get(entry.id);
      return {
        personId: entry.personId,
        ...({ ...Object.fromEntries(REGISTER_PERSON_FIELDS.map((f) => [f, null])), ...values } as RosterPersonValues),
        contactWithheld,
        withheldFields: REGISTER_PERSON_FIELDS.filter((f) => !(f in values)),
        districtCode: entry.districtCode,
        needsHelpReason: entry.needsHelpReason ?? null,
        householdSituation: entry.householdSituation ?? null,
        basis,
        disasterId,
        receiptNumber: receipts.get(basis)!,
        ...(plan ? { plan: { helper: plan.helper, shelter: plan.shelter, route: plan.route, careNotes: plan.careNotes ?? null, medicalDevices: plan.medicalDevices ?? null, medication: plan.medication ?? null, emergencyContacts: plan.emergencyContacts } } : {}),
      };
    });
    return { items: rows, next };
  }

  private async shareable(em: EntityManager, auth: RequestAuth, districtCode: string | undefined, plans: boolean, after: Record<string, unknown>): Promise<Shareable[]> {
    const principal = auth.principal;
    const mine = principal.kind === 'supporter' ? principal.districtCodes : await this.book.districtCodes(em);
    if (districtCode && !mine.includes(districtCode)) {
      throw new AccessDeniedError(auth.audit, { action: 'roster.read-district', subjectType: 'Roster', subjectId: districtCode, detail: { districtCode } });
    }
    const districts = districtCode ? [districtCode] : mine;
    const entries = await em.find(RegisterEntrySchema, { $and: [{ districtCode: { $in: districts }, state: { $in: LISTED } }, after] }, { orderBy: ORDERS.roster.orderBy });
    if (principal.kind === 'staff') return entries.map((entry) => ({ entry, basis: 'DMA_ROSTER_INTERNAL' as const, disasterId: null }));

    const disasters = await em.find(DisasterSchema, { closedAt: null, districtCodes: { $overlap: districts } }, { orderBy: { declaredAt: 'asc' } });
    const { provisionModel } = await this.book.settings(em, principal.tenantId);
    const protectedIds = new Set((await em.find(PersonSchema, { id: { $in: entries.map((e) => e.personId) } })).filter((p) => p.dvProtected).map((p) => p.id));
    const planned = plans ? new Map((await em.find(EvacuationPlanSchema, { entryId: { $in: entries.map((e) => e.id) } })).map((p) => [p.entryId, p])) : null;
    const today = todayInJapan();
    const consents = await liveConsents(em, entries.map((e) => e.personId), today);
    // 平常時: the person's own live consent naming the supporters of the 地区, or (under a 条例) no refusal.
    const normalTime = (entry: RegisterEntry) =>
      consents.some((c) => c.personId === entry.personId && covers(c, { type: 'supporters', districtCode: entry.districtCode }, REGISTER_CONSENT_GROUPS, today)) ||
      (provisionModel === 'ordinance' && entry.provision === 'ordinance');
    return entries.flatMap((entry): Shareable[] => {
      if (protectedIds.has(entry.personId)) return [];
      const disaster = disasters.find((d) => d.districtCodes.includes(entry.districtCode));
      if (planned) {
        const plan = planned.get(entry.id);
        if (!plan) return [];
        if (disaster) return [{ entry, basis: 'DMA_PLAN_DISASTER', disasterId: disaster.id }];
        return plan.personConsent && plan.helperConsent && normalTime(entry) ? [{ entry, basis: 'DMA_PLAN_NORMAL', disasterId: null }] : [];
      }
      if (disaster) return [{ entry, basis: 'DMA_ROSTER_DISASTER', disasterId: disaster.id }];
      return normalTime(entry) ? [{ entry, basis: 'DMA_ROSTER_NORMAL', disasterId: null }] : [];
    });
  }

  /** One provision record (with its receipt number) per basis; each person's read is audited by the reader. */
  private async record(em: EntityManager, auth: RequestAuth, request: { kind: Provision['kind'] }, chosen: Shareable[]): Promise<Map<Basis, string>> {
    const receipts = new Map<Basis, string>();
    for (const basis of new Set(chosen.map((c) => c.basis))) {
      const group = chosen.filter((c) => c.basis === basis);
      const [{ n }] = await em.execute<{ n: string }[]>(`select nextval('provision_receipt_seq')::text as n`);
      const receiptNumber = `R${new Date().getFullYear()}-${n.padStart(6, '0')}`;
      receipts.set(basis, receiptNumber);
      if (auth.principal.kind === 'supporter') {
        em.create(ProvisionSchema, {
          tenantId: auth.principal.tenantId,
          supporterId: auth.principal.id,
          kind: request.kind,
          basis,
          disasterId: group[0].disasterId,
          districtCodes: [...new Set(group.map((c) => c.entry.districtCode))],
          personIds: group.map((c) => c.entry.personId),
          fields: ROSTER_FIELDS,
          receiptNumber,
        });
      }
    }
    await em.flush();
    return receipts;
  }
}
