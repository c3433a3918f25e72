import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { expectedVersion } from '../../../platform/http/expected-version';
import { listLimitQuery, type ListLimit } from '../../../platform/http/list-limit';
import { UuidParam, validate } from '../../../platform/http/zod-validation.pipe';
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
  decideEscalationParam,
  decisionBodySchema,
  escalateSchema,
  evaluationSchema,
  reportTaskSchema,
  reviewSchema,
  savePlanSchema,
  takeUpSchema,
  type SavePlanInput,
} from '../domain/coordination.schemas';
import { ruleSetSchema, type RuleSet } from '../domain/escalation-criteria';
import { CoordinatorQueueQuery, GetCoordinationQuery, GetCriteriaQuery, ListCoordinationCasesQuery, ListTasksQuery } from '../queries/coordination-queries';
import { openApiBody } from '../../../platform/http/api-contract/openapi-schema';

@ApiTags('coordination')
@ApiBearerAuth()
@Controller('coordination')
export class CoordinationController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('criteria')
  @Can('read', 'EscalationCriteria')
  @ApiOperation({ summary: 'The escalation criteria in force, with their version' })
  criteria(@Auth() auth: RequestAuth) {
    return this.queries.execute(new GetCriteriaQuery(auth));
  }

  @Put('criteria')
  @Can('configure', 'EscalationCriteria')
  @ApiOperation({ summary: 'Save new criteria (administrators): a new version, no deploy' })
  @ApiBody({ schema: openApiBody(ruleSetSchema) })
  configure(@Auth() auth: RequestAuth, @Body(validate(ruleSetSchema)) body: RuleSet) {
    return this.commands.execute(new ConfigureCriteriaCommand(auth, body));
  }

  @Get('queue')
  @Can('read', 'CoordinationCase')
  @ApiOperation({ summary: "The coordinator's queue: candidates and why, escalations, cases by stage, overdue tasks" })
  queue(@Auth() auth: RequestAuth) {
    return this.queries.execute(new CoordinatorQueueQuery(auth));
  }

  @Post('escalations')
  @Can('escalate', 'Case')
  @ApiOperation({ summary: 'Ask for 多機関協働 by hand, with a reason (counselors of the lead department)' })
  @ApiBody({ schema: openApiBody(escalateSchema) })
  escalate(@Auth() auth: RequestAuth, @Body(validate(escalateSchema)) body: z.infer<typeof escalateSchema>) {
    return this.commands.execute(new EscalateCaseCommand(auth, body.caseId, body.reason));
  }

  @Post('escalations/:id/actions/:action')
  @HttpCode(200)
  @Can('decide', 'Escalation')
  @ApiOperation({ summary: 'accept (opens the coordination case) or return (reason) an escalation' })
  @ApiBody({ schema: openApiBody(decisionBodySchema) })
  decide(
    @Auth() auth: RequestAuth,
    @Param('id', UuidParam) id: string,
    @Param('action', validate(decideEscalationParam)) action: 'accept' | 'return',
    @Body(validate(decisionBodySchema)) body: z.infer<typeof decisionBodySchema>,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new DecideEscalationCommand(auth, id, action, expectedVersion(body.version, ifMatch), body.reason));
  }

  @Post('cases')
  @Can('create', 'CoordinationCase')
  @ApiOperation({ summary: 'Take up a candidate (or escalated) case: スクリーニング' })
  @ApiBody({ schema: openApiBody(takeUpSchema) })
  takeUp(@Auth() auth: RequestAuth, @Body(validate(takeUpSchema)) body: z.infer<typeof takeUpSchema>) {
    return this.commands.execute(new TakeUpCaseCommand(auth, body.caseId, body.reason));
  }

  @Get('cases')
  @Can('read', 'CoordinationCase')
  @ApiOperation({ summary: 'Coordination cases you may read, most recently changed first (lead departments: their own escalated cases), at most `limit` (default 50, max 200)' })
  list(@Auth() auth: RequestAuth, @Query(validate(listLimitQuery)) query: ListLimit) {
    return this.queries.execute(new ListCoordinationCasesQuery(auth, query.limit));
  }

  @Get('cases/:id')
  @Can('read', 'CoordinationCase')
  @ApiOperation({ summary: 'A coordination case: stage, plan and its versions, tasks, reviews, evaluations, meetings' })
  get(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string) {
    return this.queries.execute(new GetCoordinationQuery(auth, id));
  }

  @Post('cases/:id/actions/:action')
  @HttpCode(200)
  @Can('update', 'CoordinationCase')
  @ApiOperation({ summary: 'Move the coordination: start-consent-track, start-shien-kaigi-track, consent-obtained, submit-plan, approve-plan (meetingId), …' })
  @ApiBody({ schema: openApiBody(coordinationActionBodySchema) })
  act(
    @Auth() auth: RequestAuth,
    @Param('id', UuidParam) id: string,
    @Param('action', validate(coordinationActionParam)) action: z.infer<typeof coordinationActionParam>,
    @Body(validate(coordinationActionBodySchema)) body: z.infer<typeof coordinationActionBodySchema>,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new ActOnCoordinationCommand(auth, id, action, expectedVersion(body.version, ifMatch), body));
  }

  @Put('cases/:id/plan')
  @Can('update', 'CoordinationCase')
  @ApiOperation({ summary: '支援プラン — goals and tasks per department (参加支援: kind participation); saves a new version' })
  @ApiBody({ schema: openApiBody(savePlanSchema) })
  savePlan(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(savePlanSchema)) body: SavePlanInput, @Headers('if-match') ifMatch?: string) {
    return this.commands.execute(new SavePlanCommand(auth, id, expectedVersion(body.version, ifMatch), body));
  }

  @Post('cases/:id/reviews')
  @Can('update', 'CoordinationCase')
  @ApiOperation({ summary: 'モニタリング — record a review, naming goals to re-plan' })
  @ApiBody({ schema: openApiBody(reviewSchema) })
  review(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(reviewSchema)) body: z.infer<typeof reviewSchema>) {
    return this.commands.execute(new RecordReviewCommand(auth, id, body));
  }

  @Post('cases/:id/evaluations')
  @Can('update', 'CoordinationCase')
  @ApiOperation({ summary: '評価 — attainment per goal' })
  @ApiBody({ schema: openApiBody(evaluationSchema) })
  evaluate(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(evaluationSchema)) body: z.infer<typeof evaluationSchema>) {
    return this.commands.execute(new RecordEvaluationCommand(auth, id, body));
  }

  @Get('tasks')
  @Can('read', 'PlanTask')
  @ApiOperation({ summary: "My departments' tasks from every 支援プラン" })
  tasks(@Auth() auth: RequestAuth) {
    return this.queries.execute(new ListTasksQuery(auth));
  }

  @Post('tasks/:id/actions/report')
  @HttpCode(200)
  @Can('report', 'PlanTask')
  @ApiOperation({ summary: 'Report on a task of your department (done: true completes it)' })
  @ApiBody({ schema: openApiBody(reportTaskSchema) })
  report(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(reportTaskSchema)) body: z.infer<typeof reportTaskSchema>, @Headers('if-match') ifMatch?: string) {
    return this.commands.execute(new ReportTaskCommand(auth, id, expectedVersion(body.version, ifMatch), body.report, body.done));
  }
}
