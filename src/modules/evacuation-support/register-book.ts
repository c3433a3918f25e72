import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { todayInJapan } from '../../platform/calendar/today';
import { EventLog } from '../../platform/events/event-log';
import { fieldError } from '../../platform/http/app-error';
import { transitionOrRefuse } from '../../platform/workflow/versioned-transition';
import type { AuditContext } from '../audit/domain/audit-entry';
import { AuditLog } from '../audit/audit-log.service';
import { DistrictSchema } from '../directory/domain/department.entity';
import { ConsentBook, supporterConsents } from '../people/consents/consent-book';
import { PersonSchema, type Person } from '../people/domain/person.entity';
import { DEFAULT_ELIGIBILITY_RULES, eligibilityRulesSchema, evaluateEligibility, type EligibilityFacts } from './domain/eligibility';
import { EvacuationSettingsSchema, ProvisionSchema, RegisterEntrySchema, ReturnTaskSchema, type RegisterEntry } from './domain/register.entity';
import { REGISTER_EVENTS, registerMachine } from './domain/register.machine';

export interface NewPerson {
  familyName: string;
  givenName: string;
  familyNameKana?: string | null;
  givenNameKana?: string | null;
  birthDate?: string | null;
  sex?: Person['sex'];
  address?: string | null;
  phone?: string | null;
  residentNumber?: string | null;
}

export interface NewEntry {
  /** A person already held by the adding department (see PersonHoldings.knownTo), or a new one it collects. */
  person: NewPerson | Person;
  collectedByDepartmentId: string | null;
  residentNumber?: string | null;
  districtCode: string;
  source: RegisterEntry['source'];
  facts: EligibilityFacts;
  needsHelpReason?: string | null;
  householdSituation?: string | null;
}

/** What the register's 同意 lets reach the supporters: the register's items. */
export const REGISTER_CONSENT_GROUPS = ['basic', 'contact', 'sensitive'] as const;
export const REGISTER_CONSENT_PURPOSE = '避難支援等関係者への平常時の名簿提供（災対法49条の11②）';

export type RegisterEvent = { type: string; provision?: string; reason?: string };

/** The register's rules in one place: settings, adding people with their eligibility, and every transition. */
@Injectable()
export class RegisterBook {
  constructor(
    private readonly events: EventLog,
    private readonly audit: AuditLog,
    private readonly consents: ConsentBook,
  ) {}

  async settings(em: EntityManager, tenantId: string) {
    const row = await em.findOne(EvacuationSettingsSchema, { tenantId });
    return {
      rules: row ? eligibilityRulesSchema.parse(row.eligibilityRules) : DEFAULT_ELIGIBILITY_RULES,
      provisionModel: row?.provisionModel ?? 'opt_in',
      ordinanceArticle: row?.ordinanceArticle ?? null,
      version: row?.version ?? 0,
    };
  }

  async districtCodes(em: EntityManager): Promise<string[]> {
    return (await em.find(DistrictSchema, {}, { orderBy: { code: 'asc' } })).map((d) => d.code);
  }

  async add(em: EntityManager, context: AuditContext, input: NewEntry): Promise<RegisterEntry> {
    if (!(await this.districtCodes(em)).includes(input.districtCode)) {
      throw fieldError('body.districtCode', 'unknown_district', { ja: 'その地区はありません。', en: 'No such district.' });
    }
    const person =
      'id' in input.person
        ? input.person
        : em.create(PersonSchema, { ...input.person, tenantId: context.tenantId, collectedByDepartmentId: input.collectedByDepartmentId, sensitive: {} });
    const { rules } = await this.settings(em, context.tenantId);
    const verdict = evaluateEligibility(rules, { ...input.facts, birthDate: input.facts.birthDate ?? person.birthDate ?? null }, todayInJapan());
    const entry = em.create(RegisterEntrySchema, {
      tenantId: context.tenantId,
      personId: person.id,
      residentNumber: input.residentNumber ?? null,
      districtCode: input.districtCode,
      state: registerMachine.config.initial as string,
      machine: registerMachine.id,
      source: input.source,
      eligible: verdict.eligible,
      eligibility: verdict.matched,
      needsHelpReason: input.needsHelpReason ?? (verdict.matched.map((m) => m.because.ja).join('、') || null),
      householdSituation: input.householdSituation ?? null,
      facts: { ...input.facts },
    });
    await em.flush();
    this.events.append(em, context, { aggregateType: 'RegisterEntry', aggregateId: entry.id, aggregateVersion: entry.version, caseId: null, type: 'RegisterEntryAdded', payload: { source: input.source, eligible: verdict.eligible, districtCode: input.districtCode } });
    await em.flush();
    await this.audit.append(em, context, { action: 'register.add', subjectType: 'RegisterEntry', subjectId: entry.id, personId: person.id, legalBasis: 'DMA_ROSTER_INTERNAL', outcome: 'allowed', detail: { source: input.source } });
    return entry;
  }

