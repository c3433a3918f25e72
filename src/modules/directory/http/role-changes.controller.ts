import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth } from '@nestjs/swagger';
import { z } from 'zod';
import { IF_MATCH, Input, Operation, type OperationSpec } from '../../../platform/http/api-contract/operation.decorator';
import { pageOf } from '../../../platform/http/api-contract/paging';
import { expectedVersion } from '../../../platform/http/expected-version';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { Refusals } from '../../audit/refusals';
import { ActOnRoleChangeCommand } from '../commands/act-on-role-change/act-on-role-change';
import { roleChangeActionBodySchema, roleChangeListQuery, type RoleChangeAction, type RoleChangeActionBody, type RoleChangeListQuery } from '../domain/role-change.schemas';
import { GetRoleChangeQuery, ListRoleChangesQuery } from '../queries/role-change-queries';
import { DirectoryTag } from './directory-tag';
import { RoleChangeSchema } from './role-change.responses';

const id = z.uuid();

/** The three steps share everything but the route, the id and the words. */
const step = (action: RoleChangeAction, operationId: string, summary: OperationSpec['summary'], description?: string): OperationSpec => ({
  route: `POST role-changes/:id/${action}`,
  id: operationId,
  summary,
  description: [description, 'The version read goes in `version` or If-Match (stale → 409).'].filter(Boolean).join(' '),
  params: { id },
  body: roleChangeActionBodySchema,
  headers: IF_MATCH,
  response: { status: 200, schema: RoleChangeSchema },
  errors: [404],
});

/**
 * 権限付与申請 — roles that open personal data, asked for by an administrator (through the staff
 * routes) and decided by another administrator or the department's manager, never by the requester
 * or the staff member concerned.
 */
@DirectoryTag()
@ApiBearerAuth()
@Controller()
export class RoleChangesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly refusals: Refusals,
  ) {}

  @Operation({
    route: 'GET role-changes',
    id: 'listRoleChanges',
    summary: { ja: '権限付与申請の一覧（管理者はすべて、課長は自課の役割）', en: 'Role change requests (administrators: all; managers: roles in their department)' },
    description: 'Oldest first, as a queue. Paged: pass `next` as `cursor`.',
    query: roleChangeListQuery,
    response: { schema: pageOf(RoleChangeSchema) },
  })
  @Can('read', 'RoleChange')
  list(@Auth() auth: RequestAuth, @Input.query() query: RoleChangeListQuery) {
    return this.queries.execute(new ListRoleChangesQuery(auth, query));
  }

  @Operation({
    route: 'GET role-changes/:id',
    id: 'getRoleChange',
    summary: { ja: '権限付与申請1件（開かれる範囲と可能な操作）', en: 'One role change request, with what it opens and allowedActions' },
    params: { id },
    response: { schema: RoleChangeSchema },
    errors: [404],
  })
  @Can('read', 'RoleChange')
  get(@Auth() auth: RequestAuth, @Input.param('id') roleChangeId: string) {
    return this.queries.execute(new GetRoleChangeQuery(auth, roleChangeId));
  }

  @Operation(
    step(
      'approve',
      'approveRoleChange',
      { ja: '権限付与申請を承認する（役割は即時付与）', en: 'Approve a role change: the roles are given at once' },
      'Another administrator, or the manager of the department the roles are in.',
    ),
  )
  @Can('decide', 'RoleChange')
  approve(@Auth() auth: RequestAuth, @Input.param('id') roleChangeId: string, @Input.body() body: RoleChangeActionBody, @Input.header('if-match') ifMatch?: string) {
    return this.act(auth, roleChangeId, 'approve', body, ifMatch);
  }

  @Operation(step('decline', 'declineRoleChange', { ja: '権限付与申請を却下する（理由が必要）', en: 'Decline a role change, with a reason' }))
  @Can('decide', 'RoleChange')
  decline(@Auth() auth: RequestAuth, @Input.param('id') roleChangeId: string, @Input.body() body: RoleChangeActionBody, @Input.header('if-match') ifMatch?: string) {
    return this.act(auth, roleChangeId, 'decline', body, ifMatch);
  }

  @Operation(step('withdraw', 'withdrawRoleChange', { ja: '権限付与申請を取り下げる（申請した管理者）', en: 'Withdraw a pending role change (the administrator who asked)' }))
  @Can('withdraw', 'RoleChange')
  withdraw(@Auth() auth: RequestAuth, @Input.param('id') roleChangeId: string, @Input.body() body: RoleChangeActionBody, @Input.header('if-match') ifMatch?: string) {
    return this.act(auth, roleChangeId, 'withdraw', body, ifMatch);
  }

  private act(auth: RequestAuth, roleChangeId: string, action: RoleChangeAction, body: RoleChangeActionBody, ifMatch?: string) {
    return this.refusals.audited(auth, { action: `role-change.${action}`, subjectType: 'RoleChange', subjectId: roleChangeId }, () =>
      this.commands.execute(new ActOnRoleChangeCommand(auth, roleChangeId, action, expectedVersion(body.version, ifMatch), body.reason)),
    );
  }
}
