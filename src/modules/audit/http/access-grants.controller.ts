import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { expectedVersion } from '../../../platform/http/expected-version';
import { UuidParam, validate } from '../../../platform/http/zod-validation.pipe';
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
  type RequestAccessGrantInput,
} from '../domain/access-grant.schemas';
import { GetAccessGrantQuery, ListAccessGrantsQuery } from '../queries/access-grant-queries';
import { Refusals } from '../refusals';
import { openApiBody } from '../../../platform/http/api-contract/openapi-schema';

/** 監査のための閲覧特例 — an auditor's audited, time-limited access to one case, approved by someone else. */
@ApiTags('audit')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries of a POST with the same key return the first result' })
@Controller('audit/access-grants')
export class AccessGrantsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly refusals: Refusals,
  ) {}

  @Post()
  @Can('create', 'AccessGrant')
  @ApiOperation({ summary: 'Request to read one case (auditors): reason, hours (1–72, default 8), includeSensitive' })
  @ApiBody({ schema: openApiBody(requestAccessGrantSchema) })
  request(@Auth() auth: RequestAuth, @Body(validate(requestAccessGrantSchema)) body: RequestAccessGrantInput) {
    return this.refusalsAudited(auth, 'access-grant.request', body.caseId, () => this.commands.execute(new RequestAccessGrantCommand(auth, body)));
  }

  @Get()
  @Can('read', 'AccessGrant')
  @ApiOperation({ summary: "The tenant's access grants, metadata only (auditors, administrators); filter by state" })
  list(@Auth() auth: RequestAuth, @Query(validate(accessGrantListQuery)) query: z.infer<typeof accessGrantListQuery>) {
    return this.queries.execute(new ListAccessGrantsQuery(auth, query.state));
  }

  @Get(':id')
  @Can('read', 'AccessGrant')
  @ApiOperation({ summary: 'One access grant with allowedActions' })
  get(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string) {
    return this.queries.execute(new GetAccessGrantQuery(auth, id));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Can('decide', 'AccessGrant')
  @ApiOperation({ summary: 'Approve (administrators, never one’s own request): the grant runs for its hours from now' })
  @ApiBody({ schema: openApiBody(accessGrantActionBodySchema) })
  approve(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(accessGrantActionBodySchema)) body: AccessGrantActionBody, @Headers('if-match') ifMatch?: string) {
    return this.act(auth, id, 'approve', body, ifMatch);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Can('decide', 'AccessGrant')
  @ApiOperation({ summary: 'Decline with a reason (administrators)' })
  @ApiBody({ schema: openApiBody(accessGrantActionBodySchema) })
  decline(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(accessGrantActionBodySchema)) body: AccessGrantActionBody, @Headers('if-match') ifMatch?: string) {
    return this.act(auth, id, 'decline', body, ifMatch);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Can('revoke', 'AccessGrant')
  @ApiOperation({ summary: 'End a request or a live grant early (the requester, or an administrator)' })
  @ApiBody({ schema: openApiBody(accessGrantActionBodySchema) })
  revoke(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(accessGrantActionBodySchema)) body: AccessGrantActionBody, @Headers('if-match') ifMatch?: string) {
    return this.act(auth, id, 'revoke', body, ifMatch);
  }

  private act(auth: RequestAuth, id: string, action: AccessGrantAction, body: AccessGrantActionBody, ifMatch?: string) {
    return this.refusalsAudited(auth, `access-grant.${action}`, id, () =>
      this.commands.execute(new ActOnAccessGrantCommand(auth, id, action, expectedVersion(body.version, ifMatch), body.reason)),
    );
  }

  private refusalsAudited<T>(auth: RequestAuth, action: string, subjectId: string, work: () => Promise<T>): Promise<T> {
    return this.refusals.audited(auth, { action, subjectType: 'AccessGrant', subjectId }, work);
  }
}
