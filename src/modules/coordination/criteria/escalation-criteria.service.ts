import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EventLog } from '../../../platform/events/event-log';
import { boundRows } from '../../../platform/database/bound-query';
import { asDate, entityFromRow } from '../../../platform/database/entity-row';
import { DomainEventSchema } from '../../../platform/events/domain-event.entity';
import type { AuditContext } from '../../audit/domain/audit-entry';
import { CaseSchema, type Case } from '../../cases/domain/case.entity';
import { EscalationEvaluationSchema, EscalationRuleSetSchema, EscalationSchema } from '../domain/coordination.entity';
import { DEFAULT_RULE_SET, evaluateCriteria, ruleSetSchema, type Evaluation, type RuleSet } from '../domain/escalation-criteria';

const DAY = 86_400_000;
/** The matched criteria of a case, as an aggregate of their own (keyed by the case id). */
const CRITERIA_AGGREGATE = 'CaseCriteria';
/** A tenant's criteria, as an aggregate keyed by the tenant id: its versions are the rule set's. */
export const RULE_SET_AGGREGATE = 'EscalationCriteria';
export const CRITERIA_CONFIGURED = 'EscalationCriteriaConfigured';

/** What an evaluation reads beside the case. */
interface EvaluationReads {
  declined_referrals: number;
  last_event_at: string | null;
  rule_set: { version: number; rules: unknown } | null;
  last_match: { aggregateVersion: number; matched: { code: string; label: { ja: string; en: string } }[] | null } | null;
}

function ruleSetOf(latest: { version: number; rules: unknown } | null | undefined): { version: number; rules: RuleSet } {
  return latest ? { version: latest.version, rules: ruleSetSchema.parse(latest.rules) } : { version: 0, rules: DEFAULT_RULE_SET };
}

/** The tenant's criteria (versioned) and their evaluation against a case. */
@Injectable()
export class EscalationCriteriaService {
  constructor(private readonly events: EventLog) {}

  /** Version 0 is the built-in default, until an administrator saves the first version. */
  async current(em: EntityManager): Promise<{ version: number; rules: RuleSet }> {
    const [latest] = await em.find(EscalationRuleSetSchema, {}, { orderBy: { version: 'desc' }, limit: 1 });
    return ruleSetOf(latest);
  }

  /**
   * Saves the next version and announces it through the outbox: open cases are re-evaluated after
   * commit (CandidateWatcher), so each evaluation names the version that decided it.
   */
  async configure(em: EntityManager, context: AuditContext, rules: RuleSet, createdBy: string): Promise<number> {
    const version = (await this.current(em)).version + 1;
    em.create(EscalationRuleSetSchema, { tenantId: context.tenantId, version, rules, createdBy });
    this.events.append(em, context, {
      aggregateType: RULE_SET_AGGREGATE,
      aggregateId: context.tenantId,
      aggregateVersion: version,
      caseId: null,
      type: CRITERIA_CONFIGURED,
      payload: { ruleSetVersion: version },
    });
    await em.flush();
    return version;
  }

  /**
   * Records which rules match the case now and under which version. A match makes the case a
   * candidate for the coordinator's queue; an urgent one asks for 支援会議 at once (a pending escalation).
   */
  async evaluate(em: EntityManager, system: AuditContext, caseId: string, now = new Date()) {
    // Evaluations of one case run one at a time: each compares with the one before it.
    await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`escalation-criteria:${caseId}`]);
    // What the evaluation reads, in one round trip (it runs after every change of a case).
    const [row] = await boundRows<Record<string, unknown> & EvaluationReads>(
      em,
      `select c.*,
         (select count(*)::int from referrals r where r.case_id = c.id and r.state = 'declined') as declined_referrals,
         (select d.occurred_at from domain_events d where d.case_id = c.id order by d.id desc limit 1) as last_event_at,
         (select json_build_object('version', s.version, 'rules', s.rules) from escalation_rule_sets s order by s.version desc limit 1) as rule_set,
         (select json_build_object('aggregateVersion', d.aggregate_version, 'matched', d.payload->'matched')
            from domain_events d where d.aggregate_type = $2 and d.aggregate_id = c.id order by d.aggregate_version desc limit 1) as last_match
       from cases c where c.id = $1`,
      [caseId, CRITERIA_AGGREGATE],
    );
    const found = row && entityFromRow(em, CaseSchema, row);
    if (!found || ['closed', 'suspended'].includes(found.state)) return null;
    const { version, rules } = ruleSetOf(row.rule_set);
    const facts = {
      issues: found.issues,
      declinedReferrals: row.declined_referrals,
      daysSinceLastEvent: Math.floor((now.getTime() - (asDate(row.last_event_at) ?? found.createdAt).getTime()) / DAY),
    };
    const result = evaluateCriteria(rules, facts);
    em.create(EscalationEvaluationSchema, { tenantId: found.tenantId, caseId, ruleSetVersion: version, ...result });
    this.recordMatchChange(em, system, found, version, result.matched, row.last_match);
    const status = this.nextStatus(found.coordinationStatus, result);
    if (status !== found.coordinationStatus) {
      // Not a change the counselor made: no version bump, so nobody's edit is refused for it.
      await em.nativeUpdate(CaseSchema, { id: caseId }, { coordinationStatus: status });
      if (status === 'pending') {
        const reason = result.matched.map((m) => m.label.ja).join('、');
        em.create(EscalationSchema, { tenantId: found.tenantId, caseId, source: 'criteria', reason, state: 'pending' });
      }
      this.events.append(em, system, {
        aggregateType: 'CaseCoordinationStatus',
        aggregateId: caseId,
        aggregateVersion: (await em.count(DomainEventSchema, { aggregateType: 'CaseCoordinationStatus', aggregateId: caseId })) + 1,
        caseId,
        type: status === 'pending' ? 'CaseUrgentlyEscalated' : 'CaseFlaggedForCoordination',
        payload: { ruleSetVersion: version, matched: result.matched.map((m) => m.code), because: result.matched.map((m) => m.because.ja) },
      });
    }
    await em.flush();
    return { ruleSetVersion: version, ...result };
  }

  /**
   * An event when the set of matched criteria changes (not on every evaluation, which runs on every
   * change of the case and hourly on quiet ones): the managers' read model of the criteria that
   * trigger most is fed from it. Not an event of the case (no case id): an evaluation is no
   * activity, so it neither makes the case look busy nor triggers another evaluation.
   */
  private recordMatchChange(em: EntityManager, system: AuditContext, found: Case, ruleSetVersion: number, matched: Evaluation['matched'], last: EvaluationReads['last_match']): void {
    const caseId = found.id;
    const now = matched.map((m) => ({ code: m.code, label: m.label }));
    // Compared field by field: jsonb does not keep the order of keys.
    const key = (list: typeof now) => JSON.stringify(list.map((m) => [m.code, m.label.ja, m.label.en]));
    if (key(last?.matched ?? []) === key(now)) return;
    this.events.append(em, system, {
      aggregateType: CRITERIA_AGGREGATE,
      aggregateId: caseId,
      aggregateVersion: (last?.aggregateVersion ?? 0) + 1,
      caseId: null,
      type: 'EscalationCriteriaMatched',
      payload: { ruleSetVersion, matched: now, leadDepartmentId: found.leadDepartmentId },
    });
  }

  private nextStatus(current: Case['coordinationStatus'], result: { candidate: boolean; urgent: boolean }): Case['coordinationStatus'] {
    if (current === 'coordinating' || current === 'pending') return current;
    if (result.urgent) return 'pending';
    if (result.candidate && current === 'none') return 'candidate';
    return current;
  }
}
