import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import type { Decision } from '../../domain/meeting.entity';
import { loadMeeting } from '../../meeting-access';

/** A decision of the meeting (who watches, who reaches out); the minutes are closed to non-members. */
export class RecordDecisionCommand extends Command<Decision> {
  constructor(
    readonly auth: RequestAuth,
    readonly meetingId: string,
    readonly input: { text: string; caseId?: string; assigneeDepartmentId?: string },
  ) {
    super();
  }
}

@CommandHandler(RecordDecisionCommand)
export class RecordDecisionHandler implements ICommandHandler<RecordDecisionCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, meetingId, input }: RecordDecisionCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const { meeting } = await loadMeeting(em, auth, meetingId, 'update');
      const decision: Decision = { id: randomUUID(), text: input.text, caseId: input.caseId ?? null, assigneeDepartmentId: input.assigneeDepartmentId ?? null, recordedAt: new Date().toISOString() };
      meeting.decisions = [...meeting.decisions, decision];
      await em.flush();
      await this.audit.append(em, auth.audit, { action: 'meeting.decide', subjectType: 'Meeting', subjectId: meetingId, outcome: 'allowed', detail: { decisionId: decision.id, caseId: decision.caseId } });
      return decision;
    });
  }
}
