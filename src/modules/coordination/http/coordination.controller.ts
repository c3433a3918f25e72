import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiTag } from '../../../platform/http/api-contract/api-tags';
import { IF_MATCH, Input, Operation } from '../../../platform/http/api-contract/operation.decorator';
import { pageOf, type PageParams } from '../../../platform/http/api-contract/paging';
import { expectedVersion } from '../../../platform/http/expected-version';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { ActOnCoordinationCommand } from '../commands/act-on-coordination/act-on-coordination';
import { ConfigureCriteriaCommand } from '../commands/configure-criteria/configure-criteria';
import { DecideEscalationCommand } from '../commands/decide-escalation/decide-escalation';
import { EscalateCaseCommand } from '../commands/escalate-case/escalate-case';
import { RecordEvaluationCommand } from '../commands/record-evaluation/record-evaluation';
import { RecordReviewCommand } from '../commands/record-review/record-review';
import { ReportTaskCommand } from '../commands/report-task/report-task';
import { SavePlanCommand } from '../commands/save-plan/save-plan';
import { TakeUpCaseCommand } from '../commands/take-up-case/take-up-case';
import {
  coordinationActionBodySchema,
  coordinationActionParam,
  coordinationCaseListQuery,
  decideEscalationParam,
  decisionBodySchema,
  escalateSchema,
  evaluationSchema,
  plainListQuery,
  queueQuery,
  reportTaskSchema,
  reviewSchema,
  savePlanSchema,
  takeUpSchema,
  taskListQuery,
  type CoordinationAction,
  type CoordinationCaseListQuery,
  type SavePlanInput,
  type TaskListQuery,
} from '../domain/coordination.schemas';
import { ruleSetSchema, type RuleSet } from '../domain/escalation-criteria';
import {
  CoordinatorQueueQuery,
  GetCoordinationQuery,
  GetCriteriaQuery,
  ListCandidatesQuery,
  ListCoordinationCasesQuery,
  ListEscalationsQuery,
  ListTasksQuery,
} from '../queries/coordination-queries';
import {
  CoordinationCandidateSchema,
  CoordinationCaseDetailSchema,
  CoordinationCaseListItemSchema,
  CoordinationOpenedSchema,
  CoordinationRecordRefSchema,
  CoordinationSummarySchema,
  CoordinatorQueueSchema,
  EscalationCriteriaSchema,
  EscalationCriteriaVersionSchema,
  EscalationDecisionSchema,
  EscalationSchema,
  EscalationStatusSchema,
  PlanTaskReportSchema,
  PlanTaskSchema,
  SavedSupportPlanSchema,
} from './coordination.responses';

const id = z.uuid();

