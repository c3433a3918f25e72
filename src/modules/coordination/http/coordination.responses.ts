import { z } from 'zod';
import { LabelSchema } from '../../../platform/http/api-contract/common.schemas';
import { pageOf } from '../../../platform/http/api-contract/paging';
import { ISSUE_TAG_CODES } from '../../cases/domain/issue-tags';
import { ESCALATION_SOURCE_LABELS, ESCALATION_STATE_LABELS } from '../domain/coordination.entity';
import { COORDINATION_STATES } from '../domain/coordination.machine';
import { coordinationActionParam } from '../domain/coordination.schemas';
import { ruleSchema } from '../domain/escalation-criteria';
import { MEETING_LEGAL_BASES } from '../domain/meeting.entity';
import { ATTAINMENTS, PLAN_TASK_KIND_LABELS, PLAN_TASK_STATUS_LABELS, SUPPORT_PLAN_STATE_LABELS } from '../domain/plan.entity';

const state = z.enum(COORDINATION_STATES);
const version = z.int().min(1);

/** The criteria in force: the same `rules` a PUT sends, beside their version (0: the built-in ones). */
export const EscalationCriteriaSchema = z.object({ version: z.int().min(0), rules: z.array(ruleSchema) }).meta({ id: 'EscalationCriteria' });
export const EscalationCriteriaVersionSchema = z.object({ version: z.int().min(1).describe('The version just saved') }).meta({ id: 'EscalationCriteriaVersion' });

/** A record just written that is known by its id alone (a review, an evaluation, a meeting member). */
export const CoordinationRecordRefSchema = z.object({ id: z.uuid() }).meta({ id: 'CoordinationRecordRef' });

/** Why the criteria flag a case: the rule and the facts that met it. */
export const CriteriaMatchSchema = z.object({ code: z.string(), label: LabelSchema, because: LabelSchema }).meta({ id: 'CriteriaMatch' });

/** A case the criteria flagged for 多機関協働, with the rules that matched under which version. */
export const CoordinationCandidateSchema = z
  .object({
    caseId: z.uuid(),
    caseNumber: z.string(),
    title: z.string(),
    issues: z.array(z.enum(ISSUE_TAG_CODES)),
    ruleSetVersion: z.int().min(0).nullable().describe('The criteria version of the latest evaluation; null if none is recorded'),
    matched: z.array(CriteriaMatchSchema),
  })
  .meta({ id: 'CoordinationCandidate' });

/** A request for 多機関協働, waiting for the coordinator (or decided). */
export const EscalationSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    source: z.enum(ESCALATION_SOURCE_LABELS.codes),
    state: z.enum(ESCALATION_STATE_LABELS.codes),
    reason: z.string(),
    version,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Escalation' });

/** What asking for 多機関協働 answers. */
export const EscalationStatusSchema = z.object({ id: z.uuid(), state: z.enum(ESCALATION_STATE_LABELS.codes) }).meta({ id: 'EscalationStatus' });

/** What deciding an escalation answers: the coordination case it opened on accept. */
export const EscalationDecisionSchema = z
  .object({ id: z.uuid(), state: z.enum(ESCALATION_STATE_LABELS.codes), coordinationCaseId: z.uuid().nullable().describe('The coordination case opened (accept); null when returned') })
  .meta({ id: 'EscalationDecision' });

/** A task of a 支援プラン for one department (参加支援: kind participation). */
export const PlanTaskSchema = z
  .object({
    id: z.uuid(),
    coordinationCaseId: z.uuid(),
    planVersion: version,
    goalId: z.string().nullable(),
    departmentId: z.uuid(),
    ownerId: z.uuid().nullable(),
    title: z.string(),
    kind: z.enum(PLAN_TASK_KIND_LABELS.codes),
    resource: z.string().nullable().describe('参加支援: the activity or place the person is connected to'),
    dueOn: z.iso.date(),
    status: z.enum(PLAN_TASK_STATUS_LABELS.codes),
    report: z.string().nullable(),
    version,
    overdue: z.boolean().describe('Open and past its due day (Japan time)'),
  })
  .meta({ id: 'PlanTask' });

