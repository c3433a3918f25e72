import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiTag } from '../../../platform/http/api-contract/api-tags';
import { IF_MATCH, Input, Operation, type OperationSpec } from '../../../platform/http/api-contract/operation.decorator';
import { pageOf } from '../../../platform/http/api-contract/paging';
import { expectedVersion } from '../../../platform/http/expected-version';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { ActOnAccessGrantCommand } from '../commands/act-on-access-grant/act-on-access-grant.command';
import { RequestAccessGrantCommand } from '../commands/request-access-grant/request-access-grant.command';
import {
  accessGrantActionBodySchema,
  accessGrantListQuery,
  requestAccessGrantSchema,
  type AccessGrantAction,
  type AccessGrantActionBody,
  type AccessGrantListQuery,
  type RequestAccessGrantInput,
} from '../domain/access-grant.schemas';
import { GetAccessGrantQuery, ListAccessGrantsQuery } from '../queries/access-grant-queries';
import { Refusals } from '../refusals';
import { AccessGrantViewSchema } from './access-grant.responses';

const id = z.uuid();

/** The three decisions on a grant share everything but their route, name and summary. */
const decision = (action: AccessGrantAction, operationId: string, summary: OperationSpec['summary']): OperationSpec => ({
  route: `POST :id/${action}`,
  id: operationId,
  summary,
  description: 'The version read goes in `version` or If-Match.',
  params: { id },
  body: accessGrantActionBodySchema,
  headers: IF_MATCH,
  response: { status: 200, schema: AccessGrantViewSchema },
  errors: [404],
});

/** 監査のための閲覧特例 — an auditor's audited, time-limited access to one case, approved by someone else. */
@ApiTag('access-grants', { ja: '監査のための閲覧特例（期限付き・承認制）', en: "Access grants: an auditor's audited, time-limited access to one case, approved by someone else" })
@ApiBearerAuth()
@Controller('audit/access-grants')
export class AccessGrantsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly refusals: Refusals,
  ) {}

  @Operation({
    route: 'POST ',
    id: 'requestAccessGrant',
    summary: { ja: 'ケース 1 件の閲覧を申請する（監査担当者。理由、時間 1〜72、既定 8）', en: 'Request to read one case (auditors): reason, hours (1–72, default 8), includeSensitive' },
    body: requestAccessGrantSchema,
    response: { status: 201, schema: AccessGrantViewSchema },
    errors: [404],
  })
  @Can('create', 'AccessGrant')
  request(@Auth() auth: RequestAuth, @Input.body() body: RequestAccessGrantInput) {
    return this.refusalsAudited(auth, 'access-grant.request', body.caseId, () => this.commands.execute(new RequestAccessGrantCommand(auth, body)));
  }

  @Operation({
    route: 'GET ',
    id: 'listAccessGrants',
    summary: { ja: '閲覧特例の一覧（メタデータのみ、新しい順）', en: "The tenant's access grants, metadata only, newest first (auditors, administrators)" },
    description: 'Filter by state. Paged: pass `next` as `cursor`.',
    query: accessGrantListQuery,
    response: { schema: pageOf(AccessGrantViewSchema) },
  })
  @Can('read', 'AccessGrant')
  list(@Auth() auth: RequestAuth, @Input.query() query: AccessGrantListQuery) {
    return this.queries.execute(new ListAccessGrantsQuery(auth, query));
  }

  @Operation({
    route: 'GET :id',
    id: 'getAccessGrant',
    summary: { ja: '閲覧特例 1 件（できる操作つき）', en: 'One access grant with allowedActions' },
    params: { id },
    response: { schema: AccessGrantViewSchema },
    errors: [404],
  })
  @Can('read', 'AccessGrant')
  get(@Auth() auth: RequestAuth, @Input.param('id') grantId: string) {
    return this.queries.execute(new GetAccessGrantQuery(auth, grantId));
  }

  @Operation(
    decision('approve', 'approveAccessGrant', {
      ja: '閲覧特例を承認する（管理者。自分の申請は不可）。今から申請時間だけ有効',
      en: 'Approve (administrators, never one’s own request): the grant runs for its hours from now',
    }),
  )
  @Can('decide', 'AccessGrant')
  approve(@Auth() auth: RequestAuth, @Input.param('id') grantId: string, @Input.body() body: AccessGrantActionBody, @Input.header('if-match') ifMatch?: string) {
    return this.act(auth, grantId, 'approve', body, ifMatch);
  }

  @Operation(decision('decline', 'declineAccessGrant', { ja: '閲覧特例を理由を添えて却下する（管理者）', en: 'Decline with a reason (administrators)' }))
  @Can('decide', 'AccessGrant')
  decline(@Auth() auth: RequestAuth, @Input.param('id') grantId: string, @Input.body() body: AccessGrantActionBody, @Input.header('if-match') ifMatch?: string) {
    return this.act(auth, grantId, 'decline', body, ifMatch);
  }

  @Operation(
    decision('revoke', 'revokeAccessGrant', {
      ja: '申請または有効な閲覧特例を早めに終える（申請者または管理者）',
      en: 'End a request or a live grant early (the requester, or an administrator)',
    }),
  )
  @Can('revoke', 'AccessGrant')
  revoke(@Auth() auth: RequestAuth, @Input.param('id') grantId: string, @Input.body() body: AccessGrantActionBody, @Input.header('if-match') ifMatch?: string) {
    return this.act(auth, grantId, 'revoke', body, ifMatch);
  }

  private act(auth: RequestAuth, grantId: string, action: AccessGrantAction, body: AccessGrantActionBody, ifMatch?: string) {
    return this.refusalsAudited(auth, `access-grant.${action}`, grantId, () =>
      this.commands.execute(new ActOnAccessGrantCommand(auth, grantId, action, expectedVersion(body.version, ifMatch), body.reason)),
    );
  }

  private refusalsAudited<T>(auth: RequestAuth, action: string, subjectId: string, work: () => Promise<T>): Promise<T> {
    return this.refusals.audited(auth, { action, subjectType: 'AccessGrant', subjectId }, work);
  }
}
