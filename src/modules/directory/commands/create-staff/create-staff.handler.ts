import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { CHANNELS, DatabaseNotifications } from '../../../../platform/database/notifications';
import { assertCan } from '../../../access/assert-can';
import { AuditLog } from '../../../audit/audit-log.service';
import { StaffSchema } from '../../domain/staff.entity';
import { roleChangeViews } from '../../role-change-view';
import { RoleChanges } from '../../role-changes';
import { StaffDirectory } from '../../staff-directory';
import { CreateStaffCommand } from './create-staff.command';

/**
 * A new staff member starts with the roles that open no personal data; the others wait for a second
 * person's approval like any role change, since whoever creates an account names its sign-in subject.
 */
@CommandHandler(CreateStaffCommand)
export class CreateStaffHandler implements ICommandHandler<CreateStaffCommand> {
  constructor(
    private readonly db: Db,
    private readonly notifications: DatabaseNotifications,
    private readonly audit: AuditLog,
    private readonly directory: StaffDirectory,
    private readonly roleChanges: RoleChanges,
  ) {}

  async execute({ auth, input }: CreateStaffCommand) {
    const tenantId = auth.principal.tenantId;
    assertCan(auth, 'create', 'Staff', { tenantId });
    const result = await this.db.inTenant(tenantId, async (em) => {
      const staff = em.create(StaffSchema, {
        tenantId,
        login: input.login,
        subject: input.subject ?? input.login,
        displayName: input.displayName,
        email: input.email ?? null,
      });
      await em.flush();
      const pending = await this.roleChanges.change(em, auth, staff, input.roles, input.reason);
      await em.flush();
      await this.audit.append(em, auth.audit, {
        action: 'staff.create',
        subjectType: 'Staff',
        subjectId: staff.id,
        outcome: 'allowed',
        detail: { login: input.login, roles: input.roles, pendingRoleChangeId: pending?.id ?? null },
      });
      const [view] = await this.directory.find(em, { id: staff.id });
      return { ...view, pendingRoleChange: pending ? (await roleChangeViews(em, auth, [pending]))[0] : null };
    });
    // Who someone is changed: cached principals of the tenant go, here now and on every instance on commit.
    this.notifications.changedHere(CHANNELS.directory, tenantId);
    return result;
  }
}
