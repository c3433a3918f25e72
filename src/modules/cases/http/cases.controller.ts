import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiTag } from '../../../platform/http/api-contract/api-tags';
import { IF_MATCH, Input, Operation } from '../../../platform/http/api-contract/operation.decorator';
import { expectedVersion } from '../../../platform/http/expected-version';
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
  caseActionParam,
  caseListQuery,
  caseTimelineQuery,
  changeIssuesSchema,
  openCaseSchema,
  recordConsentSchema,
  removeCasePersonSchema,
  withdrawConsentSchema,
  type ActionBody,
  type AddCasePersonInput,
  type CaseAction,
  type CaseListQuery,
  type CaseTimelineInput,
  type ChangeIssuesInput,
  type OpenCaseInput,
  type RecordConsentInput,
} from '../domain/case.schemas';
import { CaseTimelineQuery, GetCaseQuery, ListCasesQuery } from '../queries/case-queries';
import { CaseDetailSchema, CaseListPageSchema, CaseRecordRefSchema, CaseSummarySchema, CaseTimelinePageSchema } from './case.responses';

const id = z.uuid();

@ApiTag('cases', { ja: '包括的相談支援のケース（断らない相談）', en: 'Cases of comprehensive consultation, opened at any window' })
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Operation({
    route: 'POST ',
    id: 'openCase',
    summary: { ja: '断らない相談 — 自部署の窓口でケースを受け付ける（世帯員・課題とともに）', en: 'Open a case at your own window, with its people and issues' },
    description:
      'Known people by `personId`, new ones with their details; the 多機関協働 criteria are evaluated at once. ' +
      'A person id (or 宛名番号) that is unknown, another municipality’s or not held by the department answers one 404 (audited).',
    body: openCaseSchema,
    response: { status: 201, schema: CaseSummarySchema },
    errors: [404],
  })
  @Can('create', 'Case')
  open(@Auth() auth: RequestAuth, @Input.body() body: OpenCaseInput) {
    return this.commands.execute(new OpenCaseCommand(auth, body));
  }

  @Operation({
    route: 'GET ',
    id: 'listCases',
    summary: { ja: '自部署のケース一覧', en: "My departments' caseload" },
    description:
      'Least recently changed first, so that `updatedSince` with the last `updatedAt` seen follows changes; a case changed while paging shows again at the end. ' +
      'Paged: pass `next` as `cursor`.',
    query: caseListQuery,
    response: { schema: CaseListPageSchema },
  })
  @Can('read', 'Case')
  list(@Auth() auth: RequestAuth, @Input.query() query: CaseListQuery) {
    return this.queries.execute(new ListCasesQuery(auth, query));
  }

  @Operation({
    route: 'GET :id',
    id: 'getCase',
    summary: { ja: 'ケースの詳細と今できる操作（個人情報の閲覧はすべて監査記録）', en: 'Case detail with allowedActions (every read of personal data is audited)' },
    params: { id },
    response: { schema: CaseDetailSchema },
    errors: [404],
  })
  @Can('read', 'Case')
  get(@Auth() auth: RequestAuth, @Input.param('id') caseId: string) {
    return this.queries.execute(new GetCaseQuery(auth, caseId));
  }

  @Operation({
    route: 'GET :id/timeline',
    id: 'getCaseTimeline',
    summary: { ja: 'ケースの経過（出来事ごとに1行）', en: 'The case history, one readable line per event' },
    description: 'In the order things happened; paged: pass `next` as `cursor`.',
    params: { id },
    query: caseTimelineQuery,
    response: { schema: CaseTimelinePageSchema },
    errors: [404],
  })
  @Can('read', 'Case')
  timeline(@Auth() auth: RequestAuth, @Input.param('id') caseId: string, @Input.query() query: CaseTimelineInput) {
    return this.queries.execute(new CaseTimelineQuery(auth, caseId, query));
  }

  @Operation({
    route: 'POST :id/actions/:action',
    id: 'actOnCase',
    summary: { ja: 'ケースを進める（アセスメント・支援・モニタリング・再開・終結・中断・再開始）', en: 'Move the case: start-assessment, start-support, start-monitoring, resume-support, close, suspend, reopen' },
    description: 'close and suspend need `reason`. The version read goes in `version` or If-Match.',
    params: { id, action: caseActionParam },
    body: actionBodySchema,
    headers: IF_MATCH,
    response: { status: 200, schema: CaseSummarySchema },
    errors: [404],
  })
  @Can('update', 'Case')
  act(
    @Auth() auth: RequestAuth,
    @Input.param('id') caseId: string,
    @Input.param('action') action: CaseAction,
    @Input.body() body: ActionBody,
    @Input.header('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new ActOnCaseCommand(auth, caseId, action, expectedVersion(body.version, ifMatch), body.reason));
  }

  @Operation({
    route: 'POST :id/notes',
    id: 'addCaseNote',
    summary: { ja: '支援経過記録を追加', en: 'Add a progress note' },
    params: { id },
    body: addNoteSchema,
    response: { status: 201, schema: CaseRecordRefSchema },
    errors: [404],
  })
  @Can('update', 'Case')
  addNote(@Auth() auth: RequestAuth, @Input.param('id') caseId: string, @Input.body() body: z.infer<typeof addNoteSchema>) {
    return this.commands.execute(new AddNoteCommand(auth, caseId, body.body));
  }

  @Operation({
    route: 'POST :id/consents',
    id: 'recordConsent',
    summary: { ja: '本人同意を記録（範囲・提供先・日付・方法）', en: 'Record consent: scope, recipients, date, method' },
    params: { id },
    body: recordConsentSchema,
    response: { status: 201, schema: CaseRecordRefSchema },
    errors: [404],
  })
  @Can('update', 'Case')
  recordConsent(@Auth() auth: RequestAuth, @Input.param('id') caseId: string, @Input.body() body: RecordConsentInput) {
    return this.commands.execute(new RecordConsentCommand(auth, caseId, body));
  }

  @Operation({
    route: 'POST :id/consents/:consentId/actions/withdraw',
    id: 'withdrawConsent',
    summary: { ja: '本人同意の撤回を記録', en: 'Record the withdrawal of a consent' },
    params: { id, consentId: id },
    body: withdrawConsentSchema,
    response: { status: 200, schema: CaseRecordRefSchema },
    errors: [404],
  })
  @Can('update', 'Case')
  withdrawConsent(@Auth() auth: RequestAuth, @Input.param('id') caseId: string, @Input.param('consentId') consentId: string, @Input.body() body: z.infer<typeof withdrawConsentSchema>) {
    return this.commands.execute(new WithdrawConsentCommand(auth, caseId, consentId, body.withdrawnOn, body.reason));
  }

  @Operation({
    route: 'POST :id/persons',
    id: 'addCasePerson',
    summary: { ja: '世帯員を追加（既知の人は id または宛名番号で、新しい人は詳細で）', en: 'Add a household member: a known person by id (or 宛名番号), or a new one' },
    description: 'On the case version read (`version` or If-Match). A person id (or 宛名番号) that is unknown, another municipality’s or not held by the department answers one 404 (audited).',
    params: { id },
    body: addCasePersonSchema,
    headers: IF_MATCH,
    response: { status: 201, schema: CaseSummarySchema },
    errors: [404],
  })
  @Can('update', 'Case')
  addPerson(@Auth() auth: RequestAuth, @Input.param('id') caseId: string, @Input.body() body: AddCasePersonInput, @Input.header('if-match') ifMatch?: string) {
    return this.commands.execute(new AddCasePersonCommand(auth, caseId, expectedVersion(body.version, ifMatch), body.person));
  }

  @Operation({
    route: 'POST :id/persons/:personId/actions/remove',
    id: 'removeCasePerson',
    summary: { ja: '世帯員をケースから外す（理由とともに）', en: 'Remove a household member from the case, with a reason' },
    description: 'On the case version read (`version` or If-Match).',
    params: { id, personId: id },
    body: removeCasePersonSchema,
    headers: IF_MATCH,
    response: { status: 200, schema: CaseSummarySchema },
    errors: [404],
  })
  @Can('update', 'Case')
  removePerson(
    @Auth() auth: RequestAuth,
    @Input.param('id') caseId: string,
    @Input.param('personId') personId: string,
    @Input.body() body: z.infer<typeof removeCasePersonSchema>,
    @Input.header('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new RemoveCasePersonCommand(auth, caseId, personId, expectedVersion(body.version, ifMatch), body.reason));
  }

  @Operation({
    route: 'PUT :id/issues',
    id: 'changeCaseIssues',
    summary: { ja: 'ケースの課題を変更（多機関協働の基準を再評価）', en: 'Change the case’s issue tags (the 多機関協働 criteria are evaluated again)' },
    description: 'On the case version read (`version` or If-Match).',
    params: { id },
    body: changeIssuesSchema,
    headers: IF_MATCH,
    response: { schema: CaseSummarySchema },
    errors: [404, 409],
  })
  @Can('update', 'Case')
  changeIssues(@Auth() auth: RequestAuth, @Input.param('id') caseId: string, @Input.body() body: ChangeIssuesInput, @Input.header('if-match') ifMatch?: string) {
    return this.commands.execute(new ChangeIssuesCommand(auth, caseId, expectedVersion(body.version, ifMatch), body));
  }
}