  /** One transition of an entry: the machine decides, the version moves, the event and the audit row follow. */
  async transition(em: EntityManager, context: AuditContext, entry: RegisterEntry, event: RegisterEvent): Promise<void> {
    const from = entry.state;
    entry.state = transitionOrRefuse(registerMachine, from, {}, event);
    if (event.provision && ['REGISTER', 'RENEW'].includes(event.type)) {
      entry.provision = event.provision as RegisterEntry['provision'];
      entry.registeredOn ??= todayInJapan();
    }
    if (event.type === 'REMOVE') entry.removalReason = event.reason ?? null;
    await em.flush();
    if (event.provision && ['REGISTER', 'RENEW'].includes(event.type)) await this.answerBecomesConsent(em, context, entry.personId, event.provision);
    this.events.append(em, context, {
      aggregateType: 'RegisterEntry',
      aggregateId: entry.id,
      aggregateVersion: entry.version,
      caseId: null,
      type: REGISTER_EVENTS[event.type as keyof typeof REGISTER_EVENTS],
      payload: { from, to: entry.state, ...(event.provision ? { provision: event.provision } : {}), ...(event.reason ? { reason: event.reason } : {}) },
    });
    if (event.type === 'REMOVE') await this.askHoldersToReturn(em, entry, event.reason ?? '');
    await em.flush();
    await this.audit.append(em, context, {
      action: `register.${event.type.toLowerCase()}`,
      subjectType: 'RegisterEntry',
      subjectId: entry.id,
      personId: entry.personId,
      legalBasis: 'DMA_ROSTER_INTERNAL',
      outcome: 'allowed',
      detail: { from, to: entry.state, provision: event.provision ?? null, reason: event.reason ?? null },
    });
  }

  /**
   * The register's 同意 is the person's own consent: to the 避難支援等関係者 of every 地区, for the register's
   * items (基本・連絡先 and the 要配慮 reason help is needed), on 災対法49条の11②. A refusal withdraws it.
   */
  private async answerBecomesConsent(em: EntityManager, context: AuditContext, personId: string, answer: string): Promise<void> {
    const today = todayInJapan();
    const standing = await supporterConsents(em, personId, today);
    if (answer === 'consent' && !standing.length) {
      await this.consents.record(em, context, personId, { recipients: [{ type: 'supporters', districtCode: null }], fieldGroups: [...REGISTER_CONSENT_GROUPS], purpose: REGISTER_CONSENT_PURPOSE, givenOn: today, method: 'written' });
    }
    if (answer === 'refused') {
      for (const consent of standing) await this.consents.withdraw(em, context, { id: consent.id }, { withdrawnOn: today, reason: '名簿の平常時提供を拒否' });
    }
  }

  /** Copies must come back when someone leaves the register (災対法49条の13): a task per supporter who holds one. */
  private async askHoldersToReturn(em: EntityManager, entry: RegisterEntry, reason: string): Promise<void> {
    const holders = new Set((await em.find(ProvisionSchema, { personIds: { $contains: [entry.personId] } })).map((p) => p.supporterId));
    for (const supporterId of holders) {
      em.create(ReturnTaskSchema, { tenantId: entry.tenantId, supporterId, entryId: entry.id, personId: entry.personId, reason, state: 'open' });
    }
  }
}
