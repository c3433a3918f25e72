import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { EventLog } from '../../../../platform/events/event-log';
import { assertCan } from '../../../access/assert-can';
import type { RequestAuth } from '../../../access/request-auth';
import { AuditLog } from '../../../audit/audit-log.service';
import { MeetingSchema, type MeetingKind } from '../../domain/meeting.entity';

/** Convenes a 支援会議 or 重層的支援会議; members read what is shared there until `accessUntil`. */
export class ConveneMeetingCommand extends Command<{ id: string; version: number; accessUntil: string }> {
  constructor(
    readonly auth: RequestAuth,
    readonly input: { kind: MeetingKind; title: string; heldOn: string; accessDays: number },
  ) {
    super();
  }
}

@CommandHandler(ConveneMeetingCommand)
export class ConveneMeetingHandler implements ICommandHandler<ConveneMeetingCommand> {
  constructor(
    private readonly db: Db,
    private readonly events: EventLog,
    private readonly audit: AuditLog,
  ) {}

  execute({ auth, input }: ConveneMeetingCommand) {
    assertCan(auth, 'create', 'Meeting', { tenantId: auth.principal.tenantId });
    const accessUntil = new Date(Date.parse(`${input.heldOn}T00:00:00Z`) + input.accessDays * 86_400_000).toISOString().slice(0, 10);
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const meeting = em.create(MeetingSchema, { tenantId: auth.principal.tenantId, kind: input.kind, title: input.title, heldOn: input.heldOn, accessUntil, decisions: [], createdBy: auth.principal.id });
      await em.flush();
      this.events.append(em, auth.audit, { aggregateType: 'Meeting', aggregateId: meeting.id, aggregateVersion: 1, caseId: null, type: 'MeetingConvened', payload: { kind: input.kind, heldOn: input.heldOn, accessUntil } });
      await em.flush();
      await this.audit.append(em, auth.audit, { action: 'meeting.convene', subjectType: 'Meeting', subjectId: meeting.id, outcome: 'allowed', detail: { kind: input.kind } });
      return { id: meeting.id, version: meeting.version, accessUntil };
    });
  }
}
