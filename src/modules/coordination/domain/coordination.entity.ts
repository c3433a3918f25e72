import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';
import type { Evaluation } from './escalation-criteria';

/** A case taken up for 多機関協働 (multi-agency collaboration) by the coordinating department. */
export const CoordinationCaseSchema = defineEntity({
  name: 'CoordinationCase',
  tableName: 'coordination_cases',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    caseId: p.uuid(),
    /** The case's lead department (it never changes): it follows the coordination of its case. */
    leadDepartmentId: p.uuid(),
    escalationId: p.uuid().nullable(),
    state: p.string(),
    machine: p.string(),
    coordinatorId: p.uuid(),
    closureReason: p.string().nullable(),
    suspensionReason: p.string().nullable(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type CoordinationCase = InferEntity<typeof CoordinationCaseSchema>;

/** Who asked for 多機関協働: the criteria, or a counselor. */
export const ESCALATION_SOURCE_LABELS = vocabulary('escalationSource', {
  criteria: { ja: '判定基準', en: 'Criteria' },
  manual: { ja: '相談員の依頼', en: 'Counselor request' },
});

/** Where a request for 多機関協働 stands. */
export const ESCALATION_STATE_LABELS = vocabulary('escalationState', {
  pending: { ja: '判断待ち', en: 'Pending' },
  accepted: { ja: '受理', en: 'Accepted' },
  returned: { ja: '差戻し', en: 'Returned' },
});

/** A request to take a case up: by a counselor's hand, or raised by the criteria. */
export const EscalationSchema = defineEntity({
  name: 'Escalation',
  tableName: 'escalations',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    caseId: p.uuid(),
    source: p.enum(ESCALATION_SOURCE_LABELS.codes),
    reason: p.text(),
    requestedBy: p.uuid().nullable(),
    state: p.enum(ESCALATION_STATE_LABELS.codes),
    decidedBy: p.uuid().nullable(),
    decisionReason: p.text().nullable(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Escalation = InferEntity<typeof EscalationSchema>;

/** The tenant's escalation criteria; each change is a new version, never an edit. */
export const EscalationRuleSetSchema = defineEntity({
  name: 'EscalationRuleSet',
  tableName: 'escalation_rule_sets',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    version: p.integer(),
    rules: p.json<unknown>(),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type EscalationRuleSet = InferEntity<typeof EscalationRuleSetSchema>;

/** Which rules matched a case, and which version of the criteria decided. */
export const EscalationEvaluationSchema = defineEntity({
  name: 'EscalationEvaluation',
  tableName: 'escalation_evaluations',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    tenantId: p.uuid(),
    caseId: p.uuid(),
    ruleSetVersion: p.integer(),
    candidate: p.boolean(),
    urgent: p.boolean(),
    matched: p.json<Evaluation['matched']>(),
    evaluatedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type EscalationEvaluation = InferEntity<typeof EscalationEvaluationSchema>;
