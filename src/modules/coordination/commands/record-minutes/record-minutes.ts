import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { assertVersion } from '../../../../platform/workflow/versioned-transition';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { loadMeeting } from '../../meeting-access';

/** 議事録 — closed: members and auditors read it, nobody else. */
export class RecordMinutesCommand extends Command<{ id: string; version: number }> {
  constructor(
    readonly auth: RequestAuth,
    readonly meetingId: string,
    readonly expectedVersion: number,
    readonly minutes: string,
  ) {
    super();
  }
}

@CommandHandler(RecordMinutesCommand)
export class RecordMinutesHandler implements ICommandHandler<RecordMinutesCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, meetingId, expectedVersion, minutes }: RecordMinutesCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const { meeting } = await loadMeeting(em, auth, meetingId, 'update');
      assertVersion(meeting, expectedVersion);
      meeting.minutes = minutes;
      await em.flush();
      await this.audit.append(em, auth.audit, { action: 'meeting.minutes', subjectType: 'Meeting', subjectId: meetingId, outcome: 'allowed', detail: { length: minutes.length } });
      return { id: meeting.id, version: meeting.version };
    });
  }
}
