import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { todayInJapan } from '../../../../platform/calendar/today';
import { Db } from '../../../../platform/database/db';
import { EventLog } from '../../../../platform/events/event-log';
import { assertVersion, transitionOrRefuse } from '../../../../platform/workflow/versioned-transition';
import { AuditLog } from '../../../audit/audit-log.service';
import { referralMachine } from '../../domain/referral.machine';
import { REFERRAL_ACTIONS, REFERRAL_EVENTS } from '../../domain/referral.schemas';
import { loadReferral } from '../../referral-access';
import { referralHeader } from '../../referral-view';
import { ActOnReferralCommand } from './act-on-referral.command';

@CommandHandler(ActOnReferralCommand)
export class ActOnReferralHandler implements ICommandHandler<ActOnReferralCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
  ) {}

  execute({ auth, referralId, action, expectedVersion, body }: ActOnReferralCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const referral = await loadReferral(em, auth, referralId, action === 'withdraw' ? 'withdraw' : 'respond');
      assertVersion(referral, expectedVersion);
      const type = REFERRAL_ACTIONS[action];
      const event = { type, reason: body.reason ?? '', outcome: body.outcome, note: body.note };
      const from = referral.state;
      referral.state = transitionOrRefuse(referralMachine, from, {}, event);
      if (type === 'DECLINE') referral.declineReason = event.reason;
      if (type === 'WITHDRAW') referral.withdrawReason = event.reason || null;
      if (type === 'HOLD') referral.holdReason = event.reason;
      if (type === 'COMPLETE') Object.assign(referral, { outcome: body.outcome, outcomeNote: body.note ?? null });
      await em.flush();
      const payload = {
        from,
        to: referral.state,
        fromDepartmentId: referral.fromDepartmentId,
        toDepartmentId: referral.toDepartmentId,
        ...(event.reason ? { reason: event.reason } : {}),
        ...(type === 'COMPLETE' ? { outcome: body.outcome, note: body.note ?? null } : {}),
      };
      this.events.append(em, auth.audit, {
        aggregateType: 'Referral',
        aggregateId: referral.id,
        aggregateVersion: referral.version,
        caseId: referral.caseId,
        type: REFERRAL_EVENTS[type as keyof typeof REFERRAL_EVENTS],
        payload,
      });
      await em.flush();
      await this.audit.append(em, auth.audit, {
        action: `referral.${action}`,
        subjectType: 'Referral',
        subjectId: referral.id,
        outcome: 'allowed',
        detail: { from, to: referral.state, version: referral.version },
      });
      return referralHeader(auth, referral, todayInJapan());
    });
  }
}
