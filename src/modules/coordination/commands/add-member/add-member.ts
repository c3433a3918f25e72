import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { AppError, fieldError } from '../../../../platform/http/app-error';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { RoleAssignmentSchema, StaffSchema } from '../../../directory/domain/staff.entity';
import type { AddMemberInput } from '../../domain/coordination.schemas';
import { MeetingMemberSchema } from '../../domain/meeting.entity';
import { loadMeeting } from '../../meeting-access';

/** Adds a member: a staff member (with their department), or an external body's representative. */
export class AddMemberCommand extends Command<{ id: string }> {
  constructor(
    readonly auth: RequestAuth,
    readonly meetingId: string,
    readonly member: AddMemberInput,
  ) {
    super();
  }
}

@CommandHandler(AddMemberCommand)
export class AddMemberHandler implements ICommandHandler<AddMemberCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, meetingId, member }: AddMemberCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const { meeting } = await loadMeeting(em, auth, meetingId, 'update');
      if (meeting.kind === 'shien_kaigi' && !member.confidentialityAcknowledged) {
        throw new AppError('guard_failed', {
          detail: { ja: '支援会議の構成員には守秘義務の確認が必要です。', en: 'A 支援会議 member must acknowledge the duty of confidentiality first.' },
          meta: { guards: ['confidentialityAcknowledged'] },
        });
      }
      let departmentId: string | null = null;
      if ('staffId' in member) {
        if (!(await em.findOne(StaffSchema, { id: member.staffId, active: true }))) {
          throw fieldError('body.staffId', 'unknown_staff', { ja: 'その職員はいません。', en: 'No such staff member.' });
        }
        departmentId = (await em.findOne(RoleAssignmentSchema, { staffId: member.staffId, departmentId: { $ne: null } }))?.departmentId ?? null;
      }
      const added = em.create(MeetingMemberSchema, {
        tenantId: meeting.tenantId,
        meetingId,
        staffId: 'staffId' in member ? member.staffId : null,
        departmentId,
        externalName: 'externalName' in member ? member.externalName : null,
        externalOrganization: 'externalOrganization' in member ? member.externalOrganization : null,
        confidentialityAcknowledgedAt: member.confidentialityAcknowledged ? new Date() : null,
      });
      await em.flush();
      await this.audit.append(em, auth.audit, { action: 'meeting.add-member', subjectType: 'Meeting', subjectId: meetingId, outcome: 'allowed', detail: { memberId: added.id, ...member } });
      return { id: added.id };
    });
  }
}