@ApiTag('coordination', { ja: '多機関協働 — 判定基準、依頼、支援プラン、タスク、モニタリング', en: 'Multi-agency collaboration: criteria, escalations, support plans, tasks, monitoring' })
@ApiBearerAuth()
@Controller('coordination')
export class CoordinationController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Operation({
    route: 'GET criteria',
    id: 'getEscalationCriteria',
    summary: { ja: '現在の多機関協働の判定基準（版つき）', en: 'The escalation criteria in force, with their version' },
    response: { schema: EscalationCriteriaSchema },
  })
  @Can('read', 'EscalationCriteria')
  criteria(@Auth() auth: RequestAuth) {
    return this.queries.execute(new GetCriteriaQuery(auth));
  }

  @Operation({
    route: 'PUT criteria',
    id: 'configureEscalationCriteria',
    summary: { ja: '判定基準を変更する（管理者・新しい版、配備不要）', en: 'Save new criteria (administrators): a new version, no deploy; open cases are re-evaluated' },
    body: ruleSetSchema,
    response: { status: 200, schema: EscalationCriteriaVersionSchema },
  })
  @Can('configure', 'EscalationCriteria')
  configure(@Auth() auth: RequestAuth, @Input.body() body: RuleSet) {
    return this.commands.execute(new ConfigureCriteriaCommand(auth, body));
  }

  @Operation({
    route: 'GET queue',
    id: 'getCoordinatorQueue',
    summary: { ja: 'コーディネーターの作業一覧（候補とその理由、依頼、段階ごとの件数、期限超過のタスク）', en: "The coordinator's queue: candidates and why, escalations, cases per stage, overdue tasks" },
    description: 'Each list is its first page (`limit` items at most); continue with the list named in the schema, passing its `next` as `cursor`.',
    query: queueQuery,
    response: { schema: CoordinatorQueueSchema },
  })
  @Can('read', 'CoordinationCase')
  queue(@Auth() auth: RequestAuth, @Input.query() query: z.infer<typeof queueQuery>) {
    return this.queries.execute(new CoordinatorQueueQuery(auth, query.limit));
  }

  @Operation({
    route: 'GET candidates',
    id: 'listCoordinationCandidates',
    summary: { ja: '判定基準が多機関協働の候補としたケース（該当したルールつき）', en: 'Cases the criteria flagged for collaboration, with the rules that matched' },
    description: 'Oldest first. Paged: pass `next` as `cursor`.',
    query: plainListQuery,
    response: { schema: pageOf(CoordinationCandidateSchema) },
  })
  @Can('read', 'CoordinationCase')
  candidates(@Auth() auth: RequestAuth, @Input.query() query: PageParams) {
    return this.queries.execute(new ListCandidatesQuery(auth, query));
  }

  @Operation({
    route: 'GET escalations',
    id: 'listPendingEscalations',
    summary: { ja: '判断待ちの多機関協働の依頼', en: 'Requests for collaboration waiting for a decision' },
    description: 'Oldest first. Paged: pass `next` as `cursor`.',
    query: plainListQuery,
    response: { schema: pageOf(EscalationSchema) },
  })
  @Can('read', 'Escalation')
  escalations(@Auth() auth: RequestAuth, @Input.query() query: PageParams) {
    return this.queries.execute(new ListEscalationsQuery(auth, query));
  }

  @Operation({
    route: 'POST escalations',
    id: 'escalateCase',
    summary: { ja: '多機関協働を依頼する（理由つき・主担当課の相談員）', en: 'Ask for collaboration by hand, with a reason (counselors of the lead department)' },
    body: escalateSchema,
    response: { status: 201, schema: EscalationStatusSchema },
    errors: [404],
  })
  @Can('escalate', 'Case')
  escalate(@Auth() auth: RequestAuth, @Input.body() body: z.infer<typeof escalateSchema>) {
    return this.commands.execute(new EscalateCaseCommand(auth, body.caseId, body.reason));
  }

  @Operation({
    route: 'POST escalations/:id/actions/:action',
    id: 'decideEscalation',
    summary: { ja: '依頼を受理する（協働ケースを開く）か差し戻す（理由つき）', en: 'Accept an escalation (opens the coordination case) or return it with a reason' },
    params: { id, action: decideEscalationParam },
    body: decisionBodySchema,
    headers: IF_MATCH,
    response: { status: 200, schema: EscalationDecisionSchema },
    errors: [404],
  })
  @Can('decide', 'Escalation')
  decide(
    @Auth() auth: RequestAuth,
    @Input.param('id') escalationId: string,
    @Input.param('action') action: z.infer<typeof decideEscalationParam>,
    @Input.body() body: z.infer<typeof decisionBodySchema>,
    @Input.header('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new DecideEscalationCommand(auth, escalationId, action, expectedVersion(body.version, ifMatch), body.reason));
  }

  @Operation({
    route: 'POST cases',
    id: 'takeUpCoordinationCase',
    summary: { ja: '候補（または依頼）のケースを引き受ける（スクリーニング）', en: 'Take up a candidate or escalated case (screening)' },
    body: takeUpSchema,
    response: { status: 201, schema: CoordinationOpenedSchema },
    errors: [404],
  })
  @Can('create', 'CoordinationCase')
  takeUp(@Auth() auth: RequestAuth, @Input.body() body: z.infer<typeof takeUpSchema>) {
    return this.commands.execute(new TakeUpCaseCommand(auth, body.caseId, body.reason));
  }

  @Operation({
    route: 'GET cases',
    id: 'listCoordinationCases',
    summary: { ja: '閲覧できる多機関協働のケース（主担当課は自課のケースの状況のみ）', en: 'Coordination cases you may read (a lead department: its own escalated cases, status only)' },
    description: 'In the order they were opened. Paged: pass `next` as `cursor`.',
    query: coordinationCaseListQuery,
    response: { schema: pageOf(CoordinationCaseListItemSchema) },
  })
  @Can('read', 'CoordinationCase')
  list(@Auth() auth: RequestAuth, @Input.query() query: CoordinationCaseListQuery) {
    return this.queries.execute(new ListCoordinationCasesQuery(auth, query));
  }

  @Operation({
    route: 'GET cases/:id',
    id: 'getCoordinationCase',
    summary: { ja: '多機関協働のケース（段階、支援プランと版、タスク、モニタリング、評価、会議）', en: 'A coordination case: stage, plan and its versions, tasks, reviews, evaluations, meetings' },
    params: { id },
    response: { schema: CoordinationCaseDetailSchema },
    errors: [404],
  })
  @Can('read', 'CoordinationCase')
  get(@Auth() auth: RequestAuth, @Input.param('id') coordinationId: string) {
    return this.queries.execute(new GetCoordinationQuery(auth, coordinationId));
  }

  @Operation({
    route: 'POST cases/:id/actions/:action',
    id: 'actOnCoordinationCase',
    summary: { ja: '多機関協働を進める（同意トラック、支援会議トラック、プラン提出、支援決定、終結など）', en: 'Move the coordination: consent or 支援会議 track, submit and approve the plan, monitor, close…' },
    description: 'approve-plan needs `meetingId` (the 重層的支援会議 that had the case); replan, return-plan, close and suspend need `reason`. The version read goes in `version` or If-Match.',
    params: { id, action: coordinationActionParam },
    body: coordinationActionBodySchema,
    headers: IF_MATCH,
    response: { status: 200, schema: CoordinationSummarySchema },
    errors: [404],
  })
  @Can('update', 'CoordinationCase')
  act(
    @Auth() auth: RequestAuth,
    @Input.param('id') coordinationId: string,
    @Input.param('action') action: CoordinationAction,
    @Input.body() body: z.infer<typeof coordinationActionBodySchema>,
    @Input.header('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new ActOnCoordinationCommand(auth, coordinationId, action, expectedVersion(body.version, ifMatch), body));
  }

  @Operation({
    route: 'PUT cases/:id/plan',
    id: 'saveSupportPlan',
    summary: { ja: '支援プランを保存する（目標と課ごとのタスク、参加支援を含む。新しい版）', en: 'Save the support plan: goals and tasks per department (participation support included), as a new version' },
    params: { id },
    body: savePlanSchema,
    headers: IF_MATCH,
    response: { status: 200, schema: SavedSupportPlanSchema },
    errors: [404, 409],
  })
  @Can('update', 'CoordinationCase')
  savePlan(@Auth() auth: RequestAuth, @Input.param('id') coordinationId: string, @Input.body() body: SavePlanInput, @Input.header('if-match') ifMatch?: string) {
    return this.commands.execute(new SavePlanCommand(auth, coordinationId, expectedVersion(body.version, ifMatch), body));
  }

  @Operation({
    route: 'POST cases/:id/reviews',
    id: 'recordMonitoringReview',
    summary: { ja: 'モニタリングを記録する（見直す目標を指定できる）', en: 'Record a monitoring review, naming goals to re-plan' },
    params: { id },
    body: reviewSchema,
    response: { status: 201, schema: CoordinationRecordRefSchema },
    errors: [404],
  })
  @Can('update', 'CoordinationCase')
  review(@Auth() auth: RequestAuth, @Input.param('id') coordinationId: string, @Input.body() body: z.infer<typeof reviewSchema>) {
    return this.commands.execute(new RecordReviewCommand(auth, coordinationId, body));
  }

  @Operation({
    route: 'POST cases/:id/evaluations',
    id: 'recordGoalEvaluation',
    summary: { ja: '評価を記録する（目標ごとの達成度）', en: 'Record the evaluation: attainment per goal' },
    params: { id },
    body: evaluationSchema,
    response: { status: 201, schema: CoordinationRecordRefSchema },
    errors: [404],
  })
  @Can('update', 'CoordinationCase')
  evaluate(@Auth() auth: RequestAuth, @Input.param('id') coordinationId: string, @Input.body() body: z.infer<typeof evaluationSchema>) {
    return this.commands.execute(new RecordEvaluationCommand(auth, coordinationId, body));
  }

  @Operation({
    route: 'GET tasks',
    id: 'listPlanTasks',
    summary: { ja: '支援プランのタスク（自課のもの。地域共生推進課はすべて）', en: "Support plan tasks: my departments' (the coordinating department: every plan's)" },
    description: 'By due day. Paged: pass `next` as `cursor`.',
    query: taskListQuery,
    response: { schema: pageOf(PlanTaskSchema) },
  })
  @Can('read', 'PlanTask')
  tasks(@Auth() auth: RequestAuth, @Input.query() query: TaskListQuery) {
    return this.queries.execute(new ListTasksQuery(auth, query));
  }

  @Operation({
    route: 'POST tasks/:id/actions/report',
    id: 'reportPlanTask',
    summary: { ja: '自課のタスクを報告する（done: true で完了）', en: 'Report on a task of your department (done: true completes it)' },
    params: { id },
    body: reportTaskSchema,
    headers: IF_MATCH,
    response: { status: 200, schema: PlanTaskReportSchema },
    errors: [404],
  })
  @Can('report', 'PlanTask')
  report(@Auth() auth: RequestAuth, @Input.param('id') taskId: string, @Input.body() body: z.infer<typeof reportTaskSchema>, @Input.header('if-match') ifMatch?: string) {
    return this.commands.execute(new ReportTaskCommand(auth, taskId, expectedVersion(body.version, ifMatch), body.report, body.done));
  }
}
