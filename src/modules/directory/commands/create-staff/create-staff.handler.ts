import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { assertCan } from '../../../access/assert-can';
import { AuditLog } from '../../../audit/audit-log.service';
import { replaceRoleAssignments } from '../../domain/role-assignments';
import { StaffSchema } from '../../domain/staff.entity';
import { StaffDirectory } from '../../staff-directory';
import { CreateStaffCommand } from './create-staff.command';

@CommandHandler(CreateStaffCommand)
export class CreateStaffHandler implements ICommandHandler<CreateStaffCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly directory: StaffDirectory,
  ) {}

  execute({ auth, input }: CreateStaffCommand) {
    const tenantId = auth.principal.tenantId;
    assertCan(auth, 'create', 'Staff', { tenantId });
    return this.db.inTenant(tenantId, async (em) => {
      const staff = em.create(StaffSchema, {
        tenantId,
        login: input.login,
        subject: input.subject ?? input.login,
        displayName: input.displayName,
        email: input.email ?? null,
      });
      await em.flush();
      await replaceRoleAssignments(em, staff, input.roles);
      await em.flush();
      await this.audit.append(em, auth.audit, {
        action: 'staff.create',
        subjectType: 'Staff',
        subjectId: staff.id,
        outcome: 'allowed',
        detail: { login: input.login, roles: input.roles },
      });
      const [view] = await this.directory.find(em, { id: staff.id });
      return view;
    });
  }
}
