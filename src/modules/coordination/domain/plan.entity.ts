import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';

export interface Goal {
  id: string;
  text: string;
}

/** A support plan version's standing. */
export const SUPPORT_PLAN_STATE_LABELS = vocabulary('supportPlanState', {
  draft: { ja: '作成中', en: 'Draft' },
  submitted: { ja: '会議に提出', en: 'Submitted' },
  approved: { ja: '支援決定', en: 'Approved' },
  superseded: { ja: '改訂済み', en: 'Superseded' },
});

/** 支援プラン — goals, versioned: a re-plan makes a new version, earlier ones are kept. */
export const SupportPlanSchema = defineEntity({
  name: 'SupportPlan',
  tableName: 'support_plans',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    coordinationCaseId: p.uuid(),
    version: p.integer(),
    goals: p.json<Goal[]>(),
    state: p.enum(SUPPORT_PLAN_STATE_LABELS.codes),
    approvedInMeetingId: p.uuid().nullable(),
    createdBy: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type SupportPlan = InferEntity<typeof SupportPlanSchema>;

/** A task is ordinary support or 参加支援 (connecting the person to society). */
export const PLAN_TASK_KIND_LABELS = vocabulary('planTaskKind', {
  standard: { ja: '通常の支援', en: 'Support' },
  participation: { ja: '参加支援', en: 'Participation support' },
});

/** A plan task's standing. */
export const PLAN_TASK_STATUS_LABELS = vocabulary('planTaskStatus', {
  open: { ja: '対応中', en: 'Open' },
  done: { ja: '完了', en: 'Done' },
  cancelled: { ja: '取消', en: 'Cancelled' },
});

/** A task for one department; `participation` is 参加支援 (connecting the person to an activity or place). */
export const PlanTaskSchema = defineEntity({
  name: 'PlanTask',
  tableName: 'plan_tasks',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    coordinationCaseId: p.uuid(),
    planVersion: p.integer(),
    goalId: p.string().nullable(),
    departmentId: p.uuid(),
    ownerId: p.uuid().nullable(),
    title: p.string(),
    kind: p.enum(PLAN_TASK_KIND_LABELS.codes),
    resource: p.string().nullable(),
    dueOn: p.string().columnType('date'),
    status: p.enum(PLAN_TASK_STATUS_LABELS.codes),
    report: p.text().nullable(),
    reportedAt: p.datetime().nullable(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type PlanTask = InferEntity<typeof PlanTaskSchema>;

/** モニタリング — a review, possibly naming goals to re-plan. */
export const MonitoringReviewSchema = defineEntity({
  name: 'MonitoringReview',
  tableName: 'monitoring_reviews',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    coordinationCaseId: p.uuid(),
    heldOn: p.string().columnType('date'),
    notes: p.text(),
    replanGoalIds: p.array(),
    createdBy: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type MonitoringReview = InferEntity<typeof MonitoringReviewSchema>;

/** 目標の達成度. */
export const ATTAINMENT_LABELS = vocabulary('attainment', {
  achieved: { ja: '達成', en: 'Achieved' },
  partly: { ja: '一部達成', en: 'Partly achieved' },
  not_achieved: { ja: '未達成', en: 'Not achieved' },
});
export const ATTAINMENTS = ATTAINMENT_LABELS.codes;

/** 評価 — goal attainment, recorded at the meeting. */
export const GoalEvaluationSchema = defineEntity({
  name: 'GoalEvaluation',
  tableName: 'goal_evaluations',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    coordinationCaseId: p.uuid(),
    meetingId: p.uuid().nullable(),
    results: p.json<{ goalId: string; attainment: (typeof ATTAINMENTS)[number]; note?: string }[]>(),
    createdBy: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type GoalEvaluation = InferEntity<typeof GoalEvaluationSchema>;
