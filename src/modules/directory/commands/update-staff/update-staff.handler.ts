import { LockMode } from '@mikro-orm/core';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { CHANNELS, DatabaseNotifications } from '../../../../platform/database/notifications';
import { AppError, notFound } from '../../../../platform/http/app-error';
import { assertCan } from '../../../access/assert-can';
import { AuditLog } from '../../../audit/audit-log.service';
import { StaffSchema } from '../../domain/staff.entity';
import { roleChangeViews } from '../../role-change-view';
import { RoleChanges } from '../../role-changes';
import { StaffDirectory } from '../../staff-directory';
import { UpdateStaffCommand } from './update-staff.command';

@CommandHandler(UpdateStaffCommand)
export class UpdateStaffHandler implements ICommandHandler<UpdateStaffCommand> {
  constructor(
    private readonly db: Db,
    private readonly notifications: DatabaseNotifications,
    private readonly audit: AuditLog,
    private readonly directory: StaffDirectory,
    private readonly roleChanges: RoleChanges,
  ) {}

  async execute({ auth, staffId, input }: UpdateStaffCommand) {
    const { version, roles, reason, ...fields } = input;
    if (staffId === auth.principal.id && (fields.active === false || (roles && !roles.some((r) => r.role === 'admin')))) {
      throw new AppError('validation_failed', {
        errors: [
          {
            field: fields.active === false ? 'body.active' : 'body.roles',
            code: 'self_lockout',
            message: { ja: '自分自身の管理者権限は外せません。', en: 'You cannot remove your own administrator access.' },
          },
        ],
      });
    }
    const result = await this.db.inTenant(auth.principal.tenantId, async (em) => {
      const staff = await em.findOne(StaffSchema, { id: staffId }, { lockMode: LockMode.OPTIMISTIC, lockVersion: version });
      if (!staff) throw notFound({ ja: '職員が見つかりません。', en: 'No such staff member.' });
      assertCan(auth, 'update', 'Staff', staff);
      const changed = Object.keys(fields).filter((k) => fields[k as keyof typeof fields] !== undefined);
      em.assign(staff, Object.fromEntries(changed.map((k) => [k, fields[k as keyof typeof fields]])));
      // Touch the row even when only roles change, so the version moves and a concurrent edit is refused.
      staff.updatedAt = new Date();
      const pending = roles ? await this.roleChanges.change(em, auth, staff, roles, reason) : null;
      await em.flush();
      await this.audit.append(em, auth.audit, {
        action: 'staff.update',
        subjectType: 'Staff',
        subjectId: staff.id,
        outcome: 'allowed',
        detail: { changed: roles ? [...changed, 'roles'] : changed, fromVersion: version, pendingRoleChangeId: pending?.id ?? null },
      });
      const [view] = await this.directory.find(em, { id: staff.id });
      return { ...view, pendingRoleChange: pending ? (await roleChangeViews(em, auth, [pending]))[0] : null };
    });
    // Who someone is changed: cached principals of the tenant go, here now and on every instance on commit.
    this.notifications.changedHere(CHANNELS.directory, auth.principal.tenantId);
    return result;
  }
}
