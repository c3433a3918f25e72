import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';

/** 包括的相談支援のケース — one person's or household's problems, opened at any window. */
/** Where a case stands towards 多機関協働 (escalation). */
export const COORDINATION_STATUS_LABELS = vocabulary('coordinationStatus', {
  none: { ja: 'なし', en: 'None' },
  candidate: { ja: '多機関協働の候補', en: 'Candidate' },
  pending: { ja: '多機関協働を依頼中', en: 'Escalation pending' },
  coordinating: { ja: '多機関協働中', en: 'In multi-agency collaboration' },
  returned: { ja: '差戻し', en: 'Returned' },
});

export const CaseSchema = defineEntity({
  name: 'Case',
  tableName: 'cases',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    caseNumber: p.string(),
    title: p.string(),
    householdId: p.uuid().nullable(),
    leadDepartmentId: p.uuid(),
    openedByDepartmentId: p.uuid(),
    openedBy: p.uuid(),
    issues: p.array(),
    summary: p.string().nullable(),
    state: p.string(),
    machine: p.string(),
    closureReason: p.string().nullable(),
    suspensionReason: p.string().nullable(),
    /** Where the case stands toward 多機関協働: flagged by the criteria, asked for, taken up, or returned. */
    coordinationStatus: p.enum(COORDINATION_STATUS_LABELS.codes).default('none'),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Case = InferEntity<typeof CaseSchema>;

export const CasePersonSchema = defineEntity({
  name: 'CasePerson',
  tableName: 'case_persons',
  properties: {
    tenantId: p.uuid(),
    caseId: p.uuid().primary(),
    personId: p.uuid().primary(),
    /** 本人, 母, 長男 … as the counselor records it. */
    relation: p.string(),
  },
});
export type CasePerson = InferEntity<typeof CasePersonSchema>;

/** 支援経過記録 — progress notes. */
export const CaseNoteSchema = defineEntity({
  name: 'CaseNote',
  tableName: 'case_notes',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    caseId: p.uuid(),
    authorId: p.uuid(),
    departmentId: p.uuid(),
    body: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type CaseNote = InferEntity<typeof CaseNoteSchema>;
