import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { expectedVersion } from '../../../platform/http/expected-version';
import { UuidParam, validate } from '../../../platform/http/zod-validation.pipe';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { Refusals } from '../../audit/refusals';
import { ActOnRoleChangeCommand } from '../commands/act-on-role-change/act-on-role-change';
import { roleChangeActionBodySchema, roleChangeListQuery, type RoleChangeAction, type RoleChangeActionBody } from '../domain/role-change.schemas';
import { GetRoleChangeQuery, ListRoleChangesQuery } from '../queries/role-change-queries';
import { openApiBody } from '../../../platform/http/api-contract/openapi-schema';

const actionBody = openApiBody(roleChangeActionBodySchema);

/**
 * 権限付与申請 — roles that open personal data, asked for by an administrator (through the staff
 * routes) and decided by another administrator or the department's manager, never by the requester
 * or the staff member concerned.
 */
@ApiTags('directory')
@ApiBearerAuth()
@Controller('role-changes')
export class RoleChangesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly refusals: Refusals,
  ) {}

  @Get()
  @Can('read', 'RoleChange')
  @ApiOperation({ summary: 'Role change requests (administrators: all; managers: roles in their department); filter by state' })
  list(@Auth() auth: RequestAuth, @Query(validate(roleChangeListQuery)) query: z.infer<typeof roleChangeListQuery>) {
    return this.queries.execute(new ListRoleChangesQuery(auth, query.state));
  }

  @Get(':id')
  @Can('read', 'RoleChange')
  @ApiOperation({ summary: 'One role change request with what it opens and allowedActions' })
  get(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string) {
    return this.queries.execute(new GetRoleChangeQuery(auth, id));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Can('decide', 'RoleChange')
  @ApiOperation({ summary: 'Approve: the roles are given at once (another administrator, or the manager of their department)' })
  @ApiBody({ schema: actionBody })
  approve(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(roleChangeActionBodySchema)) body: RoleChangeActionBody, @Headers('if-match') ifMatch?: string) {
    return this.act(auth, id, 'approve', body, ifMatch);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Can('decide', 'RoleChange')
  @ApiOperation({ summary: 'Decline with a reason' })
  @ApiBody({ schema: actionBody })
  decline(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(roleChangeActionBodySchema)) body: RoleChangeActionBody, @Headers('if-match') ifMatch?: string) {
    return this.act(auth, id, 'decline', body, ifMatch);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Can('withdraw', 'RoleChange')
  @ApiOperation({ summary: 'Withdraw a pending request (the administrator who made it)' })
  @ApiBody({ schema: actionBody })
  withdraw(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string, @Body(validate(roleChangeActionBodySchema)) body: RoleChangeActionBody, @Headers('if-match') ifMatch?: string) {
    return this.act(auth, id, 'withdraw', body, ifMatch);
  }

  private act(auth: RequestAuth, id: string, action: RoleChangeAction, body: RoleChangeActionBody, ifMatch?: string) {
    return this.refusals.audited(auth, { action: `role-change.${action}`, subjectType: 'RoleChange', subjectId: id }, () =>
      this.commands.execute(new ActOnRoleChangeCommand(auth, id, action, expectedVersion(body.version, ifMatch), body.reason)),
    );
  }
}
