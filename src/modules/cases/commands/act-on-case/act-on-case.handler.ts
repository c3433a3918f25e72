import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db } from '../../../../platform/database/db';
import { EventLog } from '../../../../platform/events/event-log';
import { assertVersion, transitionOrRefuse } from '../../../../platform/workflow/versioned-transition';
import { AuditLog } from '../../../audit/audit-log.service';
import { loadCase } from '../../case-access';
import { caseSummary, openReferralCount } from '../../case-summary';
import { CASE_EVENTS } from '../../domain/case-events';
import { caseMachine } from '../../domain/case.machine';
import { CASE_ACTIONS } from '../../domain/case.schemas';
import { ActOnCaseCommand } from './act-on-case.command';

@CommandHandler(ActOnCaseCommand)
export class ActOnCaseHandler implements ICommandHandler<ActOnCaseCommand> {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
  ) {}

  execute({ auth, caseId, action, expectedVersion, reason }: ActOnCaseCommand) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      // Access first: a transition is never evaluated on a record the caller cannot act on.
      const found = await loadCase(em, auth, caseId, 'update');
      assertVersion(found, expectedVersion);
      const event = { type: CASE_ACTIONS[action], reason: reason ?? '' };
      const from = found.state;
      const openReferrals = await openReferralCount(em, found.id);
      found.state = transitionOrRefuse(caseMachine, from, { openReferrals }, event);
      if (event.type === 'CLOSE') found.closureReason = event.reason;
      if (event.type === 'SUSPEND') found.suspensionReason = event.reason;
      if (event.type === 'REOPEN') Object.assign(found, { closureReason: null, suspensionReason: null });
      await em.flush();
      this.events.append(em, auth.audit, {
        aggregateType: 'Case',
        aggregateId: found.id,
        aggregateVersion: found.version,
        caseId: found.id,
        type: CASE_EVENTS[event.type],
        payload: { from, to: found.state, ...(reason ? { reason } : {}) },
      });
      await em.flush();
      const summary = await caseSummary(em, auth, found, openReferrals);
      // Last before commit: the audit append holds the tenant's chain lock until the transaction ends.
      await this.audit.append(em, auth.audit, {
        action: `case.${action}`,
        subjectType: 'Case',
        subjectId: found.id,
        outcome: 'allowed',
        detail: { from, to: found.state, version: found.version },
      });
      return summary;
    });
  }
}
