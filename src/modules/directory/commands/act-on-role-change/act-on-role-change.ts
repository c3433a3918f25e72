import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { CHANNELS, DatabaseNotifications } from '../../../../platform/database/notifications';
import { assertVersion, transitionOrRefuse } from '../../../../platform/workflow/versioned-transition';
import type { RequestAuth } from '../../../access/request-auth';
import { addRoleAssignments } from '../../domain/role-assignments';
import { ROLE_CHANGE_ACTIONS, type RoleChangeAction } from '../../domain/role-change.schemas';
import { roleChangeMachine } from '../../domain/role-change.machine';
import { StaffSchema } from '../../domain/staff.entity';
import { roleChangeViews, ROLE_CHANGE_PERMISSION, type RoleChangeView } from '../../role-change-view';
import { RoleChanges } from '../../role-changes';

/** Someone other than the requester and the staff member approves or declines (reason); the requester withdraws. */
export class ActOnRoleChangeCommand extends Command<RoleChangeView> {
  constructor(
    readonly auth: RequestAuth,
    readonly roleChangeId: string,
    readonly action: RoleChangeAction,
    readonly expectedVersion: number,
    readonly reason?: string,
  ) {
    super();
  }
}

@CommandHandler(ActOnRoleChangeCommand)
export class ActOnRoleChangeHandler implements ICommandHandler<ActOnRoleChangeCommand> {
  constructor(
    private readonly db: Db,
    private readonly notifications: DatabaseNotifications,
    private readonly roleChanges: RoleChanges,
  ) {}

  async execute({ auth, roleChangeId, action, expectedVersion, reason }: ActOnRoleChangeCommand) {
    const result = await this.db.inTenant(auth.principal.tenantId, async (em) => {
      // Access first: deciding one's own request, or one's own access, is refused before any state is looked at.
      const change = await this.roleChanges.load(em, auth, roleChangeId, ROLE_CHANGE_PERMISSION[action]);
      assertVersion(change, expectedVersion);
      const type = ROLE_CHANGE_ACTIONS[action];
      change.state = transitionOrRefuse(roleChangeMachine, change.state, {}, { type, reason: reason ?? '' });
      if (type !== 'WITHDRAW') Object.assign(change, { decidedBy: auth.principal.id, decidedAt: new Date(), declineReason: type === 'DECLINE' ? reason : null });
      if (type === 'APPROVE') {
        // Applied in the approval's transaction: the roles exist exactly when the request reads approved.
        const staff = await em.findOneOrFail(StaffSchema, { id: change.staffId });
        await addRoleAssignments(em, staff, change.roles);
        // The staff row's version moves too, so an edit made on what was read before is refused.
        staff.updatedAt = new Date();
      }
      await em.flush();
      await this.roleChanges.record(em, auth, change, action, reason ? { reason } : {});
      const [view] = await roleChangeViews(em, auth, [change]);
      return view;
    });
    // Who someone is changed: cached principals of the tenant go, here now and on every instance on commit.
    this.notifications.changedHere(CHANNELS.directory, auth.principal.tenantId);
    return result;
  }
}
