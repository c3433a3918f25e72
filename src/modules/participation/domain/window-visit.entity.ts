import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';

/** What came of a visit to the window, whether or not a connection followed. */
export const WINDOW_VISIT_OUTCOME_LABELS = vocabulary('participationVisitOutcome', {
  connected: { ja: 'つなぎ先につないだ', en: 'Connected to a resource' },
  proposed: { ja: 'つなぎ先を提案（本人検討中）', en: 'Resources proposed; the person is thinking it over' },
  information_only: { ja: '情報提供のみ', en: 'Information only' },
  referred: { ja: '他の窓口・機関へ案内', en: 'Referred to another window or agency' },
  no_fit: { ja: '合うつなぎ先がなかった', en: 'Nothing fitted' },
  declined: { ja: '本人が見送り', en: 'The person declined' },
});
export type WindowVisitOutcome = (typeof WINDOW_VISIT_OUTCOME_LABELS.codes)[number];

/**
 * 相談窓口の利用 — one visit to a window such as the 生涯現役応援窓口, recorded by a counselor of the
 * receiving department: when, from which 地区, what the visitor wished (work, volunteering, a place) and
 * what came of it. It names the resident through a case of the department, or only counts anonymous
 * visitors (`visitors`), so the figures count uses of the window even when no connection follows.
 */
export const WindowVisitSchema = defineEntity({
  name: 'WindowVisit',
  tableName: 'participation_window_visits',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    departmentId: p.uuid(),
    visitedOn: p.string().columnType('date'),
    districtCode: p.string(),
    personId: p.uuid().nullable(),
    caseId: p.uuid().nullable(),
    visitors: p.integer().default(1),
    wishes: p.array(),
    outcome: p.string(),
    note: p.text().nullable(),
    version: p.integer().version(),
    createdBy: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type WindowVisit = InferEntity<typeof WindowVisitSchema>;
