import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { expectedVersion } from '../../../platform/http/expected-version';
import { UuidParam, validate } from '../../../platform/http/zod-validation.pipe';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { ActOnCaseCommand } from '../commands/act-on-case/act-on-case.command';
import { AddNoteCommand } from '../commands/add-note/add-note.command';
import { ChangeIssuesCommand } from '../commands/change-issues/change-issues';
import { AddCasePersonCommand, RemoveCasePersonCommand } from '../commands/change-members/change-members';
import { OpenCaseCommand } from '../commands/open-case/open-case.command';
import { RecordConsentCommand } from '../commands/record-consent/record-consent.command';
import { WithdrawConsentCommand } from '../commands/withdraw-consent/withdraw-consent.command';
import {
  actionBodySchema,
  addCasePersonSchema,
  addNoteSchema,
  changeIssuesSchema,
  removeCasePersonSchema,
  type AddCasePersonInput,
  type ChangeIssuesInput,
  caseActionParam,
  openCaseSchema,
  recordConsentSchema,
  withdrawConsentSchema,
  type ActionBody,
  type CaseAction,
  type OpenCaseInput,
  type RecordConsentInput,
} from '../domain/case.schemas';
import { CaseTimelineQuery, GetCaseQuery, ListCasesQuery } from '../queries/case-queries';
import { openApiBody } from '../../../platform/http/api-contract/openapi-schema';

const listQuery = z.strictObject({ state: z.enum(['intake', 'assessment', 'support', 'monitoring', 'closed', 'suspended']).optional() });
@ApiTags('cases')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries of a POST with the same key return the first result' })
@Controller('cases')
export class CasesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Can('create', 'Case')
  @ApiOperation({ summary: '断らない相談 — open a case at your own window, with its people and issues' })
  @ApiBody({ schema: openApiBody(openCaseSchema) })
  open(@Auth() auth: RequestAuth, @Body(validate(openCaseSchema)) body: OpenCaseInput) {
    return this.commands.execute(new OpenCaseCommand(auth, body));
  }

  @Get()
  @Can('read', 'Case')
  @ApiOperation({ summary: "My cases: my departments' caseload" })
  list(@Auth() auth: RequestAuth, @Query(validate(listQuery)) query: z.infer<typeof listQuery>) {
    return this.queries.execute(new ListCasesQuery(auth, query.state));
  }

  @Get(':id')
  @Can('read', 'Case')
  @ApiOperation({ summary: 'Case detail with allowedActions (every read of personal data is audited)' })
  get(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string) {
    return this.queries.execute(new GetCaseQuery(auth, id));
  }

  @Get(':id/timeline')
  @Can('read', 'Case')
  @ApiOperation({ summary: 'The case history, one readable line per event' })
  timeline(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string) {
    return this.queries.execute(new CaseTimelineQuery(auth, id));
  }

  @Post(':id/actions/:action')
  @HttpCode(200)
  @Can('update', 'Case')
  @ApiOperation({ summary: 'Move the case: start-assessment, start-support, start-monitoring, resume-support, close, suspend, reopen' })
  @ApiBody({ schema: openApiBody(actionBodySchema) })
  act(
    @Auth() auth: RequestAuth,
    @Param('id', UuidParam) id: string,
    @Param('action', validate(caseActionParam)) action: CaseAction,
    @Body(validate(actionBodySchema)) body: ActionBody,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new ActOnCaseCommand(auth, id, action, expectedVersion(body.version, ifMatch), body.reason));
  }

  @Post(':id/notes')
  @Can('update', 'Case')
  @ApiOperation({ summary: '支援経過記録 — add a progress note' })
  @ApiBody({ schema: openApiBody(addNoteSchema) })
  addNote(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(addNoteSchema)) body: z.infer<typeof addNoteSchema>) {
    return this.commands.execute(new AddNoteCommand(auth, id, body.body));
  }

  @Post(':id/consents')
  @Can('update', 'Case')
  @ApiOperation({ summary: '本人同意 — record consent: scope, recipients, date, method' })
  @ApiBody({ schema: openApiBody(recordConsentSchema) })
  recordConsent(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(recordConsentSchema)) body: RecordConsentInput) {
    return this.commands.execute(new RecordConsentCommand(auth, id, body));
  }

  @Post(':id/consents/:consentId/actions/withdraw')
  @HttpCode(200)
  @Can('update', 'Case')
  @ApiOperation({ summary: 'Record the withdrawal of a consent' })
  @ApiBody({ schema: openApiBody(withdrawConsentSchema) })
  withdrawConsent(
    @Auth() auth: RequestAuth,
    @Param('id', UuidParam) id: string,
    @Param('consentId', UuidParam) consentId: string,
    @Body(validate(withdrawConsentSchema)) body: z.infer<typeof withdrawConsentSchema>,
  ) {
    return this.commands.execute(new WithdrawConsentCommand(auth, id, consentId, body.withdrawnOn, body.reason));
  }

  @Post(':id/persons')
  @Can('update', 'Case')
  @ApiOperation({ summary: 'Add a household member later: a known person by id (or 宛名番号), or a new one; on the case version read' })
  @ApiBody({ schema: openApiBody(addCasePersonSchema) })
  addPerson(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(addCasePersonSchema)) body: AddCasePersonInput, @Headers('if-match') ifMatch?: string) {
    return this.commands.execute(new AddCasePersonCommand(auth, id, expectedVersion(body.version, ifMatch), body.person));
  }

  @Post(':id/persons/:personId/actions/remove')
  @HttpCode(200)
  @Can('update', 'Case')
  @ApiOperation({ summary: 'Remove a household member from the case, with a reason; on the case version read' })
  @ApiBody({ schema: openApiBody(removeCasePersonSchema) })
  removePerson(
    @Auth() auth: RequestAuth,
    @Param('id', UuidParam) id: string,
    @Param('personId', UuidParam) personId: string,
    @Body(validate(removeCasePersonSchema)) body: z.infer<typeof removeCasePersonSchema>,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new RemoveCasePersonCommand(auth, id, personId, expectedVersion(body.version, ifMatch), body.reason));
  }

  @Put(':id/issues')
  @Can('update', 'Case')
  @ApiOperation({ summary: 'Change the case’s issue tags (the 多機関協働 criteria are evaluated again); on the case version read' })
  @ApiBody({ schema: openApiBody(changeIssuesSchema) })
  changeIssues(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(changeIssuesSchema)) body: ChangeIssuesInput, @Headers('if-match') ifMatch?: string) {
    return this.commands.execute(new ChangeIssuesCommand(auth, id, expectedVersion(body.version, ifMatch), body));
  }
}