/** What reporting on a task answers. */
export const PlanTaskReportSchema = z.object({ id: z.uuid(), status: z.enum(PLAN_TASK_STATUS_LABELS.codes), version }).meta({ id: 'PlanTaskReport' });

/** The coordinator's queue: the first page of each of its lists, and the open cases per stage. */
export const CoordinatorQueueSchema = z
  .object({
    candidates: pageOf(CoordinationCandidateSchema),
    escalations: pageOf(EscalationSchema),
    casesByStage: z.array(z.object({ state, cases: z.int().min(1) })).describe('Open coordination cases per stage; list them with GET /coordination/cases?state='),
    overdueTasks: pageOf(PlanTaskSchema),
  })
  .meta({
    id: 'CoordinatorQueue',
    description:
      'First pages: continue candidates with GET /coordination/candidates, pending escalations with GET /coordination/escalations, overdue tasks with GET /coordination/tasks?overdue=true, each with `cursor` = the part’s `next`.',
  });

/** Where a coordination case stands, and what the caller may do next (POST …/actions/:action). */
export const CoordinationSummarySchema = z
  .object({ id: z.uuid(), caseId: z.uuid(), state, version, allowedActions: z.array(coordinationActionParam) })
  .meta({ id: 'CoordinationSummary' });

/** What taking a case up answers: the new coordination case in スクリーニング. */
export const CoordinationOpenedSchema = z.object({ id: z.uuid(), state, version }).meta({ id: 'CoordinationOpened' });

/** What saving the 支援プラン answers: the case and the plan version just drafted. */
export const SavedSupportPlanSchema = CoordinationSummarySchema.extend({ planVersion: version }).meta({ id: 'SavedSupportPlan' });

/** A coordination case in a list: the lead department sees these same fields of its own escalated cases. */
export const CoordinationCaseListItemSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    leadDepartmentId: z.uuid(),
    state,
    version,
    coordinatorId: z.uuid(),
    closureReason: z.string().nullable(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'CoordinationCaseListItem' });

const GoalSchema = z.object({ id: z.string(), text: z.string() }).meta({ id: 'SupportPlanGoal' });
const planState = z.enum(SUPPORT_PLAN_STATE_LABELS.codes);

/**
 * A coordination case with its plan and tasks; the coordinating department also sees the plan's
 * earlier versions, the reviews, the evaluations and the meetings (absent for the lead department).
 */
export const CoordinationCaseDetailSchema = CoordinationSummarySchema.extend({
  leadDepartmentId: z.uuid(),
  coordinatorId: z.uuid(),
  closureReason: z.string().nullable(),
  plan: z.object({ version, state: planState, goals: z.array(GoalSchema), approvedInMeetingId: z.uuid().nullable() }).nullable().describe('The current 支援プラン; null before one is saved'),
  planVersions: z.array(z.object({ version, state: planState, goals: z.array(GoalSchema) })).optional(),
  tasks: z.array(PlanTaskSchema),
  reviews: z
    .array(z.object({ id: z.uuid(), heldOn: z.iso.date(), notes: z.string(), replanGoalIds: z.array(z.string()), createdBy: z.uuid(), createdAt: z.iso.datetime() }))
    .optional()
    .describe('モニタリング'),
  evaluations: z
    .array(
      z.object({
        id: z.uuid(),
        meetingId: z.uuid().nullable(),
        results: z.array(z.object({ goalId: z.string(), attainment: z.enum(ATTAINMENTS), note: z.string().optional() })),
        createdBy: z.uuid(),
        createdAt: z.iso.datetime(),
      }),
    )
    .optional()
    .describe('評価'),
  meetings: z.array(z.object({ meetingId: z.uuid(), legalBasis: z.enum(MEETING_LEGAL_BASES), sharedAt: z.iso.datetime() })).optional(),
}).meta({ id: 'CoordinationCaseDetail' });
