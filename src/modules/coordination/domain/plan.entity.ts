import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export interface Goal {
  id: string;
  text: string;
}

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
    state: p.enum(['draft', 'submitted', 'approved', 'superseded'] as const),
    approvedInMeetingId: p.uuid().nullable(),
    createdBy: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type SupportPlan = InferEntity<typeof SupportPlanSchema>;

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
    kind: p.enum(['standard', 'participation'] as const),
    resource: p.string().nullable(),
    dueOn: p.string().columnType('date'),
    status: p.enum(['open', 'done', 'cancelled'] as const),
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

export const ATTAINMENTS = ['achieved', 'partly', 'not_achieved'] as const;

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
