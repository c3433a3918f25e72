import { z } from 'zod';
import { bilingual } from '../../../platform/http/zod-validation.pipe';
import { CASE_FIELDS, PERSON_FIELDS } from '../../referrals/domain/shared-package';
import { pageParams } from '../../../platform/http/api-contract/paging';
import { isoDate, text } from '../../../platform/http/input';
import { COORDINATION_ACTIONS, COORDINATION_STATES } from './coordination.machine';
import { MEETING_KINDS } from './meeting.entity';
import { ATTAINMENTS, PLAN_TASK_STATUS_LABELS } from './plan.entity';

const version = z.int().min(1).optional();

export const escalateSchema = z.strictObject({ caseId: z.uuid(), reason: text(1000) });
export const decideEscalationParam = z.enum(['accept', 'return']);
export const decisionBodySchema = z.strictObject({ version, reason: z.string().trim().max(1000).optional() });
export const takeUpSchema = z.strictObject({ caseId: z.uuid(), reason: text(1000) });

export type CoordinationAction = keyof typeof COORDINATION_ACTIONS;
export const coordinationActionParam = z.enum(Object.keys(COORDINATION_ACTIONS) as [CoordinationAction, ...CoordinationAction[]]);
export const coordinationActionBodySchema = z.strictObject({
  version,
  reason: z.string().trim().max(1000).optional(),
  /** APPROVE_PLAN: the 重層的支援会議 that decided (支援決定). */
  meetingId: z.uuid().optional(),
});

const task = z.strictObject({
  goalId: z.string().min(1).max(40).optional(),
  departmentId: z.uuid(),
  ownerId: z.uuid().optional(),
  title: text(200),
  /** participation = 参加支援: connect the person to an activity or place. */
  kind: z.enum(['standard', 'participation']).default('standard'),
  resource: text(300).optional(),
  dueOn: isoDate,
});
export const savePlanSchema = z
  .strictObject({
    version,
    goals: z.array(z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,40}$/), text: text(500) })).min(1).max(20),
    tasks: z.array(task).max(50),
  })
  .refine((p) => new Set(p.goals.map((g) => g.id)).size === p.goals.length, bilingual({ ja: '目標のIDが重複しています。', en: 'Goal ids repeat.' }, ['goals']))
  .refine((p) => p.tasks.every((t) => !t.goalId || p.goals.some((g) => g.id === t.goalId)), bilingual({ ja: '存在しない目標を指すタスクがあります。', en: 'A task names a goal that does not exist.' }, ['tasks']))
  .refine((p) => p.tasks.every((t) => t.kind !== 'participation' || !!t.resource), bilingual({ ja: '参加支援のタスクにはつなぎ先（活動・場所）が必要です。', en: 'A participation task needs the resource it connects to.' }, ['tasks']));
export type SavePlanInput = z.infer<typeof savePlanSchema>;

export const reportTaskSchema = z.strictObject({ version, report: text(2000), done: z.boolean().default(false) });
export const reviewSchema = z.strictObject({ heldOn: isoDate, notes: text(5000), replanGoalIds: z.array(z.string().min(1).max(40)).max(20).default([]) });
export const evaluationSchema = z.strictObject({
  meetingId: z.uuid().optional(),
  results: z.array(z.strictObject({ goalId: z.string().min(1).max(40), attainment: z.enum(ATTAINMENTS), note: z.string().trim().max(1000).optional() })).min(1).max(20),
});

export const conveneSchema = z.strictObject({
  kind: z.enum(MEETING_KINDS),
  title: text(200),
  heldOn: isoDate,
  /** Days after the meeting during which members may read what was shared. */
  accessDays: z.int().min(1).max(365).default(60),
});
/** 守秘義務: the coordinator attests the member's signed acknowledgment; a 支援会議 admits no member without it. */
const acknowledged = { confidentialityAcknowledged: z.boolean().default(false) };
export const addMemberSchema = z.union([
  z.strictObject({ staffId: z.uuid(), ...acknowledged }),
  z.strictObject({ externalName: text(100), externalOrganization: text(100), ...acknowledged }),
]);
export type AddMemberInput = z.infer<typeof addMemberSchema>;
export const shareWithMeetingSchema = z
  .strictObject({
    coordinationCaseId: z.uuid(),
    share: z.strictObject({
      case: z.array(z.enum(CASE_FIELDS)).default([]),
      persons: z.array(z.strictObject({ personId: z.uuid(), fields: z.array(z.enum(PERSON_FIELDS as [string, ...string[]])).min(1) })).max(20).default([]),
    }),
  })
  .refine((s) => s.share.case.length + s.share.persons.length > 0, bilingual({ ja: '共有する項目を選んでください。', en: 'Choose what to share.' }, ['share']));
export type ShareWithMeetingInput = z.infer<typeof shareWithMeetingSchema>;
export const decisionSchema = z.strictObject({ text: text(2000), caseId: z.uuid().optional(), assigneeDepartmentId: z.uuid().optional() });
export const minutesSchema = z.strictObject({ version, minutes: text(20000) });

/** A yes/no query parameter, spelled `true` or `false`. */
const flag = (description: string) =>
  z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe(description);

/** GET /coordination/cases: the cases the caller may read, in the order they were opened. */
export const coordinationCaseListQuery = z.strictObject({
  state: z.enum(COORDINATION_STATES).optional().describe('Only cases at this stage'),
  leadDepartmentId: z.uuid().optional().describe('Only cases this department leads'),
  updatedSince: z.iso.datetime({ offset: true }).optional().describe('Only cases changed at or after this time'),
  ...pageParams,
});
export type CoordinationCaseListQuery = z.infer<typeof coordinationCaseListQuery>;

/** GET /coordination/tasks: plan tasks the caller may read (their departments'; the coordinating department: all), by due day. */
export const taskListQuery = z.strictObject({
  status: z.enum(PLAN_TASK_STATUS_LABELS.codes).optional().describe('Only tasks in this status; without it, cancelled tasks are left out'),
  overdue: flag('true: only open tasks past their due day; false: only the others'),
  coordinationCaseId: z.uuid().optional().describe('Only the tasks of this coordination case'),
  departmentId: z.uuid().optional().describe('Only the tasks of this department'),
  ...pageParams,
});
export type TaskListQuery = z.infer<typeof taskListQuery>;

/** GET /meetings: by the day held, with an optional kind. */
export const meetingListQuery = z.strictObject({
  kind: z.enum(MEETING_KINDS).optional().describe('Only meetings of this kind'),
  ...pageParams,
});
export type MeetingListQuery = z.infer<typeof meetingListQuery>;

/** The lists with no filter of their own (candidates, pending escalations). */
export const plainListQuery = z.strictObject({ ...pageParams });
/** The coordinator's queue: each part shows at most `limit` items. */
export const queueQuery = z.strictObject({ limit: pageParams.limit });
